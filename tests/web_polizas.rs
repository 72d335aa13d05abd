//! Pólizas over HTTP: register one that does not comply (reasons shown), one that complies, the
//! list with its filters, renew, seguimiento and cancel from the detail page.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{PaymentModality, Role};
use arriendo_views::format;
use auth_support::{Web, form_version, location};
use chrono::Duration;
use common::Engine;
use web_fixtures::*;

async fn register_policies_see_compliance_and_act_on_them(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let terms = terms(
        "CT-8001",
        tercero,
        None,
        PaymentModality::Fijo {
            canon: money(8_000_000),
        },
        today,
        20,
    );
    let start = terms.start_date;
    let end = terms.end_date;
    let id = contract(app, terms).await;
    let gus = web.logged_in("gus").await;

    // The form shows what the contract requires and the documents to choose from.
    let form = page(
        gus.get(&format!("/contratos/{id}/polizas/nueva")).await,
        200,
    )
    .await;
    assert!(form.contains("Lo que exige el contrato hoy"));
    assert!(form.contains("$ 500.000.000"));
    assert!(form.contains("predios, labores y operaciones: $ 300.000.000"));
    assert!(form.contains("value=\"contrato\""));

    // Missing fields: errors beside them, input kept.
    let response = gus
        .post(
            &format!("/contratos/{id}/polizas/nueva"),
            &[
                ("tipo", "rce"),
                ("numero", "RCE-1"),
                ("valor_asegurado", "abc"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("campo-aseguradora-error"));
    assert!(html.contains("«abc» no es un valor en pesos válido"));
    assert!(html.contains("campo-vigencia_desde-error"));
    assert!(html.contains("value=\"RCE-1\""));

    // A póliza that does not comply.
    let from = format::date_input(start);
    let to = format::date_input(end);
    let response = gus
        .post(
            &format!("/contratos/{id}/polizas/nueva"),
            &[
                ("tipo", "rce"),
                ("numero", "RCE-1"),
                ("aseguradora", "Seguros Bolívar"),
                ("valor_asegurado", "100.000.000"),
                ("vigencia_desde", &from),
                ("vigencia_hasta", &to),
                ("estado", "aporte_inicial"),
                ("exigida_por", "contrato"),
                ("colchon", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let first = location(&response);
    let html = page(gus.get(&first).await, 200).await;
    assert!(html.contains("Póliza RCE-1 registrada."));
    assert!(html.contains("No cumple"));
    assert!(
        html.contains(
            "el valor asegurado $ 100.000.000 es menor que el mínimo exigido $ 500.000.000"
        )
    );
    assert!(html.contains("no incluye el sublímite de predios, labores y operaciones"));
    assert!(
        html.contains("no cubre hasta la fecha final exigida"),
        "colchón applied"
    );
    assert!(html.contains("1 meses"));

    // One that complies.
    let to = format::date_input(end + Duration::days(40));
    let response = gus
        .post(
            &format!("/contratos/{id}/polizas/nueva"),
            &[
                ("tipo", "rce"),
                ("numero", "RCE-2"),
                ("aseguradora", "Sura"),
                ("valor_asegurado", "$600.000.000"),
                ("rce_predios", "300.000.000"),
                ("vigencia_desde", &from),
                ("vigencia_hasta", &to),
                ("estado", "actualizacion"),
                ("exigida_por", "contrato"),
                ("colchon", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let second = location(&response);
    let html = page(gus.get(&second).await, 200).await;
    assert!(html.contains("Cumple"));
    assert!(!html.contains("No cumple"));
    assert!(html.contains("Vigente"));
    assert!(html.contains("$ 300.000.000"));

    // The same number again for the same kind: refused beside the number.
    let response = gus
        .post(
            &format!("/contratos/{id}/polizas/nueva"),
            &[
                ("tipo", "rce"),
                ("numero", "RCE-2"),
                ("aseguradora", "Sura"),
                ("valor_asegurado", "600.000.000"),
                ("vigencia_desde", &from),
                ("vigencia_hasta", &to),
                ("exigida_por", "contrato"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("La póliza número RCE-2 ya está registrada en este contrato."));

    // The list, for this contract and filtered.
    let list = page(gus.get(&format!("/polizas?contrato={id}")).await, 200).await;
    assert!(list.contains("RCE-1") && list.contains("RCE-2"));
    assert!(list.contains("2 pólizas · contrato CT-8001"));
    let list = page(gus.get("/polizas?cumplimiento=no_cumple").await, 200).await;
    assert!(list.contains("RCE-1") && !list.contains("RCE-2"));
    let list = page(gus.get("/polizas?estado=vigente&tipo=rce").await, 200).await;
    assert!(list.contains("RCE-2"));
    let list = page(gus.get("/polizas?tipo=cumplimiento").await, 200).await;
    assert!(list.contains("No hay pólizas con esos filtros."));

    // Renew the first one: new validity, state prórroga.
    let new_to = format::date_input(end + Duration::days(60));
    let response = gus
        .post(
            &format!("{first}/renovar"),
            &[("renovar_desde", &from), ("renovar_hasta", &new_to)],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&first).await, 200).await;
    assert!(html.contains("Póliza renovada hasta el"));
    assert!(html.contains("Prórroga"));

    // A renewal that ends before it starts: the domain's message beside the field.
    let response = gus
        .post(
            &format!("{first}/renovar"),
            &[("renovar_desde", &new_to), ("renovar_hasta", &from)],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("La fecha final debe ser posterior a la inicial."));

    // Seguimiento, then cancel.
    let response = gus
        .post(
            &format!("{first}/seguimientos"),
            &[
                ("seguimiento_fecha", &format::date_input(today)),
                ("seguimiento_nota", "Se pidió el anexo de sublímites."),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&first).await, 200).await;
    assert!(html.contains("Se pidió el anexo de sublímites."));
    let response = gus
        .post(
            &format!("{first}/cancelar"),
            &[
                ("cancelar_fecha", &format::date_input(today)),
                ("cancelar_motivo", "Reemplazada por RCE-2"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&first).await, 200).await;
    assert!(html.contains("Cancelada"));
    assert!(html.contains("Reemplazada por RCE-2"));
    let list = page(gus.get("/polizas?estado=cancelada").await, 200).await;
    assert!(list.contains("RCE-1") && !list.contains("RCE-2"));

    // Edit the second one.
    let edit = page(gus.get(&format!("{second}/editar")).await, 200).await;
    assert!(edit.contains("value=\"600.000.000\""));
    let version = form_version(&edit);
    let response = gus
        .post(
            &second,
            &[
                ("version", &version),
                ("tipo", "rce"),
                ("numero", "RCE-2"),
                ("aseguradora", "Sura S.A."),
                ("valor_asegurado", "650.000.000"),
                ("rce_predios", "300.000.000"),
                ("vigencia_desde", &from),
                ("vigencia_hasta", &to),
                ("estado", "actualizacion"),
                ("exigida_por", "contrato"),
                ("colchon", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&second).await, 200).await;
    assert!(html.contains("Sura S.A.") && html.contains("$ 650.000.000"));

    // A second edit prepared from the same version: 409, the stored values beside the input.
    let response = gus
        .post(
            &second,
            &[
                ("version", &version),
                ("tipo", "rce"),
                ("numero", "RCE-2"),
                ("aseguradora", "Bolívar"),
                ("valor_asegurado", "700.000.000"),
                ("rce_predios", "300.000.000"),
                ("vigencia_desde", &from),
                ("vigencia_hasta", &to),
                ("estado", "actualizacion"),
                ("exigida_por", "contrato"),
                ("colchon", "0"),
            ],
        )
        .await;
    let html = page(response, 409).await;
    assert!(html.contains("La póliza cambió mientras la editaba"));
    assert!(html.contains("Sura S.A."), "the stored insurer");
    assert!(html.contains("value=\"Bolívar\""), "the user's input");
    assert_ne!(
        form_version(&html),
        version,
        "saving again is on the current version"
    );

    assert_eq!(gus.get("/polizas/nadie").await.status(), 404);
    assert_eq!(
        gus.get("/contratos/nadie/polizas/nueva").await.status(),
        404
    );
}
both_engines!(
    register_policies_see_compliance_and_act_on_them,
    super::register_policies_see_compliance_and_act_on_them
);
