use arriendo_events::*;

use crate::history::*;
use crate::testing::*;

#[test]
fn every_contract_event_reads_as_a_spanish_sentence() {
    let story = Story::of(terms())
        .otro_si(d(2025, 6, 1), canon(12_000_000))
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract))
        .adjusted(2026, "5,2", d(2026, 1, 1));
    let sentences: Vec<String> = story.events.iter().map(describe_contrato).collect();
    assert_eq!(
        sentences,
        vec![
            "Creó el contrato CT-001 (canon fijo $ 10.000.000)",
            "Redactó el Otro Sí OS-1 (desde el 01/06/2025: canon $ 12.000.000)",
            "Envió a revisión el Otro Sí OS-1",
            "Aprobó el Otro Sí OS-1",
            "Registró la póliza RCE RCE 123-45 de Seguros Bolívar",
            "Ajustó el canon 2026 por IPC 5,2 % (incremento 7,2 %): de $ 12.000.000 a $ 12.864.000, desde el 01/01/2026",
        ]
    );
}

#[test]
fn poliza_events_name_the_poliza_when_the_state_is_at_hand() {
    let story = Story::of(terms())
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract))
        .cancel_poliza(1, d(2026, 2, 1));
    let cancelled = story.events.last().unwrap();
    assert_eq!(
        describe_contrato_in(&story.state, cancelled),
        "Canceló la póliza RCE RCE 123-45 el 01/02/2026: Reemplazada"
    );
    assert_eq!(
        describe_contrato(cancelled),
        "Canceló una póliza el 01/02/2026: Reemplazada"
    );
}

#[test]
fn modalities_in_words() {
    assert_eq!(
        modality_phrase(&hybrid(10_000_000, "8").modality),
        "híbrido: mínimo $ 10.000.000 más 8 % de las ventas"
    );
    assert_eq!(
        modality_phrase(&variable("5,5").modality),
        "variable puro 5,5 % de las ventas"
    );
}

#[test]
fn describes_stored_json_payloads_of_every_aggregate() {
    let approved = ContratoEvent::OtroSiApproved {
        number: OtroSiNumber(2),
        by: "ana.admin".into(),
    };
    let json = serde_json::to_value(&approved).unwrap();
    assert_eq!(
        describe("contrato", &json).as_deref(),
        Some("Aprobó el Otro Sí OS-2")
    );
    let ipc = IndiceEvent::IndexValueRecorded {
        kind: IndexKind::Ipc,
        year: 2025,
        value: pct("5,2"),
        previous: None,
        by: "gestor".into(),
    };
    assert_eq!(
        describe("indice", &serde_json::to_value(&ipc).unwrap()).as_deref(),
        Some("Registró el IPC de 2025: 5,2 %")
    );
    let local = LocalEvent::LocalRegistered(LocalData {
        name: "Local 101".into(),
        location: "Centro Comercial Andino".into(),
        area_m2: Area::parse("45,5").unwrap(),
    });
    let sentence = describe("local", &serde_json::to_value(&local).unwrap()).unwrap();
    assert!(
        sentence.starts_with("Registró el local Local 101 (Centro Comercial Andino, "),
        "{sentence}"
    );
    let tercero = TerceroEvent::TerceroRegistered(TerceroData {
        nit: Nit::parse("900123456-8").unwrap(),
        razon_social: "Modas SAS".into(),
        kind: TerceroKind::Arrendatario,
        legal_representative: None,
        supervisor_name: None,
        supervisor_email: None,
    });
    let sentence = describe("tercero", &serde_json::to_value(&tercero).unwrap()).unwrap();
    assert!(
        sentence.starts_with("Registró el arrendatario Modas SAS (NIT "),
        "{sentence}"
    );
    assert_eq!(describe("contrato", &serde_json::json!({"Nope": {}})), None);
    assert_eq!(describe("otro", &json), None);
}
