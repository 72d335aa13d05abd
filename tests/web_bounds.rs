//! Issue 9 through the forms: values out of the range a real lease can have (a preaviso of
//! 100.000.000 days, a 2.705-byte contract number, the year 2201, a control character) are refused
//! with 422 and a Spanish message beside their field (a NUL byte: a page naming the field), nothing
//! is stored, and every page still answers.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_support;

use arriendo::store::event_log;
use arriendo_events::actor::Role;
use auth_support::{Browser, Web};
use common::Engine;
use reqwest::StatusCode;
use web_support::{contract_fields, pairs, tercero_y_local};

/// Posts the contract form with one field replaced; expects 422 and `message` beside `field`.
async fn refused_beside(
    gestor: &Browser,
    base: &[(String, String)],
    (field, value): (&str, &str),
    message: &str,
) {
    let mut fields: Vec<(String, String)> =
        base.iter().filter(|(k, _)| k != field).cloned().collect();
    fields.push((field.to_string(), value.to_string()));
    let response = gestor.post("/contratos", &pairs(&fields)).await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}"
    );
    let html = response.text().await.unwrap();
    let beside = format!("id=\"campo-{field}-error\"");
    let at = html
        .find(&beside)
        .unwrap_or_else(|| panic!("no error beside {field}"));
    let error = &html[at..html.len().min(at + 400)];
    assert!(error.contains(message), "{field}: {error}");
}

async fn events_stored(web: &Web) -> usize {
    event_log::read_after(&web.app.db, 0, i64::MAX)
        .await
        .unwrap()
        .len()
}

async fn walk(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let gestor = web.logged_in("gus-gestor").await;
    let base = contract_fields(arriendo::app::today(), "CT-LIM-1", &tercero, &local);
    let before = events_stored(&web).await;

    refused_beside(
        &gestor,
        &base,
        ("preaviso_dias", "100000000"),
        "no puede superar 3.650 días",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("terminacion_dias", "3651"),
        "no puede superar 3.650 días",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("numero", &"9".repeat(2_705)),
        "admite como máximo 200 caracteres",
    )
    .await;
    // A NUL never reaches the form's parsing: refused for every form at once (`http::entrada`),
    // on a Spanish page that names the field.
    let mut with_nul = base.clone();
    with_nul.retain(|(k, _)| k != "numero");
    with_nul.push(("numero".into(), "CT-\u{0}1".into()));
    let response = gestor.post("/contratos", &pairs(&with_nul)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("«numero»"));
    // Other control characters are the domain's to refuse, beside the field.
    refused_beside(
        &gestor,
        &base,
        ("numero", "CT-\u{7}1"),
        "caracteres de control no permitidos",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("fecha_fin", "2201-01-01"),
        "fuera del rango permitido",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("duracion_meses", "1189"),
        "no puede superar 1.188 meses",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("canon", "1.000.000.000.000.001"),
        "no puede superar $ 1.000.000.000.000.000",
    )
    .await;
    refused_beside(
        &gestor,
        &base,
        ("objeto", &"x".repeat(10_001)),
        "admite como máximo 10.000 caracteres",
    )
    .await;

    // A local name of 2.705 bytes (it broke the PostgreSQL index) is refused beside the name
    // before any query; one with a NUL (PostgreSQL refuses it in text) is refused before the
    // handler, like a NUL in any field (`http::entrada`), naming the field.
    let response = gestor
        .post(
            "/locales",
            &[
                ("nombre", "Local\u{0}9"),
                ("ubicacion", "Piso 1"),
                ("area", "50"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("«nombre»"));
    for name in ["L".repeat(2_705)] {
        let response = gestor
            .post(
                "/locales",
                &[
                    ("nombre", name.as_str()),
                    ("ubicacion", "Piso 1"),
                    ("area", "50"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("campo-nombre-error")
        );
    }
    assert_eq!(events_stored(&web).await, before, "nothing stored");

    // 3.650 days of preaviso is a real (if long) lease: accepted, and the pages answer.
    let mut longest = base.clone();
    longest.retain(|(k, _)| k != "preaviso_dias");
    longest.push(("preaviso_dias".into(), "3650".into()));
    let response = gestor.post("/contratos", &pairs(&longest)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = auth_support::location(&response);
    for path in [page.as_str(), "/", "/contratos"] {
        assert_eq!(gestor.get(path).await.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn contract_form_refuses_out_of_range_values_beside_the_field_sqlite() {
    walk(Engine::Sqlite).await;
}

#[tokio::test]
async fn contract_form_refuses_out_of_range_values_beside_the_field_postgres() {
    walk(Engine::Postgres).await;
}
