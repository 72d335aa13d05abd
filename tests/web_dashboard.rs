//! The dashboard over HTTP with the demo portfolio: every alert kind grouped in a card with at most
//! five entries and a "ver todas" link to the filtered list, filters in the query string, the
//! 12-month chart (computed in SQL, checked against the projection over every contract), the
//! backup state; and a portfolio of 10,000 contracts where the dashboard and the list stay small
//! and fast.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::time::Instant;

use arriendo_events::Contrato;
use arriendo_events::actor::Role;
use arriendo_projections::AlertKind;
use auth_support::{Browser, Web};
use common::Engine;
use reqwest::StatusCode;

async fn text(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}");
    body
}

fn card<'a>(html: &'a str, slug: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"alerta-{slug}\""))?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</section>").unwrap_or(rest.len())])
}

async fn demo_web() -> Web {
    demo_web_on(Engine::Sqlite).await
}

async fn demo_web_on(engine: Engine) -> Web {
    let web = Web::start(engine).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    web
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dashboard_with_the_demo_portfolio() {
    let web = demo_web().await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let gestor = web.logged_in("gus-gestor").await;
    let started = Instant::now();
    let html = text(&gestor, "/").await;
    let elapsed = started.elapsed();
    println!(
        "dashboard with the demo: {} bytes of HTML in {elapsed:?}",
        html.len()
    );
    assert!(html.len() < 200_000, "the dashboard stays small");
    let gzipped = gestor
        .client
        .get(gestor.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let compressed = gzipped.bytes().await.unwrap().len();
    println!("dashboard gzipped: {compressed} bytes");
    assert!(compressed < 20_000);

    assert!(html.contains("Contratos vigentes"));
    assert!(html.contains("/contratos?estado=vigente&amp;modalidad=hibrido"));
    for kind in AlertKind::ALL {
        let card = card(&html, kind.slug()).unwrap_or_else(|| panic!("card {}", kind.slug()));
        assert!(card.contains(kind.label()));
        assert!(card.matches("class=\"alert-entry ").count() <= 5);
        if !card.contains("Sin alertas.") {
            assert!(
                card.contains(&format!("/alertas?tipo={}", kind.slug())),
                "ver todas of {}",
                kind.slug()
            );
        }
    }
    // The demo fires every contract alert kind.
    for kind in AlertKind::ALL
        .into_iter()
        .filter(|k| *k != AlertKind::Respaldo)
    {
        assert!(
            !card(&html, kind.slug()).unwrap().contains("Sin alertas."),
            "{} fires in the demo",
            kind.slug()
        );
    }
    assert!(html.contains("según "), "the document behind each date");
    assert!(html.contains("<svg"), "the chart");
    assert!(html.contains("Todavía no se ha ejecutado ningún respaldo."));
    assert!(
        card(&html, "respaldo")
            .unwrap()
            .contains("No hay ningún respaldo exitoso registrado")
    );

    // Filters in the query string: one kind, one class, one severity.
    let only = text(&gestor, "/?tipo=preaviso").await;
    assert!(card(&only, "preaviso").is_some());
    assert!(card(&only, "vencimiento").is_none());
    assert!(only.contains("<option value=\"preaviso\" selected>"));
    let proveedores = text(&gestor, "/?clase=proveedor&severidad=danger").await;
    assert!(
        card(&proveedores, "respaldo")
            .unwrap()
            .contains("Sin alertas.")
    );
    // The filters apply to the cards; «Mis tareas» above them is the user's, unfiltered.
    let cards = &proveedores[proveedores.find("id=\"alertas-titulo\"").unwrap()..];
    assert!(!cards.contains("badge badge-warning\">en"));

    // The full list: filtered, paginated, bookmarkable.
    let list = text(&gestor, "/alertas?tipo=polizas-criticas").await;
    assert!(list.contains("<h1>Pólizas críticas</h1>"));
    assert!(!list.contains(">Preaviso</td>"));
    let all = text(&gestor, "/alertas").await;
    assert!(all.contains("en total"));
    assert!(all.contains("?pagina=2"), "more than one page of alerts");
    assert!(
        text(&gestor, "/alertas?pagina=2&severidad=danger")
            .await
            .contains("Crítica")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn chart_in_sql_matches_the_projection_sqlite() {
    chart_in_sql_matches_the_projection(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn chart_in_sql_matches_the_projection_postgres() {
    chart_in_sql_matches_the_projection(Engine::Postgres).await;
}

async fn chart_in_sql_matches_the_projection(engine: Engine) {
    let web = demo_web_on(engine).await;
    let db = &web.app.db;
    let today = arriendo::app::today();
    let ids: Vec<String> = arriendo::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts").fetch_all(pool).await.unwrap()
    });
    let mut contracts: Vec<Contrato> = Vec::new();
    for id in &ids {
        contracts.push(
            arriendo::queries::contract_state(db, id)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let expected = arriendo_projections::dashboard::monthly_chart(&contracts, today, None);
    let sql = arriendo::queries::dashboard::monthly_chart(db, today, None)
        .await
        .unwrap();
    assert_eq!(sql.len(), 12);
    for (bucket, (period, contracts_ending, policies)) in expected.iter().zip(&sql) {
        assert_eq!(bucket.period, *period);
        assert_eq!(
            bucket.policies_expiring as u32, *policies,
            "pólizas in {period}"
        );
        assert_eq!(
            bucket.contracts_ending as u32, *contracts_ending,
            "contracts in {period}"
        );
    }
    let counts = arriendo::queries::dashboard::in_force_counts(db, None)
        .await
        .unwrap();
    let summary = arriendo_projections::dashboard::summary(&contracts, today, None);
    assert_eq!(counts.total as usize, summary.in_force);
    assert_eq!(counts.fijo as usize, summary.by_modality.fijo);
    assert_eq!(counts.hibrido as usize, summary.by_modality.hibrido);
    assert_eq!(counts.proveedor as usize, summary.by_kind.proveedor);

    web.add_user("gus-gestor", Role::Gestor).await;
    let gestor = web.logged_in("gus-gestor").await;
    for path in [
        "/?clase=cliente&tipo=vencimiento&severidad=danger",
        "/alertas?clase=proveedor&pagina=1",
        "/contratos?q=s.a.s&modalidad=hibrido&orden=canon&dir=desc",
    ] {
        text(&gestor, path).await;
    }
}

/// 10,000 contracts and 20,000 alerts written straight into the read models (the pages read only
/// those): the dashboard, the alert list and a searched, sorted contract list stay small and fast.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_contracts_stay_fast() {
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let today = arriendo::app::today();
    let arriendo::store::Db::Sqlite(pool) = &web.app.db else {
        unreachable!()
    };
    let mut tx = pool.begin().await.unwrap();
    for i in 0..10_000i64 {
        let id = format!("00000000-0000-0000-0000-{i:012}");
        let end = today + chrono::Duration::days(i % 400);
        let modality = ["fijo", "variable", "hibrido"][(i % 3) as usize];
        let kind = if i % 5 == 0 { "proveedor" } else { "cliente" };
        sqlx::query(
            "INSERT INTO rm_contracts (id, number, kind, modality, tercero_id, tercero_name, tercero_nit, \
             local_id, local_name, start_date, end_date, canon, percentage, status, in_force, alert_count, \
             search, computed_for) VALUES ($1, $2, $3, $4, 't', $5, '900123456', NULL, $6, '2024-01-01', \
             $7, 5000000, NULL, 'vigente', 1, 2, $8, $9)",
        )
        .bind(&id)
        .bind(format!("CT-{i:05}"))
        .bind(kind)
        .bind(modality)
        .bind(format!("Arrendatario {i}"))
        .bind(format!("Local {i}"))
        .bind(end.to_string())
        .bind(format!("ct-{i:05} arrendatario {i} 900123456 local {i}"))
        .bind(today.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
        for (ordinal, kind_slug) in [(0, "vencimiento"), (1, "polizas-criticas")] {
            sqlx::query(
                "INSERT INTO rm_alerts (contract_id, ordinal, contract_number, contract_kind, kind, severity, \
                 severity_rank, trigger_date, days_left, source, source_phrase, message) \
                 VALUES ($1, $2, $3, $4, $5, 'warning', 1, $6, $7, 'Contrato', 'contrato original', 'mensaje')",
            )
            .bind(&id)
            .bind(ordinal)
            .bind(format!("CT-{i:05}"))
            .bind(kind)
            .bind(kind_slug)
            .bind(end.to_string())
            .bind(i % 400)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let gestor = web.logged_in("gus-gestor").await;
    text(&gestor, "/").await; // warm up
    for path in [
        "/",
        "/?clase=cliente&severidad=warning",
        "/alertas?tipo=vencimiento&pagina=200",
        "/contratos?q=arrendatario+99&orden=fin&dir=desc&pagina=2",
        "/contratos?modalidad=hibrido&estado=vigente&clase=proveedor&orden=canon",
    ] {
        let started = Instant::now();
        let html = text(&gestor, path).await;
        let elapsed = started.elapsed();
        println!("{path}: {} bytes in {elapsed:?}", html.len());
        // Size is a property of the page; time is measured and printed, never asserted
        // (figures in docs/performance.md).
        assert!(html.len() < 200_000, "{path} is small");
    }
    let dash = text(&gestor, "/").await;
    assert!(dash.contains("10.000"), "counts with GROUP BY");
    assert!(
        card(&dash, "vencimiento")
            .unwrap()
            .contains(">10.000</span>")
    );
    let list = text(&gestor, "/contratos?q=arrendatario+9999").await;
    assert!(list.contains("CT-09999"));
    assert!(list.contains("Mostrando 1–1 de 1"));
}

/// The number after «de» in «Mostrando 1–3 de 3» (the whole list, over every page).
fn listed_total(html: &str) -> u64 {
    let Some(at) = html.find("Mostrando ") else {
        assert!(html.contains("No hay "), "an empty list says so");
        return 0;
    };
    let rest = &html[at..];
    let rest = &rest[rest.find(" de ").unwrap() + 4..];
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// Each bar of the 12-month chart links to the list of what it counts: following the link shows
/// exactly as many contracts (or pólizas) as the bar says, with and without the dashboard's `clase`.
async fn chart_bars_lead_to_the_rows_they_count(engine: Engine) {
    let web = demo_web_on(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let gus = web.logged_in("gus-gestor").await;
    let mut followed = 0;
    for dashboard in ["/", "/?clase=cliente", "/?clase=proveedor"] {
        let html = text(&gus, dashboard).await;
        for link in html.split("<a class=\"chart-link\" href=\"").skip(1) {
            let href = link[..link.find('"').unwrap()].replace("&amp;", "&");
            let label = &link[link.find("<title>").unwrap() + 7..];
            let label = &label[..label.find("</title>").unwrap()];
            let counted: u64 = label[label.find(": ").unwrap() + 2..]
                .split(' ')
                .next()
                .unwrap()
                .replace('.', "")
                .parse()
                .unwrap();
            let list = text(&gus, &href).await;
            assert_eq!(
                listed_total(&list),
                counted,
                "{dashboard}: {label} → {href}"
            );
            if counted <= 25 {
                let body = &list[list.find("<tbody>").unwrap()..];
                assert_eq!(
                    body.matches("<tr>").count() as u64,
                    counted,
                    "{label}: rows on the page"
                );
            }
            assert!(list.contains("Quitar el mes"), "the list says which month");
            followed += 1;
        }
    }
    assert!(
        followed >= 6,
        "the demo has bars of both kinds ({followed})"
    );
}
both_engines!(
    chart_bars_lead_to_the_rows_they_count,
    super::chart_bars_lead_to_the_rows_they_count
);

/// The part of the dashboard between «Mis tareas» and the alert cards: the user's own tasks.
fn tasks_of(html: &str) -> &str {
    &html[html.find("id=\"tareas-titulo\"").unwrap()..html.find("id=\"alertas-titulo\"").unwrap()]
}

/// The dashboard keeps what it read while the read models stay the same; another server on the same
/// store writes and projects a follow-up note: the next dashboard shows it in the shared card and in
/// the owner's tasks, and not in another user's tasks.
async fn the_dashboard_shows_what_another_instance_projected(engine: Engine) {
    use arriendo_events::{Actor, ContratoCommand};

    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("ana", Role::Gestor).await;
    let today = arriendo::app::today();
    let id = web_fixtures::fijo_contract(&web.app, "CT-PANEL-1").await;
    let gus = web.logged_in("gus").await;
    let ana = web.logged_in("ana").await;
    for _ in 0..2 {
        let before = text(&gus, "/").await;
        assert!(
            card(&before, "seguimiento")
                .unwrap()
                .contains("Sin alertas.")
        );
        assert!(!tasks_of(&before).contains("Pedir la póliza RCE"));
        assert!(!tasks_of(&text(&ana, "/").await).contains("Pedir la póliza RCE"));
    }

    let other = web.store.reopen().await;
    other
        .commands
        .contrato(
            &id.to_string(),
            ContratoCommand::AddSeguimiento {
                actor: Actor::new("gus", Role::Gestor),
                date: today,
                note: "Pedir la póliza RCE".into(),
                follow_up: Some(today + chrono::Duration::days(3)),
            },
            arriendo::store::Metadata::new("gus", "otra-instancia"),
        )
        .await
        .unwrap();
    other.projector.catch_up().await.unwrap();

    let after = text(&gus, "/").await;
    let seguimiento = card(&after, "seguimiento").unwrap();
    assert!(seguimiento.contains("CT-PANEL-1"), "{seguimiento}");
    assert!(tasks_of(&after).contains("Pedir la póliza RCE"));
    let others = text(&ana, "/").await;
    assert!(card(&others, "seguimiento").unwrap().contains("CT-PANEL-1"));
    assert!(
        !tasks_of(&others).contains("Pedir la póliza RCE"),
        "tasks stay per user"
    );
}
both_engines!(
    the_dashboard_shows_what_another_instance_projected,
    super::the_dashboard_shows_what_another_instance_projected
);
