//! Alertas por correo over HTTP, on both engines: an administrador configures a kind's digest and
//! its recipients, every change is logged with who did it, invalid input is refused in Spanish with
//! 422 (bad address, unknown kind, bad hour), a gestor gets 403, and the send history lists a run
//! started with «Enviar ahora» (no SMTP server here: recorded as ERROR).
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo::digest::due::Frequency;
use arriendo::digest::{recipients, settings};
use arriendo_events::{PaymentModality, Role};
use arriendo_projections::AlertKind;
use auth_support::{Web, location};
use common::Engine;
use web_fixtures::*;

async fn settings_and_recipients_are_edited_and_logged(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;

    let gus = web.logged_in("gus").await;
    assert_eq!(gus.get("/alertas/correo").await.status(), 403);
    assert_eq!(
        gus.post("/alertas/correo", &[("tipo", "preaviso")])
            .await
            .status(),
        403
    );

    let ana = web.logged_in("ana").await;
    let html = page(ana.get("/alertas/correo").await, 200).await;
    // Every kind of the list, off until configured.
    for kind in AlertKind::ALL {
        assert!(html.contains(kind.label()), "{} missing", kind.label());
        assert!(html.contains(&format!("href=\"/alertas/correo/{}\"", kind.slug())));
    }
    assert!(html.contains("No hay servidor SMTP configurado"));
    page(ana.get("/alertas/correo/preaviso").await, 200).await;
    assert_eq!(ana.get("/alertas/correo/no-existe").await.status(), 404);

    let response = ana
        .post(
            "/alertas/correo",
            &[
                ("tipo", "preaviso"),
                ("activo", "1"),
                ("frecuencia", "semanal"),
                ("dias", "0"),
                ("dias", "3"),
                ("hora", "07:30"),
                ("solo_criticas", "1"),
                ("asunto", "Preavisos de la semana"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(location(&response), "/alertas/correo/preaviso");
    let stored = settings::load(&web.app.db, AlertKind::Preaviso)
        .await
        .unwrap();
    assert!(stored.enabled && stored.only_critical);
    assert_eq!(stored.schedule.frequency, Frequency::Weekly);
    assert_eq!(stored.schedule.weekdays, [0, 3]);
    assert_eq!(stored.schedule.time.format("%H:%M").to_string(), "07:30");
    assert_eq!(stored.subject.as_deref(), Some("Preavisos de la semana"));
    assert_eq!(stored.updated_by, "ana");

    let html = page(ana.get("/alertas/correo/preaviso").await, 200).await;
    assert!(html.contains("Se guardó la programación de «Preaviso»."));
    assert!(
        html.contains("Semanal (lunes, jueves) a las 07:30"),
        "{html}"
    );

    // Bad hour, no weekday for a weekly digest: 422, in Spanish, nothing changed.
    let response = ana
        .post(
            "/alertas/correo",
            &[
                ("tipo", "preaviso"),
                ("frecuencia", "semanal"),
                ("hora", "25:99"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("La hora debe tener el formato HH:MM"));
    assert!(html.contains("Elija al menos un día de la semana"));
    let unchanged = settings::load(&web.app.db, AlertKind::Preaviso)
        .await
        .unwrap();
    assert_eq!(unchanged.schedule, stored.schedule);
    // An unknown kind: 422, not 500.
    let html = page(
        ana.post(
            "/alertas/correo",
            &[
                ("tipo", "inventada"),
                ("frecuencia", "diaria"),
                ("hora", "08:00"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("El tipo de alerta no existe."));
    let html = page(
        ana.post(
            "/alertas/correo/destinatarios",
            &[("tipo", "inventada"), ("correo", "a@b.co")],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("El tipo de alerta no existe."));

    // Recipients: a bad address is refused; a good one is added once; a user can be tied.
    let html = page(
        ana.post(
            "/alertas/correo/destinatarios",
            &[("tipo", "preaviso"), ("correo", "juridica-sin-arroba")],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("Escriba un correo electrónico válido"));
    for email in ["juridica@plaza.example", "Juridica@Plaza.example"] {
        ana.post(
            "/alertas/correo/destinatarios",
            &[
                ("tipo", "preaviso"),
                ("correo", email),
                ("nombre", "Jurídica"),
            ],
        )
        .await;
    }
    let html = page(
        ana.post(
            "/alertas/correo/destinatarios",
            &[
                ("tipo", "preaviso"),
                ("correo", "otro@plaza.example"),
                ("usuario", "nadie"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("No existe el usuario «nadie»."));
    let response = ana
        .post(
            "/alertas/correo/destinatarios",
            &[
                ("tipo", "preaviso"),
                ("correo", "gus@plaza.example"),
                ("usuario", "gus"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let list = recipients::list(&web.app.db, Some(AlertKind::Preaviso))
        .await
        .unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list.iter().all(|r| r.active && r.receives()));

    // Deactivate, then remove.
    let id = list
        .iter()
        .find(|r| r.email == "juridica@plaza.example")
        .unwrap()
        .id
        .clone();
    let path = format!("/alertas/correo/destinatarios/{id}");
    assert_eq!(
        ana.post(&path, &[("accion", "desactivar")]).await.status(),
        303
    );
    let list = recipients::list(&web.app.db, Some(AlertKind::Preaviso))
        .await
        .unwrap();
    assert!(!list.iter().find(|r| r.id == id).unwrap().active);
    assert_eq!(ana.post(&path, &[("accion", "volar")]).await.status(), 422);
    assert_eq!(ana.post(&path, &[("accion", "quitar")]).await.status(), 303);
    assert_eq!(ana.post(&path, &[("accion", "quitar")]).await.status(), 404);

    // The log names who did each change.
    let changes = settings::changes(&web.app.db, Some(AlertKind::Preaviso), 50)
        .await
        .unwrap();
    let summaries: Vec<&str> = changes.iter().map(|c| c.summary.as_str()).collect();
    assert!(changes.iter().all(|c| c.actor == "ana"), "{changes:?}");
    for expected in [
        "activado; Semanal (lunes, jueves) a las 07:30; solo críticas; asunto «Preavisos de la semana»",
        "destinatario juridica@plaza.example agregado",
        "destinatario juridica@plaza.example desactivado",
        "destinatario juridica@plaza.example quitado",
    ] {
        assert!(
            summaries.contains(&expected),
            "{expected} not in {summaries:?}"
        );
    }
    let html = page(ana.get("/alertas/correo/preaviso").await, 200).await;
    assert!(html.contains("destinatario juridica@plaza.example quitado"));

    // «Enviar ahora» without an SMTP server: one ERROR row per active recipient, shown in the history.
    let today = arriendo::app::today();
    let t = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    contract(
        &web.app,
        terms(
            "C-PRE",
            t,
            None,
            PaymentModality::Fijo {
                canon: money(1_000_000),
            },
            today,
            1070,
        ),
    )
    .await;
    let response = ana
        .post("/alertas/correo/enviar", &[("tipo", "preaviso")])
        .await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/alertas/correo/historial").await, 200).await;
    assert!(html.contains("gus@plaza.example"), "{html}");
    assert!(html.contains("ERROR"));
    assert!(html.contains("no hay servidor SMTP configurado"));
    assert!(html.contains("Manual"));
    assert_eq!(gus.get("/alertas/correo/historial").await.status(), 403);

    // A recipient tied to a user stops receiving when the user is deactivated.
    arriendo::auth::users::deactivate(
        &web.app,
        &arriendo_events::Actor::new("ana", Role::Administrador),
        "gus",
        arriendo::store::Metadata::system("test"),
    )
    .await
    .unwrap();
    web.app.projector.catch_up().await.unwrap();
    let list = recipients::list(&web.app.db, Some(AlertKind::Preaviso))
        .await
        .unwrap();
    assert!(list.iter().all(|r| !r.receives()), "{list:?}");
    let html = page(ana.get("/alertas/correo/preaviso").await, 200).await;
    assert!(html.contains("Usuario inactivo"));
    let before = arriendo::digest::history::count(&web.app.db).await.unwrap();
    ana.post("/alertas/correo/enviar", &[("tipo", "preaviso")])
        .await;
    let html = page(ana.get("/alertas/correo/preaviso").await, 200).await;
    assert!(html.contains("no tiene destinatarios activos"), "{html}");
    assert_eq!(
        arriendo::digest::history::count(&web.app.db).await.unwrap(),
        before
    );
}
both_engines!(
    settings_and_recipients_are_edited_and_logged,
    crate::settings_and_recipients_are_edited_and_logged
);
