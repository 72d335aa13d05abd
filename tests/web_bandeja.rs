//! Issue 16 item 1: the approval inbox. A gestor sends an Otro Sí to revisión; the administrador
//! sees the count in the navigation, approves from the inbox (with the contract page's own
//! confirmation), rejects another only with a reason; a decided item answers 409, never 500; the
//! gestor sees how what they sent went. Renewals go through the same inbox.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{Actor, ContratoCommand, OtroSiChanges, OtroSiNumber, PaymentModality, Role};
use auth_support::{Web, location};
use common::Engine;
use web_fixtures::*;

fn gus() -> Actor {
    Actor::new("gus", Role::Gestor)
}

/// `gus` drafts an Otro Sí raising the canon and sends it to revisión.
async fn send_otro_si(web: &Web, id: uuid::Uuid, n: u32, canon: i64) {
    let today = arriendo::app::today();
    run(
        &web.app,
        id,
        ContratoCommand::DraftOtroSi {
            actor: gus(),
            effective_from: today,
            effective_to: None,
            changes: OtroSiChanges {
                canon: Some(money(canon)),
                ..OtroSiChanges::default()
            },
            description: format!("Incremento pactado {n}"),
        },
    )
    .await;
    run(
        &web.app,
        id,
        ContratoCommand::SubmitOtroSi {
            actor: gus(),
            number: OtroSiNumber(n),
        },
    )
    .await;
    web.app.projector.catch_up().await.unwrap();
}

fn item(id: uuid::Uuid, tipo: &'static str, n: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("contrato", id.to_string()),
        ("tipo", tipo.to_string()),
        ("numero", n.to_string()),
    ]
}

fn fields<'a>(
    base: &'a [(&'static str, String)],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    all
}

async fn the_inbox_approves_rejects_and_tells_the_sender(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Almacenes Éxito S.A.").await;
    let plaza = local(&web.app, "Local 12").await;
    let fijo = PaymentModality::Fijo {
        canon: money(10_000_000),
    };
    let id = contract(
        &web.app,
        terms("CT-BAN-1", tercero, Some(plaza), fijo, today, 30),
    )
    .await;
    send_otro_si(&web, id, 1, 12_000_000).await;

    let ana = web.logged_in("ana").await;
    let panel = page(ana.get("/").await, 200).await;
    assert!(
        panel.contains("<span class=\"nav-count\"><span class=\"visually-hidden\">(</span>1<span class=\"visually-hidden\"> pendiente)</span></span>"),
        "{panel}"
    );
    assert!(panel.contains("1 aprobación pendiente"), "Mis tareas");
    let inbox = page(ana.get("/bandeja").await, 200).await;
    assert!(
        inbox.contains("OS-1") && inbox.contains("CT-BAN-1") && inbox.contains("Enviado por gus")
    );

    // Approving from the inbox asks first, like the contract page, then approves.
    let os1 = item(id, "otrosi", "1");
    let asked = page(ana.post("/bandeja/aprobar", &fields(&os1, &[])).await, 200).await;
    assert!(asked.contains("Sí, aprobar OS-1"), "{asked}");
    assert!(asked.contains("action=\"/bandeja/aprobar\""));
    let approved = ana
        .post("/bandeja/aprobar", &fields(&os1, &[("confirmar", "si")]))
        .await;
    assert_eq!(approved.status().as_u16(), 303);
    assert_eq!(location(&approved), "/bandeja");
    let after = page(ana.get("/bandeja").await, 200).await;
    assert!(after.contains("OS-1 aprobado"), "flash: {after}");
    assert!(!page(ana.get("/").await, 200).await.contains("nav-count"));
    // The same approval again: the item was decided, 409 with the inbox as it is now.
    let stale = page(
        ana.post("/bandeja/aprobar", &fields(&os1, &[("confirmar", "si")]))
            .await,
        409,
    )
    .await;
    assert!(
        stale.contains("ya no espera aprobación: ya fue aprobado por ana"),
        "{stale}"
    );

    // A rejection needs a reason (422, beside the item), then it is recorded.
    send_otro_si(&web, id, 2, 13_000_000).await;
    let os2 = item(id, "otrosi", "2");
    let no_reason = page(
        ana.post("/bandeja/rechazar", &fields(&os2, &[("motivo", "  ")]))
            .await,
        422,
    )
    .await;
    assert!(no_reason.contains("Indique el motivo del rechazo."));
    assert!(no_reason.contains("aria-invalid=\"true\""));
    let contrato = web
        .app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        contrato.find_otro_si(OtroSiNumber(2)).map(|o| o.status),
        Some(arriendo_events::OtroSiStatus::EnRevision),
        "nothing written"
    );
    let rejected = ana
        .post(
            "/bandeja/rechazar",
            &fields(&os2, &[("motivo", "Falta la firma del arrendatario")]),
        )
        .await;
    assert_eq!(rejected.status().as_u16(), 303);
    page(
        ana.post(
            "/bandeja/rechazar",
            &fields(&os2, &[("motivo", "Otra vez")]),
        )
        .await,
        409,
    )
    .await;
    // An unknown item is 404.
    page(
        ana.post("/bandeja/aprobar", &fields(&item(id, "otrosi", "9"), &[]))
            .await,
        404,
    )
    .await;

    // The gestor sees how what they sent went, and cannot decide.
    let gus = web.logged_in("gus").await;
    let theirs = page(gus.get("/bandeja").await, 200).await;
    assert!(theirs.contains("Lo que usted envió"));
    assert!(
        theirs.contains("aprobado") && theirs.contains("Decidido por ana"),
        "{theirs}"
    );
    assert!(theirs.contains("Motivo: «Falta la firma del arrendatario»"));
    assert!(!theirs.contains("action=\"/bandeja/aprobar\""));
    let panel = page(gus.get("/").await, 200).await;
    assert!(
        panel.contains("Falta la firma del arrendatario"),
        "Mis tareas: {panel}"
    );
    assert_eq!(
        gus.post("/bandeja/aprobar", &fields(&os2, &[("confirmar", "si")]))
            .await
            .status()
            .as_u16(),
        403
    );
}
both_engines!(
    inbox_approves_and_rejects,
    super::the_inbox_approves_rejects_and_tells_the_sender
);

async fn a_proposed_renewal_is_approved_from_the_inbox(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "860002964-4", "Droguería Andina").await;
    let fijo = PaymentModality::Fijo {
        canon: money(5_000_000),
    };
    let mut t = terms("CT-BAN-2", tercero, None, fijo, today, 1_090);
    t.automatic_extension = true;
    let id = contract(&web.app, t).await;
    run(
        &web.app,
        id,
        ContratoCommand::ProposeRenewal { actor: gus() },
    )
    .await;
    web.app.projector.catch_up().await.unwrap();

    let ana = web.logged_in("ana").await;
    let inbox = page(ana.get("/bandeja").await, 200).await;
    assert!(inbox.contains("Renovación RA-1"), "{inbox}");
    let ra1 = item(id, "renovacion", "1");
    let asked = page(ana.post("/bandeja/aprobar", &fields(&ra1, &[])).await, 200).await;
    assert!(asked.contains("Sí, aprobar RA-1"));
    let done = ana
        .post("/bandeja/aprobar", &fields(&ra1, &[("confirmar", "si")]))
        .await;
    assert_eq!(done.status().as_u16(), 303);
    let state = web
        .app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        state.renovaciones[0].status,
        arriendo_events::RenewalStatus::Aprobada
    );
    page(
        ana.post("/bandeja/rechazar", &fields(&ra1, &[("motivo", "Tarde")]))
            .await,
        409,
    )
    .await;
}
both_engines!(
    renewal_from_the_inbox,
    super::a_proposed_renewal_is_approved_from_the_inbox
);
