//! The critical-dates calendar over HTTP on both engines: a known contract's vencimiento and
//! preaviso on the right days of the month grid, filters by kind, a bad `mes` refused with 422,
//! and the per-user iCal feed — parsed with the `icalendar` crate, it holds exactly the dates the
//! month pages show for its range; rotating the URL kills the old one; a deactivated user's URL
//! answers 404.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::collections::BTreeSet;

use arriendo::calendario::{FEED_MAX_EVENTS, feed_range};
use arriendo::store::Metadata;
use arriendo_events::actor::{Actor, Role};
use arriendo_events::{PaymentModality, YearMonth};
use arriendo_projections::calendar::CalendarKind;
use auth_support::{Browser, Web};
use chrono::{Duration, NaiveDate};
use common::Engine;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use reqwest::StatusCode;
use uuid::Uuid;
use web_fixtures::*;

async fn text(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

fn mes(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// The grid cell of `date` (its `<td>…</td>`).
fn cell(html: &str, date: NaiveDate) -> &str {
    let marker = format!("data-date=\"{}\"", date.format("%Y-%m-%d"));
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no cell {marker}"));
    let rest = &html[start..];
    &rest[..rest.find("</td>").unwrap()]
}

/// The rows of the list under the grid: (date, title, contract number).
fn list_rows(html: &str) -> Vec<(NaiveDate, String, String)> {
    let doc = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse("tr[data-fecha]").unwrap();
    let cells = scraper::Selector::parse("td").unwrap();
    let time = scraper::Selector::parse("time").unwrap();
    doc.select(&rows)
        .map(|row| {
            let tds: Vec<_> = row.select(&cells).collect();
            let date = tds[0]
                .select(&time)
                .next()
                .unwrap()
                .attr("datetime")
                .unwrap();
            (
                NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
                tds[3].text().collect::<String>(),
                tds[2].text().collect::<String>(),
            )
        })
        .collect()
}

/// CT-CAL-1: fixed canon, no automatic extension, preaviso 60 days, ending about 100 days ahead.
async fn known_contract(web: &Web) -> (Uuid, NaiveDate, NaiveDate) {
    let today = arriendo::app::today();
    let tenant = tenant(&web.app, "900123456", "Almacenes Calendario S.A.S.").await;
    let t = terms(
        "CT-CAL-1",
        tenant,
        None,
        PaymentModality::Fijo {
            canon: money(10_000_000),
        },
        today,
        36 * 30 - 100,
    );
    let end = t.end_date;
    let id = contract(&web.app, t).await;
    (id, end, end - Duration::days(60))
}

async fn the_month_page(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let (id, end, notice) = known_contract(&web).await;
    let gestor = web.logged_in("gus-gestor").await;

    let page = text(&gestor, &format!("/calendario?mes={}", mes(end))).await;
    let day = cell(&page, end);
    assert!(day.contains(&format!("href=\"/contratos/{id}\"")), "{day}");
    assert!(
        day.contains("CT-CAL-1") && day.contains("Vencimiento de contrato"),
        "{day}"
    );
    assert!(!cell(&page, end - Duration::days(1)).contains("CT-CAL-1"));
    let page = text(&gestor, &format!("/calendario?mes={}", mes(notice))).await;
    let day = cell(&page, notice);
    assert!(day.contains("Preaviso de no renovación"), "{day}");
    assert!(
        list_rows(&page).contains(&(
            notice,
            format!(
                "Último día para el preaviso de no renovación del contrato CT-CAL-1 (60 días antes del fin, {})",
                end.format("%d/%m/%Y")
            ),
            "CT-CAL-1".to_string()
        )),
        "{:?}",
        list_rows(&page)
    );
    // Spanish names, Monday first, navigation to the neighbours, the menu entry.
    assert!(page.find(">Lunes<").unwrap() < page.find(">Domingo<").unwrap());
    let prev = YearMonth::of(YearMonth::of(notice).first_day() - Duration::days(1));
    assert!(page.contains(&format!(
        "href=\"/calendario?mes={:04}-{:02}\"",
        prev.year(),
        prev.month()
    )));
    assert!(page.contains("href=\"/calendario\""), "navigation entry");

    // Today is marked on the current month.
    let now = text(&gestor, "/calendario").await;
    let today = arriendo::app::today();
    assert!(now.contains(&format!(
        "class=\"cal-day is-today\" data-date=\"{}\"",
        today.format("%Y-%m-%d")
    )));

    // Filters: only preavisos.
    let only = text(
        &gestor,
        &format!("/calendario?mes={}&tipo=preaviso&tipo=nada", mes(end)),
    )
    .await;
    assert!(!cell(&only, end).contains("CT-CAL-1"));
    assert!(only.contains("value=\"preaviso\" checked"));
    if YearMonth::of(notice) == YearMonth::of(end) {
        assert!(cell(&only, notice).contains("CT-CAL-1"));
    }
    let both = text(
        &gestor,
        &format!("/calendario?mes={}&tipo=vencimiento", mes(end)),
    )
    .await;
    assert!(cell(&both, end).contains("CT-CAL-1"));

    // A bad month is a Spanish 422 page, never a 500.
    for bad in [
        "2026-13",
        "diciembre",
        "2026-1-1",
        "99999999999999999999-01",
        "2026-%20",
    ] {
        let response = gestor.get(&format!("/calendario?mes={bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            response.text().await.unwrap().contains("no es válido"),
            "{bad}"
        );
    }
    // A NUL is refused before the handler, with the same status.
    let response = gestor.get("/calendario?mes=%00").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = gestor.get("/calendario?mes=9999-01").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("fuera del calendario")
    );

    // Anonymous visitors log in first.
    let anonymous = web.browser().get("/calendario").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}
both_engines!(the_month_page, super::the_month_page);

/// Makes (or replaces) the user's feed URL from the page and returns it.
async fn new_feed_url(browser: &Browser) -> String {
    let response = browser.post("/calendario/enlace", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let input = scraper::Selector::parse("#enlace-ical").unwrap();
    let url = doc
        .select(&input)
        .next()
        .expect("the new URL is shown")
        .attr("value")
        .unwrap()
        .to_string();
    assert!(url.ends_with(".ics"), "{url}");
    url
}

async fn fetch(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

/// (date, summary, UID, URL) of every event of a feed, parsed with `icalendar`.
fn events(body: &str) -> Vec<(NaiveDate, String, String, String)> {
    let calendar: Calendar = body.parse().unwrap();
    calendar
        .components
        .iter()
        .filter_map(CalendarComponent::as_event)
        .map(|e| {
            let Some(DatePerhapsTime::Date(date)) = e.get_start() else {
                panic!("all-day event expected: {e:?}");
            };
            let Some(DatePerhapsTime::Date(end)) = e.get_end() else {
                panic!("all-day end expected: {e:?}");
            };
            assert_eq!(end, date + Duration::days(1));
            (
                date,
                e.get_summary().unwrap().to_string(),
                e.get_uid().unwrap().to_string(),
                e.get_url().unwrap().to_string(),
            )
        })
        .collect()
}

async fn the_feed_agrees_with_the_pages(engine: Engine) {
    let web = Web::start(engine).await;
    let today = arriendo::app::today();
    arriendo::demo::load(&web.app, today).await.unwrap();
    web.app.projector.catch_up().await.unwrap();
    let (id, end, notice) = known_contract(&web).await;
    web.add_user("aud-auditor", Role::Auditor).await;
    let auditor = web.logged_in("aud-auditor").await;
    let url = new_feed_url(&auditor).await;

    let response = fetch(&url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(
        response.headers().get("set-cookie").is_none(),
        "a feed fetch opens no session"
    );
    let body = response.text().await.unwrap();
    let feed = events(&body);
    // The demo portfolio has every kind of date.
    for kind in CalendarKind::ALL {
        assert!(
            feed.iter()
                .any(|e| e.2.starts_with(&format!("{}-", kind.slug()))),
            "no {} in the feed",
            kind.slug()
        );
    }
    assert!(
        feed.len() > 20 && feed.len() < FEED_MAX_EVENTS,
        "{}",
        feed.len()
    );
    let uids: BTreeSet<_> = feed.iter().map(|e| e.2.clone()).collect();
    assert_eq!(uids.len(), feed.len(), "UIDs are unique");
    // The known contract: its vencimiento, with a stable UID and a link to the contract.
    let vencimiento = feed
        .iter()
        .find(|e| e.0 == end && e.1 == "Vence el contrato CT-CAL-1")
        .expect("the vencimiento is in the feed");
    assert_eq!(
        vencimiento.2,
        format!(
            "vencimiento-{id}-{}@arriendo.calendario",
            end.format("%Y%m%d")
        )
    );
    assert!(vencimiento.3.ends_with(&format!("/contratos/{id}")));
    assert!(
        feed.iter()
            .any(|e| e.0 == notice && e.1.contains("preaviso"))
    );
    assert!(
        body.contains("Contrato CT-CAL-1"),
        "DESCRIPTION names the contract"
    );
    // The same feed fetched again keeps its UIDs.
    let again = events(&fetch(&url).await.text().await.unwrap());
    assert_eq!(
        again.iter().map(|e| &e.2).collect::<BTreeSet<_>>(),
        uids.iter().collect::<BTreeSet<_>>()
    );

    // Two views of the same dates: every month page of the feed's range lists exactly the
    // feed's events (date and title).
    let (from, to) = feed_range(today);
    let mut paged = Vec::new();
    let mut month = YearMonth::of(from);
    while month <= YearMonth::of(to) {
        let html = text(
            &auditor,
            &format!("/calendario?mes={:04}-{:02}", month.year(), month.month()),
        )
        .await;
        paged.extend(
            list_rows(&html)
                .into_iter()
                .filter(|(date, _, _)| from <= *date && *date <= to)
                .map(|(date, title, _)| (date, title)),
        );
        month = month.next();
    }
    let mut from_feed: Vec<(NaiveDate, String)> = feed.iter().map(|e| (e.0, e.1.clone())).collect();
    from_feed.sort();
    paged.sort();
    assert_eq!(from_feed, paged);
}
both_engines!(
    the_feed_agrees_with_the_pages,
    super::the_feed_agrees_with_the_pages
);

async fn rotating_and_deactivating(engine: Engine) {
    let web = Web::start(engine).await;
    known_contract(&web).await;
    web.add_user("ana-admin", Role::Administrador).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let gestor = web.logged_in("gus-gestor").await;
    let admin = web.logged_in("ana-admin").await;

    let before = text(&gestor, "/calendario").await;
    assert!(before.contains("Aún no tiene un enlace privado"));
    let first = new_feed_url(&gestor).await;
    assert_eq!(fetch(&first).await.status(), StatusCode::OK);
    // The page says there is a URL, and does not show its secret again.
    let token = first.rsplit('/').next().unwrap().trim_end_matches(".ics");
    let after = text(&gestor, "/calendario").await;
    assert!(after.contains("tiene un enlace privado activo"));
    assert!(!after.contains(token));

    let second = new_feed_url(&gestor).await;
    assert_ne!(first, second);
    assert_eq!(fetch(&first).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(fetch(&second).await.status(), StatusCode::OK);

    // Another user's URL works for them, and is not the gestor's.
    let admins = new_feed_url(&admin).await;
    assert_ne!(admins, second);
    assert_eq!(fetch(&admins).await.status(), StatusCode::OK);

    // Unknown, malformed and tampered tokens.
    let base = &web.base;
    for path in [
        format!("/calendario/ical/{}.ics", "0".repeat(64)),
        "/calendario/ical/abc.ics".to_string(),
        format!(
            "/calendario/ical/{}",
            second.rsplit('/').next().unwrap().trim_end_matches(".ics")
        ),
        format!("/calendario/ical/{}.ics", token.to_uppercase()),
        format!("/calendario/ical/{}x.ics", &token[..63]),
    ] {
        let response = fetch(&format!("{base}{path}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }

    // A deactivated user's URL stops working; the others' keep working.
    arriendo::auth::users::deactivate(
        &web.app,
        &Actor::new("ana-admin", Role::Administrador),
        "gus-gestor",
        Metadata::system("test"),
    )
    .await
    .unwrap();
    assert_eq!(fetch(&second).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(fetch(&admins).await.status(), StatusCode::OK);
}
both_engines!(rotating_and_deactivating, super::rotating_and_deactivating);
