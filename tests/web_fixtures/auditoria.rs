//! The contract an auditor replays: two Otro Sí, an adjustment, a renewal, a póliza and an edit with
//! its reason, on dates that let tests read it before, between and after each.

use arriendo::App;
use arriendo_events::{ContratoCommand, OtroSiChanges, OtroSiNumber, PaymentModality};
use chrono::NaiveDate;
use uuid::Uuid;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// CT-PAP-1: fijo $ 10.000.000 from 01/01/2024 for 36 months with prórroga automática and IPC + 2
/// on the anniversary; OS-1 raises the canon to $ 11.000.000 from 01/07/2024; the 2025 adjustment
/// (IPC 5,2 % + 2 = 7,2 %) takes it to $ 11.792.000 from 01/01/2025; OS-2 sets $ 12.500.000 from
/// 01/07/2025; RA-1 renews it; an edit moves the preaviso from 60 to 90 days, with its reason.
pub async fn audited_contract(app: &App) -> Uuid {
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let mut base = terms(
        "CT-PAP-1",
        tercero,
        None,
        PaymentModality::Fijo {
            canon: money(10_000_000),
        },
        d(2024, 1, 1),
        0,
    );
    base.automatic_extension = true;
    let id = contract(app, base.clone()).await;
    let otro_si = |from: NaiveDate, canon: i64, description: &str| ContratoCommand::DraftOtroSi {
        actor: admin(),
        effective_from: from,
        effective_to: None,
        changes: OtroSiChanges {
            canon: Some(money(canon)),
            ..Default::default()
        },
        description: description.into(),
    };
    let approve = |n: u32| {
        [
            ContratoCommand::SubmitOtroSi {
                actor: admin(),
                number: OtroSiNumber(n),
            },
            ContratoCommand::ApproveOtroSi {
                actor: admin(),
                number: OtroSiNumber(n),
            },
        ]
    };
    run(
        app,
        id,
        otro_si(d(2024, 7, 1), 11_000_000, "Ampliación del local"),
    )
    .await;
    for c in approve(1) {
        run(app, id, c).await;
    }
    run(
        app,
        id,
        ContratoCommand::RegisterPoliza {
            actor: admin(),
            id: Uuid::now_v7(),
            poliza: arriendo_events::PolizaData {
                kind: arriendo_events::PolicyKind::Rce,
                number: "RCE-77".into(),
                insurer: "Sura".into(),
                insured_value: money(600_000_000),
                rce_sublimits: None,
                cumplimiento_cover: None,
                validity: arriendo_events::DateRange::new(d(2024, 1, 1), d(2025, 1, 1)).unwrap(),
                state: arriendo_events::PolizaState::AporteInicial,
                required_by: arriendo_events::RequiredBy::Contract,
                colchon_months: 0,
            },
        },
    )
    .await;
    run(
        app,
        id,
        ContratoCommand::RecordCanonAdjustment {
            actor: admin(),
            year: 2025,
            index_value: pct("5,2"),
            effective_date: d(2025, 1, 1),
        },
    )
    .await;
    run(app, id, otro_si(d(2025, 7, 1), 12_500_000, "Nueva vitrina")).await;
    for c in approve(2) {
        run(app, id, c).await;
    }
    run(app, id, ContratoCommand::ProposeRenewal { actor: admin() }).await;
    run(
        app,
        id,
        ContratoCommand::ApproveRenewal {
            actor: admin(),
            number: arriendo_events::RenewalNumber(1),
        },
    )
    .await;
    let state = arriendo::queries::contract_state(&app.db, &id.to_string())
        .await
        .unwrap()
        .unwrap();
    let mut edited = state.terms.clone().unwrap();
    edited.preaviso_days = 90;
    run(
        app,
        id,
        ContratoCommand::UpdateContractTerms {
            actor: admin(),
            terms: edited,
            expected_version: 0,
            reason: "Preaviso corregido según la cláusula 5".into(),
        }
        .prepared_from(&state),
    )
    .await;
    arriendo::audit::seal(&app.db).await.unwrap();
    app.projector.catch_up().await.unwrap();
    id
}
