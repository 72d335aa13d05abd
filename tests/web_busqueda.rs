//! Issue 15 (the HTTP layer): searches are accent- and case-insensitive on both engines — «exito»
//! finds «Éxito» — and a NIT typed with dots and dash, or as bare digits, finds the tercero and its
//! contracts.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{PaymentModality, Role};
use auth_support::{Browser, Web};
use common::Engine;
use web_fixtures::*;

async fn text(who: &Browser, path: &str) -> String {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.unwrap()
}

async fn searches_ignore_accents_case_and_nit_punctuation(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Almacenes Éxito Peña S.A.S.").await;
    let plaza = local(&web.app, "Plazoleta Café Ñandú").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    contract(
        &web.app,
        terms("CT-BUS-1", tercero, Some(plaza), modality, today, 30),
    )
    .await;
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;
    for q in [
        "exito",
        "ÉXITO",
        "pena",
        "cafe%20nandu",
        "900.123.456-8",
        "9001234568",
        "ct-bus",
    ] {
        let found = text(&gus, &format!("/contratos?q={q}")).await;
        assert!(found.contains("CT-BUS-1"), "contracts, q={q}");
    }
    assert!(!text(&gus, "/contratos?q=exitos").await.contains("CT-BUS-1"));
    for q in ["exito", "PEÑA", "900.123.456-8", "9001234568"] {
        let found = text(&gus, &format!("/terceros?q={q}")).await;
        assert!(found.contains("Almacenes Éxito Peña"), "terceros, q={q}");
    }
    let found = text(&gus, "/locales?q=nandu").await;
    assert!(found.contains("Plazoleta Café Ñandú"), "locales");
}
both_engines!(
    searches_ignore_accents_case_and_nit_punctuation,
    super::searches_ignore_accents_case_and_nit_punctuation
);
