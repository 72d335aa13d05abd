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
