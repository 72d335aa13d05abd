//! Issue 12, item 4: `/auditoria` lists every event of the installation newest first, filtered by
//! contract, record, event type, user and dates, paged by position (keyset) without gaps or
//! overlaps; bad filters are a Spanish 422, never a 500; both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{ContratoCommand, PaymentModality, Role};
use auth_support::{Browser, Web};
use common::Engine;
use scraper::{Html, Selector};
use web_fixtures::*;

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

/// Issue 12, item 2: an event opened shows who, when (Bogotá, seconds), the request, each field it
/// changed before → after, and the event as stored.
async fn an_event_shows_what_it_changed(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let base = terms(
        "CT-AUD-1",
        tercero,
        None,
        PaymentModality::Fijo {
            canon: money(12_500_000),
        },
        today,
        30,
    );
    let id = contract(app, base.clone()).await;
    let mut edited = base;
    edited.preaviso_days = 90;
    run(
        app,
        id,
        ContratoCommand::UpdateContractTerms {
            actor: admin(),
            terms: edited,
            expected_version: 0,
            reason: "Corrección del preaviso pactado".into(),
        },
    )
    .await;
    app.projector.catch_up().await.unwrap();
    let aud = web.logged_in("aud").await;
    let list = get(
        &aud,
        "/auditoria?contrato=CT-AUD-1&evento=ContractTermsUpdated",
        200,
    )
    .await;
    let position = positions(&list)[0];
    assert!(list.contains(&format!("href=\"/auditoria/eventos/{position}\"")));
    let html = get(&aud, &format!("/auditoria/eventos/{position}"), 200).await;
    for text in [
        "ContractTermsUpdated",
        "CT-AUD-1",
        "<dt>Motivo</dt>",
        "Corrección del preaviso pactado",
        "<dd>test</dd>",
        "terms.preaviso_days",
        "<td data-label=\"Antes\">60</td>",
        "<td data-label=\"Después\">90</td>",
        "&quot;request_id&quot;",
    ] {
        assert!(html.contains(text), "{text}\n{html}");
    }
    assert!(!html.contains("versions."), "bookkeeping is not a change");
    // Only what changed: the canon stayed.
    assert!(!html.contains("terms.modality"), "{html}");
    // The creation lists its fields from nothing.
    let created = get(&aud, &format!("/auditoria/eventos/{}", position - 1), 200).await;
    assert!(created.contains("terms.number") && created.contains("CT-AUD-1"));
    // Positions that are not events of the log: 404 in Spanish.
    get(&aud, "/auditoria/eventos/0", 404).await;
    get(&aud, "/auditoria/eventos/99999999", 404).await;
    get(&aud, "/auditoria/eventos/abc", 404).await;
    get(&aud, "/auditoria/eventos/9223372036854775807", 404).await;
}
both_engines!(
    an_event_shows_what_it_changed,
    super::an_event_shows_what_it_changed
);

/// Issue 12, item 1: the contract page "en vigor el" a date and "según lo registrado al" a moment,
/// with a banner, nothing editable, and bookmarkable URLs.
async fn the_contract_page_travels_in_time(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let app = &web.app;
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let id = contract(
        app,
        terms(
            "CT-TT-1",
            tercero,
            None,
            PaymentModality::Fijo {
                canon: money(12_500_000),
            },
            start,
            0,
        ),
    )
    .await;
    let created = arriendo::store::event_log::read_stream(&app.db, "contrato", &id.to_string())
        .await
        .unwrap()[0]
        .recorded_at
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    // The Otro Sí is recorded in a later second than the creation.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    run(
        app,
        id,
        ContratoCommand::DraftOtroSi {
            actor: admin(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            effective_to: None,
            changes: arriendo_events::OtroSiChanges {
                canon: Some(money(14_000_000)),
                ..Default::default()
            },
            description: "Incremento pactado".into(),
        },
    )
    .await;
    for command in [
        ContratoCommand::SubmitOtroSi {
            actor: admin(),
            number: arriendo_events::OtroSiNumber(1),
        },
        ContratoCommand::ApproveOtroSi {
            actor: admin(),
            number: arriendo_events::OtroSiNumber(1),
        },
    ] {
        run(app, id, command).await;
    }
    app.projector.catch_up().await.unwrap();
    let aud = web.logged_in("aud").await;
    let page = format!("/contratos/{id}");

    let march = get(&aud, &format!("{page}?vigente=2026-03-01"), 200).await;
    for text in [
        "Está viendo el pasado.",
        "Términos vigentes el 01/03/2026",
        "$ 12.500.000",
        "Volver a hoy",
    ] {
        assert!(march.contains(text), "{text}\n{march}");
    }
    let july = get(&aud, &format!("{page}?vigente=2026-07-01"), 200).await;
    assert!(july.contains("$ 14.000.000"), "{july}");
    assert!(july.contains("modificado por OS-1"));
    // As recorded at the creation: the Otro Sí did not exist yet, even in July's terms.
    let as_created = get(
        &aud,
        &format!("{page}?vigente=2026-07-01&registrado={created}"),
        200,
    )
    .await;
    assert!(as_created.contains("Solo lo registrado hasta el"));
    assert!(!as_created.contains("OS-1"), "{as_created}");
    assert!(as_created.contains("$ 12.500.000"));
    // Today as recorded now has no banner; bad input is a 422 beside the field; before the contract
    // existed there is nothing to show.
    assert!(
        !get(&aud, &page, 200)
            .await
            .contains("Está viendo el pasado.")
    );
    let bad = get(&aud, &format!("{page}?vigente=zzz"), 422).await;
    assert!(bad.contains("En vigor el:"), "{bad}");
    get(&aud, &format!("{page}?registrado=2000-01-01"), 404).await;

    // Item 3: March against July, the canon row highlighted with the document that set it.
    let compared = get(
        &aud,
        &format!("{page}/comparar?a=2026-03-01&b=01/07/2026"),
        200,
    )
    .await;
    for text in [
        "En vigor el 01/03/2026",
        "En vigor el 01/07/2026",
        "2 filas cambian entre las dos fechas.",
        "Canon del mes (calendario)",
        "<td data-label=\"En vigor el 01/03/2026\">$ 12.500.000</td><td data-label=\"En vigor el 01/07/2026\">$ 14.000.000 (OS-1)</td>",
    ] {
        assert!(compared.contains(text), "{text}\n{compared}");
    }
    assert_eq!(compared.matches("is-changed").count(), 2);
    assert!(
        get(&aud, &format!("{page}/comparar?a=zzz"), 422)
            .await
            .contains("Fecha A:")
    );
    get(&aud, &format!("{page}?vigente=1800-01-01"), 422).await;
}
both_engines!(
    the_contract_page_travels_in_time,
    super::the_contract_page_travels_in_time
);
