//! Issue 13, item 5: a follow-up note carries a date to act again, which raises a «Seguimiento
//! pendiente» alert on the contract page and in the alert list; the note can be corrected and
//! withdrawn, each an event that keeps the original in the history. Both engines.
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

async fn post(who: &Browser, path: &str, fields: &[(&str, &str)]) -> u16 {
    who.post(path, fields).await.status().as_u16()
}

async fn a_follow_up_note_reminds_and_can_be_corrected_and_withdrawn(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(
        &web.app,
        terms("CT-SEG-1", tercero, None, modality, today, 30),
    )
    .await;
    let gus = web.logged_in("gus").await;
    let page = format!("/contratos/{id}");
    let add = format!("{page}/seguimientos");

    // A follow-up date before the note (today) is refused; an unreadable one too.
    let yesterday = (today - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        post(
            &gus,
            &add,
            &[("nota", "Llamar"), ("seguimiento_fecha", &yesterday)]
        )
        .await,
        303
    );
    let refused = text(&gus, &page).await;
    assert!(
        refused.contains("no puede ser anterior a la fecha de la nota"),
        "{refused}"
    );
    assert_eq!(
        post(
            &gus,
            &add,
            &[("nota", "Llamar"), ("seguimiento_fecha", "zzz")]
        )
        .await,
        303
    );
    assert!(text(&gus, &page).await.contains("Volver a revisar el"));

    // In three days: a warning on the contract page and in the alert list.
    let in_three = (today + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        post(
            &gus,
            &add,
            &[
                ("nota", "Pedir la póliza RCE"),
                ("seguimiento_fecha", &in_three)
            ]
        )
        .await,
        303
    );
    web.app.projector.catch_up().await.unwrap();
    let shown = text(&gus, &page).await;
    assert!(shown.contains("Pedir la póliza RCE"));
    assert!(shown.contains("Revisar el"));
    assert!(
        shown.contains("Seguimiento pendiente"),
        "the contract's alerts list it"
    );
    let listed = text(&gus, "/alertas?tipo=seguimiento").await;
    assert!(
        listed.contains("CT-SEG-1") && listed.contains("Pedir la póliza RCE"),
        "{listed}"
    );

    // The auditor changes nothing.
    let correct = format!("{page}/seguimientos/1/corregir");
    let retract = format!("{page}/seguimientos/1/retirar");
    let aud = web.logged_in("aud").await;
    assert_eq!(post(&aud, &correct, &[("nota_1", "x")]).await, 403);

    // Corrected: the new text shows, the original stays in the history.
    assert_eq!(
        post(
            &gus,
            &correct,
            &[("nota_1", "Pedir las pólizas RCE y de cumplimiento")]
        )
        .await,
        303
    );
    let corrected = text(&gus, &page).await;
    assert!(corrected.contains("Pedir las pólizas RCE y de cumplimiento"));
    assert!(corrected.contains("corregida por gus"));
    assert!(corrected.contains("Corrigió la nota de seguimiento número 1"));
    assert!(
        corrected.contains("Agregó un seguimiento: «Pedir la póliza RCE»"),
        "the original stays"
    );

    // Withdrawn: a reason is required; then the reminder is gone and the note is marked.
    assert_eq!(post(&gus, &retract, &[("motivo_1", " ")]).await, 303);
    assert!(text(&gus, &page).await.contains("motivo del retiro"));
    assert_eq!(
        post(
            &gus,
            &retract,
            &[("motivo_1", "Se registró en el contrato equivocado")]
        )
        .await,
        303
    );
    web.app.projector.catch_up().await.unwrap();
    let withdrawn = text(&gus, &page).await;
    assert!(withdrawn.contains("Retirada"));
    assert!(withdrawn.contains("Se registró en el contrato equivocado"));
    assert!(
        !text(&gus, "/alertas?tipo=seguimiento")
            .await
            .contains("CT-SEG-1")
    );
    // A note that does not exist, or is withdrawn already, is refused in words.
    assert_eq!(
        post(
            &gus,
            &format!("{page}/seguimientos/9/retirar"),
            &[("motivo_9", "x")]
        )
        .await,
        303
    );
    assert!(
        text(&gus, &page)
            .await
            .contains("xiste la nota de seguimiento número 9")
    );
    assert_eq!(
        post(
            &gus,
            &format!("{page}/seguimientos/0/retirar"),
            &[("motivo_0", "x")]
        )
        .await,
        404
    );
}
async fn a_poliza_note_is_corrected_and_withdrawn(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(
        &web.app,
        terms("CT-SEG-2", tercero, None, modality, today, 30),
    )
    .await;
    let pid = uuid::Uuid::now_v7();
    run(
        &web.app,
        id,
        arriendo_events::ContratoCommand::RegisterPoliza {
            actor: admin(),
            id: pid,
            poliza: arriendo_events::PolizaData {
                kind: arriendo_events::PolicyKind::Rce,
                number: "RCE-9".into(),
                insurer: "Sura".into(),
                insured_value: money(600_000_000),
                rce_sublimits: None,
                cumplimiento_cover: None,
                validity: arriendo_events::DateRange::new(
                    today,
                    today + chrono::Duration::days(365),
                )
                .unwrap(),
                state: arriendo_events::PolizaState::AporteInicial,
                required_by: arriendo_events::RequiredBy::Contract,
                colchon_months: 0,
            },
        },
    )
    .await;
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;
    let page = format!("/polizas/{pid}");
    let day = today.format("%Y-%m-%d").to_string();
    let in_two = (today + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        post(
            &gus,
            &format!("{page}/seguimientos"),
            &[
                ("seguimiento_fecha", &day),
                ("seguimiento_nota", "Pedir el certificado"),
                ("seguimiento_revisar", &in_two),
            ]
        )
        .await,
        303
    );
    web.app.projector.catch_up().await.unwrap();
    let reminders = text(&gus, "/alertas?tipo=seguimiento").await;
    assert!(
        reminders.contains("Seguimiento de la póliza RCE RCE-9 del contrato CT-SEG-2"),
        "{reminders}"
    );
    assert_eq!(
        post(
            &gus,
            &format!("{page}/seguimientos/1/corregir"),
            &[("nota_1", "Pedir el certificado y el recibo de pago")]
        )
        .await,
        303
    );
    let corrected = text(&gus, &page).await;
    assert!(corrected.contains("Pedir el certificado y el recibo de pago"));
    assert!(corrected.contains("corregida por gus"));
    assert_eq!(
        post(
            &gus,
            &format!("{page}/seguimientos/1/retirar"),
            &[("motivo_1", "Duplicada")]
        )
        .await,
        303
    );
    let withdrawn = text(&gus, &page).await;
    assert!(
        withdrawn.contains("retirada por gus: Duplicada"),
        "{withdrawn}"
    );
    let history = text(&gus, &format!("/contratos/{id}")).await;
    assert!(history.contains("Corrigió la nota de seguimiento número 1 de "));
    assert!(history.contains("Retiró la nota de seguimiento número 1 de "));
}
both_engines!(
    a_poliza_note_is_corrected_and_withdrawn,
    super::a_poliza_note_is_corrected_and_withdrawn
);

both_engines!(
    a_follow_up_note_reminds_and_can_be_corrected_and_withdrawn,
    super::a_follow_up_note_reminds_and_can_be_corrected_and_withdrawn
);
