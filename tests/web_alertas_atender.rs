//! Issue 16 item 2: alerts lead to where they are resolved, and can be postponed until a date or
//! marked as handled, with a note (events of the contract): a postponed alert leaves the panel,
//! the contract page says who postponed it and why, and it comes back on the date.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::sync::Arc;

use arriendo::projector::Projector;
use arriendo_events::{PaymentModality, Role};
use auth_support::{Browser, Web, location};
use chrono::Duration;
use common::Engine;
use web_fixtures::*;

/// Posts the decision form about contract `id`'s missing RCE póliza with `extra` fields.
async fn atender(who: &Browser, id: uuid::Uuid, extra: &[(&str, &str)]) -> reqwest::Response {
    let id = id.to_string();
    let mut fields = vec![
        ("contrato", id.as_str()),
        ("tipo", "polizas-no-aportadas"),
        ("asunto", "RCE"),
    ];
    fields.extend_from_slice(extra);
    who.post("/alertas/atender", &fields).await
}

async fn an_alert_is_acted_on_postponed_and_comes_back(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let plaza = local(&web.app, "Local 7").await;
    let fijo = PaymentModality::Fijo {
        canon: money(8_000_000),
    };
    // The fixture's terms require an RCE póliza from the start: «Pólizas requeridas no aportadas».
    let id = contract(
        &web.app,
        terms("CT-ALE-1", tercero, Some(plaza), fijo, today, 30),
    )
    .await;

    let gus = web.logged_in("gus").await;
    let panel = page(gus.get("/").await, 200).await;
    let resolve = format!("href=\"/contratos/{id}/polizas/nueva?tipo=rce\"");
    assert!(
        panel.contains(&resolve),
        "the alert leads to the póliza form: {panel}"
    );
    let handle = format!("/alertas/atender?contrato={id}&tipo=polizas-no-aportadas&asunto=RCE");
    assert!(panel.contains(&handle.replace('&', "&amp;")));
    // The póliza form opens with the type chosen.
    let form = page(
        gus.get(&format!("/contratos/{id}/polizas/nueva?tipo=rce"))
            .await,
        200,
    )
    .await;
    assert!(form.contains("<option value=\"rce\" selected"), "{form}");
    let list = page(gus.get("/alertas").await, 200).await;
    assert!(list.contains(&resolve));
    let contract_page = page(gus.get(&format!("/contratos/{id}")).await, 200).await;
    assert!(contract_page.contains(&resolve));

    let asked = page(gus.get(&handle).await, 200).await;
    assert!(asked.contains("name=\"asunto\" value=\"RCE\""));
    let until = today + Duration::days(10);
    let iso = until.format("%Y-%m-%d").to_string();
    // Without a note, or with a date that is not after today: 422, nothing written.
    let no_note = atender(&gus, id, &[("accion", "posponer"), ("hasta", &iso)]).await;
    assert!(page(no_note, 422).await.contains("Escriba una nota"));
    let today_iso = today.format("%Y-%m-%d").to_string();
    let too_soon = atender(
        &gus,
        id,
        &[
            ("accion", "posponer"),
            ("hasta", &today_iso),
            ("nota", "Mañana"),
        ],
    )
    .await;
    assert!(page(too_soon, 422).await.contains("posterior a hoy"));
    let unknown = gus
        .get(&format!(
            "/alertas/atender?contrato={id}&tipo=polizas-no-aportadas&asunto=Vida"
        ))
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
    let auditor = web.logged_in("aud").await;
    assert_eq!(auditor.get(&handle).await.status().as_u16(), 403);

    let done = atender(
        &gus,
        id,
        &[
            ("accion", "posponer"),
            ("hasta", &iso),
            ("nota", "El corredor envía la póliza la otra semana"),
        ],
    )
    .await;
    assert_eq!(done.status().as_u16(), 303);
    assert_eq!(location(&done), "/");
    let events = web
        .app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap();
    let h = events
        .alert_handling("polizas-no-aportadas", "RCE")
        .unwrap();
    assert_eq!(h.by, "gus");

    // Off the panel and off the list seen before (both kept in memory until the read models move);
    // on the contract page with who and why.
    let panel = page(gus.get("/").await, 200).await;
    assert!(!panel.contains(&resolve), "{panel}");
    let list = page(gus.get("/alertas").await, 200).await;
    assert!(!list.contains(&resolve), "{list}");
    let contract_page = page(gus.get(&format!("/contratos/{id}")).await, 200).await;
    let sentence = format!(
        "Pospuesta hasta el {} por gus: «El corredor envía la póliza la otra semana»",
        until.format("%d/%m/%Y")
    );
    assert!(contract_page.contains(&sentence), "{contract_page}");
    assert!(contract_page.contains("Pospuso la alerta «Pólizas requeridas no aportadas»"));
    let listed = page(gus.get("/alertas?atendidas=si").await, 200).await;
    assert!(listed.contains(&sentence));

    // On the date it is back on the panel.
    let later = Projector::with_clock(web.app.db.clone(), Arc::new(move || until));
    later.catch_up().await.unwrap();
    let panel = page(gus.get("/").await, 200).await;
    assert!(panel.contains(&resolve), "back on {until}");
    let list = page(gus.get("/alertas").await, 200).await;
    assert!(list.contains(&resolve), "back on the list on {until}");

    // Marked as handled: off the panel while its date stays.
    let seen = atender(
        &gus,
        id,
        &[
            ("accion", "atendida"),
            ("nota", "Se pidió a la aseguradora"),
        ],
    )
    .await;
    assert_eq!(seen.status().as_u16(), 303);
    later.catch_up().await.unwrap();
    assert!(!page(gus.get("/").await, 200).await.contains(&resolve));
    let stored = web
        .app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap();
    assert!(stored.alert_decisions.iter().any(|h| matches!(
        h.decision,
        arriendo_events::AlertDecision::Acknowledged { .. }
    )));
}
both_engines!(
    alert_acted_on_and_postponed,
    super::an_alert_is_acted_on_postponed_and_comes_back
);

async fn an_expired_contract_without_renewal_or_termination_is_an_alert(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "860002964-4", "Ferretería Los Andes").await;
    let fijo = PaymentModality::Fijo {
        canon: money(3_000_000),
    };
    // 36 months that ended 20 days ago.
    let mut t = terms("CT-ALE-2", tercero, None, fijo, today, 1_116);
    t.required_policies = vec![];
    let id = contract(&web.app, t).await;
    let gus = web.logged_in("gus").await;
    let list = page(gus.get("/alertas?tipo=contrato-vencido").await, 200).await;
    assert!(list.contains("CT-ALE-2"), "{list}");
    assert!(list.contains("no tiene renovación ni terminación registrada"));
    assert!(list.contains(&format!("href=\"/contratos/{id}#terminacion\"")));
}
both_engines!(
    expired_contract_alert,
    super::an_expired_contract_without_renewal_or_termination_is_an_alert
);
