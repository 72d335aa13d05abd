use uuid::Uuid;

use super::*;
use crate::{DateRange, YearMonth};

/// One of every command, issued by `actor`.
fn every_command(actor: Actor) -> Vec<ContratoCommand> {
    use ContratoCommand::*;
    let poliza = PolizaData {
        kind: PolicyKind::Cumplimiento,
        number: "1".into(),
        insurer: "x".into(),
        insured_value: pesos(1),
        rce_sublimits: None,
        cumplimiento_cover: None,
        validity: DateRange::new(d(2025, 1, 1), d(2026, 1, 1)).unwrap(),
        state: PolizaState::AporteInicial,
        required_by: RequiredBy::Contract,
        colchon_months: 0,
    };
    let period = YearMonth::new(2025, 3).unwrap();
    let n = OtroSiNumber(1);
    let id = Uuid::from_u128(9);
    vec![
        CreateContract {
            actor: actor.clone(),
            terms: terms(),
        },
        UpdateContractTerms {
            actor: actor.clone(),
            terms: terms(),
            expected_version: 0,
            reason: "Corrección".into(),
        },
        AddSeguimiento {
            actor: actor.clone(),
            date: d(2025, 2, 1),
            note: "x".into(),
            follow_up: None,
        },
        TerminateContract {
            actor: actor.clone(),
            date: d(2025, 2, 1),
            reason: "x".into(),
        },
        DeleteContract {
            actor: actor.clone(),
            reason: "x".into(),
        },
        DraftOtroSi {
            actor: actor.clone(),
            effective_from: d(2025, 2, 1),
            effective_to: None,
            changes: canon_change(1),
            description: String::new(),
        },
        EditOtroSi {
            actor: actor.clone(),
            number: n,
            effective_from: d(2025, 2, 1),
            effective_to: None,
            changes: canon_change(1),
            description: String::new(),
            expected_version: 0,
        },
        DeleteOtroSi {
            actor: actor.clone(),
            number: n,
        },
        SubmitOtroSi {
            actor: actor.clone(),
            number: n,
        },
        ApproveOtroSi {
            actor: actor.clone(),
            number: n,
        },
        RejectOtroSi {
            actor: actor.clone(),
            number: n,
            reason: "x".into(),
        },
        ProposeRenewal {
            actor: actor.clone(),
        },
        ApproveRenewal {
            actor: actor.clone(),
            number: RenewalNumber(1),
        },
        AnnulRenewal {
            actor: actor.clone(),
            number: RenewalNumber(1),
            reason: "x".into(),
        },
        RegisterPoliza {
            actor: actor.clone(),
            id,
            poliza: poliza.clone(),
        },
        UpdatePoliza {
            actor: actor.clone(),
            id,
            poliza,
            expected_version: 0,
        },
        RenewPoliza {
            actor: actor.clone(),
            id,
            validity: DateRange::new(d(2026, 1, 1), d(2027, 1, 1)).unwrap(),
        },
        CancelPoliza {
            actor: actor.clone(),
            id,
            date: d(2025, 2, 1),
            reason: "x".into(),
        },
        AddPolizaSeguimiento {
            actor: actor.clone(),
            id,
            date: d(2025, 2, 1),
            note: "x".into(),
            follow_up: None,
        },
        RegisterSalesReport {
            actor: actor.clone(),
            period,
            deadline: None,
        },
        MarkSalesReportDelivered {
            actor: actor.clone(),
            period,
            date: d(2025, 4, 1),
            gross_sales: pesos(1),
            returns: Money::ZERO,
            expected_version: 0,
        },
        MarkSalesReportPending {
            actor: actor.clone(),
            period,
        },
        RecordCanonAdjustment {
            actor,
            year: 2026,
            index_value: pct("5"),
            effective_date: d(2026, 1, 1),
        },
    ]
}

#[test]
fn an_auditor_is_refused_on_every_command() {
    let story = Story::of(hybrid_terms())
        .ok(draft(canon_change(1)))
        .ok(ContratoCommand::ProposeRenewal { actor: gestor() });
    let commands = every_command(auditor());
    assert_eq!(commands.len(), 23);
    for command in commands {
        assert_eq!(
            story.refused(command.clone()),
            "su rol de auditor solo permite consultar",
            "{command:?}"
        );
    }
    for command in every_command(auditor()) {
        assert_eq!(
            Story::new().refused(command),
            "su rol de auditor solo permite consultar"
        );
    }
}

#[test]
fn commands_serialise_for_the_log() {
    for command in every_command(gestor()) {
        let json = serde_json::to_string(&command).unwrap();
        assert_eq!(
            serde_json::from_str::<ContratoCommand>(&json).unwrap(),
            command
        );
    }
}
