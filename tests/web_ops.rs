//! Operations over HTTP: every response carries an `x-request-id`, and the events a request appends
//! carry the same id in their metadata; `/metrics` for administradores only.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::store::event_log;
use arriendo_events::Role;
use auth_support::{Web, location};
use common::Engine;

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .expect("every response has an x-request-id")
        .to_str()
        .unwrap()
        .to_string()
}

async fn the_request_id_is_returned_and_stored_with_the_events(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let gus = web.logged_in("gus").await;

    // Anonymous and unknown paths get one too, and a client cannot choose it.
    let anonymous = web
        .browser()
        .client
        .get(format!("{}/login", web.base))
        .header("x-request-id", "elegido-por-el-cliente")
        .send()
        .await
        .unwrap();
    let chosen = request_id(&anonymous);
    assert_ne!(chosen, "elegido-por-el-cliente");
    assert!(uuid::Uuid::parse_str(&chosen).is_ok(), "{chosen}");

    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "900.123.456-8"),
                ("razon_social", "Café Andino S.A.S."),
                ("tipo", "arrendatario"),
                ("representante", "Ana Pérez"),
                ("supervisor", ""),
                ("correo", "ana@andino.com.co"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let id = request_id(&response);
    let tercero = location(&response)
        .trim_start_matches("/terceros/")
        .to_string();
    let events = event_log::read_stream(&web.app.db, "tercero", &tercero)
        .await
        .unwrap();
    assert!(!events.is_empty(), "the POST appended the tercero's events");
    for event in &events {
        assert_eq!(
            event.metadata["request_id"].as_str(),
            Some(id.as_str()),
            "{event:?}"
        );
        assert_eq!(event.actor(), "gus");
    }

    // Another request, another id.
    let page = gus.get(&location(&response)).await;
    assert_eq!(page.status(), 200);
    assert_ne!(request_id(&page), id);
}
both_engines!(
    request_id_is_returned_and_stored,
    super::the_request_id_is_returned_and_stored_with_the_events
);

async fn metrics_for_administradores_only(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;

    // Anonymous: to the login page. Gestor: 403.
    let anonymous = web.browser().get("/metrics").await;
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login"));
    let gus = web.logged_in("gus").await;
    assert_eq!(gus.get("/metrics").await.status(), 403);

    // A request to a route with an id, and an event appended.
    let ana = web.logged_in("ana").await;
    let response = ana
        .post(
            "/terceros",
            &[
                ("nit", "800.197.268-4"),
                ("razon_social", "Inversiones Métricas S.A.S."),
                ("tipo", "arrendatario"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(ana.get(&location(&response)).await.status(), 200);

    let scrape = ana.get("/metrics").await;
    assert_eq!(scrape.status(), 200);
    assert!(
        scrape.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = scrape.text().await.unwrap();
    // The route as matched, with its parameter, never the raw URI with the id.
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_http_requests_total{")
                && l.contains("route=\"/terceros/{id}\"")
                && l.contains("status=\"200\"")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_http_requests_total{")
                && l.contains("method=\"POST\"")
                && l.contains("route=\"/terceros\"")
                && l.contains("status=\"303\"")),
        "{text}"
    );
    assert!(!text.contains(&location(&response)), "no raw URIs");
    assert!(
        text.contains("arriendo_http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_events_appended_total{aggregate=\"tercero\"}")),
        "{text}"
    );
    // Store gauges, read from this app's store at scrape time.
    let value = |name: &str| -> String {
        text.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .split(' ')
            .nth(1)
            .unwrap()
            .to_string()
    };
    // The command caught the projector up before answering.
    assert_eq!(value("arriendo_projector_lag_events"), "0");
    // This store never made a backup: infinitely old, so an age alert fires.
    assert_eq!(value("arriendo_backup_last_success_age_seconds"), "+Inf");
}
both_engines!(metrics_admin_only, super::metrics_for_administradores_only);
