use std::collections::BTreeSet;

use cqrs_es::DomainEvent;
use uuid::Uuid;

use super::*;
use crate::{DateRange, YearMonth, event_catalog};

/// A contract's whole life, recording every kind of event once at least.
fn every_event() -> Vec<ContratoEvent> {
    use ContratoCommand::*;
    let poliza = PolizaData {
        kind: PolicyKind::Otra("Vida".into()),
        number: "V-1".into(),
        insurer: "Sura".into(),
        insured_value: pesos(1_000),
        rce_sublimits: None,
        cumplimiento_cover: Some(CumplimientoCover {
            rent: Some(pesos(1)),
            ..CumplimientoCover::default()
        }),
        validity: DateRange::new(d(2025, 1, 1), d(2026, 1, 1)).unwrap(),
        state: PolizaState::AporteInicial,
        required_by: RequiredBy::OtroSi(OtroSiNumber(1)),
        colchon_months: 0,
    };
    let id = Uuid::from_u128(5);
    let period = YearMonth::new(2025, 3).unwrap();
    let commands = vec![
        CreateContract {
            actor: gestor(),
            terms: ContractTerms {
                type_id: Some(Uuid::from_u128(9)),
                ..hybrid_terms()
            },
        },
        UpdateContractTerms {
            actor: gestor(),
            terms: ContractTerms {
                purpose: "Otro objeto".into(),
                type_id: Some(Uuid::from_u128(9)),
                ..hybrid_terms()
            },
            expected_version: 0,
            reason: "Cambio del objeto".into(),
        },
        AddSeguimiento {
            actor: gestor(),
            date: d(2025, 2, 1),
            note: "Llamada".into(),
            follow_up: Some(d(2025, 2, 15)),
        },
        CorrectSeguimiento {
            actor: gestor(),
            index: 0,
            note: "Llamada al arrendatario".into(),
        },
        RetractSeguimiento {
            actor: gestor(),
            index: 0,
            reason: "Nota duplicada".into(),
        },
        draft(canon_change(6_000_000)),
        EditOtroSi {
            actor: gestor(),
            number: OtroSiNumber(1),
            effective_from: d(2025, 6, 1),
            effective_to: Some(d(2025, 12, 31)),
            changes: canon_change(6_500_000),
            description: "Canon".into(),
            expected_version: 0,
        },
        submit(1),
        approve(1),
        draft(canon_change(7_000_000)),
        submit(2),
        RejectOtroSi {
            actor: admin(),
            number: OtroSiNumber(2),
            reason: "No".into(),
        },
        DeleteOtroSi {
            actor: gestor(),
            number: OtroSiNumber(2),
        },
        ProposeRenewal { actor: gestor() },
        ApproveRenewal {
            actor: admin(),
            number: RenewalNumber(1),
        },
        AnnulRenewal {
            actor: admin(),
            number: RenewalNumber(1),
            reason: "Error".into(),
        },
        RegisterPoliza {
            actor: gestor(),
            id,
            poliza: poliza.clone(),
        },
        UpdatePoliza {
            actor: gestor(),
            id,
            poliza: PolizaData {
                insurer: "Allianz".into(),
                ..poliza
            },
            expected_version: 0,
        },
        RenewPoliza {
            actor: gestor(),
            id,
            validity: DateRange::new(d(2026, 1, 1), d(2027, 1, 1)).unwrap(),
        },
        AddPolizaSeguimiento {
            actor: gestor(),
            id,
            date: d(2026, 1, 2),
            note: "Ok".into(),
            follow_up: None,
        },
        CorrectPolizaSeguimiento {
            actor: gestor(),
            id,
            index: 0,
            note: "Aportó la renovación".into(),
        },
        RetractPolizaSeguimiento {
            actor: gestor(),
            id,
            index: 0,
            reason: "Era de otra póliza".into(),
        },
        CancelPoliza {
            actor: gestor(),
            id,
            date: d(2026, 1, 3),
            reason: "Cambio".into(),
        },
        RegisterSalesReport {
            actor: gestor(),
            period,
            deadline: None,
        },
        MarkSalesReportDelivered {
            actor: gestor(),
            period,
            date: d(2025, 4, 2),
            gross_sales: pesos(9),
            returns: pesos(1),
            expected_version: 0,
        },
        MarkSalesReportPending {
            actor: gestor(),
            period,
        },
        MarkSalesReportDelivered {
            actor: gestor(),
            period,
            date: d(2025, 4, 2),
            gross_sales: pesos(9),
            returns: pesos(1),
            expected_version: 0,
        },
        // Effective before the delivered March: a reliquidación of it.
        RecordCanonAdjustment {
            actor: gestor(),
            year: 2025,
            index_value: pct("5,2"),
            effective_date: d(2025, 3, 1),
        },
        AttachDocument {
            actor: gestor(),
            id: Uuid::from_u128(6),
            subject: AttachmentSubject::Poliza { id },
            file: crate::StoredFile {
                sha256: "c".repeat(64),
                size_bytes: 1_024,
                media_type: crate::MediaType::Pdf,
                file_name: "poliza.pdf".into(),
            },
            description: "Certificado".into(),
        },
        RemoveDocument {
            actor: gestor(),
            id: Uuid::from_u128(6),
            reason: "Era de otro contrato".into(),
        },
        RecordClauseChecklist {
            actor: gestor(),
            clause_ids: vec![Uuid::from_u128(20), Uuid::from_u128(21)],
            expected_version: 0,
        },
        PostponeAlert {
            actor: gestor(),
            kind: "polizas-criticas".into(),
            subject: id.to_string(),
            today: d(2026, 1, 5),
            until: d(2026, 2, 1),
            note: "La aseguradora envía la renovación".into(),
        },
        AcknowledgeAlert {
            actor: gestor(),
            kind: "vencimiento".into(),
            subject: "contrato".into(),
            date: d(2026, 6, 30),
            note: "Se negocia la renovación".into(),
        },
        TerminateContract {
            actor: gestor(),
            date: d(2026, 6, 30),
            reason: "Fin".into(),
        },
        DeleteContract {
            actor: admin(),
            reason: "Prueba".into(),
        },
    ];
    let mut story = Story::new();
    let mut events = Vec::new();
    for command in commands {
        let command = command.prepared_from(&story.state);
        let decided = story
            .when(command.clone())
            .unwrap_or_else(|e| panic!("{command:?}: {e}"));
        events.extend(decided.iter().cloned());
        for event in decided {
            story.state.apply(event);
        }
    }
    events
}

#[test]
fn every_event_round_trips_and_matches_the_catalog() {
    let catalog = event_catalog();
    let mut seen = BTreeSet::new();
    for event in every_event() {
        let json = serde_json::to_value(&event).unwrap();
        let object = json.as_object().unwrap();
        assert_eq!(object.len(), 1, "externally tagged: {json}");
        let (tag, payload) = object.iter().next().unwrap();
        assert_eq!(*tag, event.event_type());
        let doc = catalog
            .iter()
            .find(|doc| doc.event_type == tag)
            .unwrap_or_else(|| panic!("{tag} not catalogued"));
        assert_eq!(
            (doc.aggregate, doc.version),
            ("contrato", event.event_version().as_str())
        );
        let fields: BTreeSet<&str> = payload
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, doc.fields.iter().copied().collect(), "{tag}");
        seen.insert(tag.clone());
        assert_eq!(
            serde_json::from_value::<ContratoEvent>(json).unwrap(),
            event
        );
    }
    let contrato_events = catalog
        .iter()
        .filter(|doc| doc.aggregate == "contrato")
        .count();
    assert_eq!(
        seen.len(),
        contrato_events,
        "every contract event is exercised"
    );
}

#[test]
fn event_types_are_unique_across_aggregates() {
    let catalog = event_catalog();
    let names: BTreeSet<&str> = catalog.iter().map(|doc| doc.event_type).collect();
    assert_eq!(names.len(), catalog.len());
    // 1.1: SalesReportDelivered added the amount billed, ContractTermsUpdated the reason, the
    // seguimientos a follow-up date.
    let later = [
        "SalesReportDelivered",
        "ContractTermsUpdated",
        "SeguimientoAdded",
        "PolizaSeguimientoAdded",
    ];
    assert!(
        catalog
            .iter()
            .all(|doc| doc.version == "1.0" || later.contains(&doc.event_type))
    );
    // Issue 16: AlertPostponed and AlertAcknowledged.
    assert_eq!(catalog.len(), 2 + 2 + 33 + 1 + 3 + 6);
}

#[test]
fn the_state_round_trips_through_json() {
    let mut story = Story::new();
    for event in every_event() {
        story.state.apply(event);
    }
    let json = serde_json::to_string(&story.state).unwrap();
    assert_eq!(
        serde_json::from_str::<Contrato>(&json).unwrap(),
        story.state
    );
}
