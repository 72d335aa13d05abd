//! Issue 12, item 4: `/auditoria` lists every event of the installation newest first, filtered by
//! contract, record, event type, user and dates, paged by position (keyset) without gaps or
//! overlaps; bad filters are a Spanish 422, never a 500; both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo_events::Role;
use auth_support::{Browser, Web};
use common::Engine;
use scraper::{Html, Selector};

/// The positions listed on a page, top to bottom.
fn positions(html: &str) -> Vec<i64> {
    let doc = Html::parse_document(html);
    let cell = Selector::parse("tbody tr td.num").unwrap();
    doc.select(&cell)
        .map(|c| c.text().collect::<String>().trim().parse().unwrap())
        .collect()
}

/// The `href` of the link labelled `label`, if the page has one.
fn link(html: &str, label: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let a = Selector::parse("nav.pagination a").unwrap();
    doc.select(&a)
        .find(|e| e.text().collect::<String>().contains(label))
        .and_then(|e| e.value().attr("href").map(str::to_string))
}

async fn get(who: &Browser, path: &str, status: u16) -> String {
    let response = who.get(path).await;
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{path}: {body}");
    body
}

async fn the_log_pages_by_position_and_filters(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let today = arriendo::app::today();
    arriendo::demo::load(&web.app, today).await.unwrap();
    web.app.projector.catch_up().await.unwrap();
    let aud = web.logged_in("aud").await;

    // Page by page down to the first event: 50 per page, strictly decreasing, no overlap, and the
    // pages together are every business event of the log.
    let first = get(&aud, "/auditoria", 200).await;
    assert!(first.contains("Auditoría"));
    let mut seen = positions(&first);
    assert_eq!(seen.len(), 50);
    let mut html = first.clone();
    let mut pages = 1;
    while let Some(older) = link(&html, "Anteriores") {
        html = get(&aud, &format!("/auditoria{older}"), 200).await;
        let page = positions(&html);
        assert!(!page.is_empty() && page.len() <= 50);
        assert!(
            page[0] < *seen.last().unwrap(),
            "no overlap, no gap in order"
        );
        seen.extend(page);
        pages += 1;
    }
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
    let business: i64 = arriendo::on_pool!(&web.app.db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE aggregate_type <> 'usuario'")
            .fetch_one(pool).await.unwrap()
    });
    assert_eq!(seen.len() as i64, business, "{pages} pages");
    // Back up from the second page: the first page again.
    let second = get(
        &aud,
        &format!("/auditoria{}", link(&first, "Anteriores").unwrap()),
        200,
    )
    .await;
    let newer = link(&second, "Más recientes").unwrap();
    assert_eq!(
        positions(&get(&aud, &format!("/auditoria{newer}"), 200).await),
        positions(&first)
    );

    // One contract: only its events, with its number.
    let number: String = arriendo::on_pool!(&web.app.db, pool => {
        sqlx::query_scalar("SELECT number FROM rm_contracts ORDER BY number LIMIT 1")
            .fetch_one(pool).await.unwrap()
    });
    let html = get(&aud, &format!("/auditoria?contrato={number}"), 200).await;
    let rows = positions(&html);
    assert!(!rows.is_empty());
    assert_eq!(html.matches(&format!(">{number}</a>")).count(), rows.len());
    // An event type; a user with no events; an unknown contract.
    let html = get(&aud, "/auditoria?evento=ContractCreated&tipo=contrato", 200).await;
    assert_eq!(
        html.matches("<code>ContractCreated</code>").count(),
        positions(&html).len()
    );
    assert!(
        get(&aud, "/auditoria?usuario=nadie", 200)
            .await
            .contains("No hay eventos con esos filtros.")
    );
    assert!(
        get(&aud, "/auditoria?contrato=NO-EXISTE", 200)
            .await
            .contains("No hay eventos con esos filtros.")
    );
    // Dates: today's events are all of them (the demo was just loaded); tomorrow has none.
    let iso = today.format("%Y-%m-%d");
    let html = get(&aud, &format!("/auditoria?desde={iso}&hasta={iso}"), 200).await;
    assert_eq!(positions(&html), positions(&first));
    let tomorrow = (today + chrono::Duration::days(1)).format("%d/%m/%Y");
    assert!(
        get(&aud, &format!("/auditoria?desde={tomorrow}"), 200)
            .await
            .contains("No hay eventos con esos filtros.")
    );

    // Worst input: a 422 in Spanish naming the field, never a 500.
    let html = get(&aud, "/auditoria?desde=zzz", 422).await;
    assert!(html.contains("Desde:"), "{html}");
    let html = get(&aud, "/auditoria?contrato=CT%00X", 422).await;
    assert!(html.contains("caracteres de control"), "{html}");
    get(&aud, "/auditoria?antes=18446744073709551615", 200).await;
    get(&aud, "/auditoria?antes=-5&despues=abc", 200).await;
    get(
        &aud,
        &format!("/auditoria?usuario={}", "x".repeat(5000)),
        422,
    )
    .await;
}
both_engines!(
    the_log_pages_by_position_and_filters,
    super::the_log_pages_by_position_and_filters
);
