//! Required-policy sub-limits over HTTP: a contract created through the form with an RCE
//! sub-limit (gastos médicos `20.000.000`) stores it (contract page, edit form prefilled), a póliza
//! lacking it does not comply, and an approved Otro Sí that replaces the required policies keeps
//! the sub-limits and cover it was given.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_support;

use arriendo_events::actor::Role;
use auth_support::{Browser, location};
use chrono::Duration;
use common::Engine;
use reqwest::StatusCode;
use web_support::{contract_fields, iso, pairs, tercero_y_local};

async fn text(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

async fn sublimits_typed_in_the_forms_are_stored_and_checked(engine: Engine) {
    let web = auth_support::Web::start(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;

    // The form offers the sub-limits under RCE and the cover under cumplimiento.
    let form = text(&gestor, "/contratos/nuevo").await;
    assert!(form.contains("name=\"pol_rce_medicos\""));
    assert!(form.contains("name=\"pol_cumplimiento_canon\""));

    // A bad amount: the error beside its field, what was typed kept.
    let mut bad = contract_fields(today, "CT-SUB-1", &tercero, &local);
    bad.push(("pol_rce_medicos".into(), "veinte".into()));
    let response = gestor.post("/contratos", &pairs(&bad)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"campo-pol_rce_medicos-error\""),
        "{html}"
    );
    assert!(html.contains("«veinte»"));
    assert!(html.contains("value=\"veinte\""));

    // Created through the form with gastos médicos 20.000.000.
    let mut fields = contract_fields(today, "CT-SUB-1", &tercero, &local);
    fields.push(("pol_rce_medicos".into(), "20.000.000".into()));
    let response = gestor.post("/contratos", &pairs(&fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = location(&response)
        .trim_start_matches("/contratos/")
        .to_string();
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("gastos médicos: $ 20.000.000"), "{page}");
    let edit = text(&gestor, &format!("/contratos/{id}/editar")).await;
    assert!(edit.contains("value=\"20.000.000\""), "edit form prefilled");

    // A póliza with enough value and validity but without that sub-limit does not comply.
    let response = gestor
        .post(
            &format!("/contratos/{id}/polizas/nueva"),
            &[
                ("tipo", "rce"),
                ("numero", "RCE-SUB-1"),
                ("aseguradora", "Sura"),
                ("valor_asegurado", "150.000.000"),
                ("vigencia_desde", &iso(today - Duration::days(300))),
                ("vigencia_hasta", &iso(today + Duration::days(400))),
                ("estado", "aporte_inicial"),
                ("exigida_por", "contrato"),
                ("colchon", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let poliza = text(&gestor, &location(&response)).await;
    assert!(poliza.contains("No cumple"), "{poliza}");
    assert!(poliza.contains("no incluye el sublímite de gastos médicos"));
    let list = text(&gestor, &format!("/polizas?contrato={id}")).await;
    assert!(list.contains("RCE-SUB-1"));
    assert!(list.contains("No cumple"));

    // An Otro Sí replacing the required policies, with a new sub-limit and a cumplimiento cover.
    let os = [
        ("vigencia_desde", iso(today)),
        ("descripcion", "Nuevas pólizas".to_string()),
        ("cambia_polizas", "true".to_string()),
        ("pol_rce", "true".to_string()),
        ("pol_rce_valor", "100.000.000".to_string()),
        ("pol_rce_meses", "3".to_string()),
        ("pol_rce_medicos", "25.000.000".to_string()),
        ("pol_cumplimiento", "true".to_string()),
        ("pol_cumplimiento_valor", "80.000.000".to_string()),
        ("pol_cumplimiento_meses", "3".to_string()),
        ("pol_cumplimiento_canon", "30.000.000".to_string()),
    ];
    let os: Vec<(&str, &str)> = os.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = gestor.post(&format!("/contratos/{id}/otrosi"), &os).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let edit = text(&gestor, &format!("/contratos/{id}/otrosi/1/editar")).await;
    assert!(
        edit.contains("value=\"25.000.000\""),
        "Otro Sí form prefilled"
    );
    assert!(edit.contains("value=\"30.000.000\""));
    let response = gestor
        .post(&format!("/contratos/{id}/otrosi/1/enviar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let admin = web.logged_in("ana-admin").await;
    // Approval asks first; confirmed, it approves.
    let response = admin
        .post(&format!("/contratos/{id}/otrosi/1/aprobar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .post(
            &format!("/contratos/{id}/otrosi/1/aprobar"),
            &[("confirmar", "si")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let page = text(&admin, &format!("/contratos/{id}")).await;
    assert!(page.contains("gastos médicos: $ 25.000.000"), "{page}");
    assert!(page.contains("cánones de arrendamiento: $ 30.000.000"));
    assert!(!page.contains("gastos médicos: $ 20.000.000"));
    assert!(page.contains("modificado por OS-1"));
}
both_engines!(
    sublimits_typed_in_the_forms_are_stored_and_checked,
    super::sublimits_typed_in_the_forms_are_stored_and_checked
);
