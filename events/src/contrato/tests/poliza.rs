use uuid::Uuid;

use super::*;
use crate::DateRange;

fn rce(value: i64, to: NaiveDate, required_by: RequiredBy) -> PolizaData {
    PolizaData {
        kind: PolicyKind::Rce,
        number: "RCE-778".into(),
        insurer: "Seguros Bolívar".into(),
        insured_value: pesos(value),
        rce_sublimits: Some(RceSublimits {
            premises_operations: Some(pesos(value)),
            ..RceSublimits::default()
        }),
        cumplimiento_cover: None,
        validity: DateRange::new(d(2025, 1, 1), to).unwrap(),
        state: PolizaState::AporteInicial,
        required_by,
        colchon_months: 1,
    }
}

fn register(id: u128, poliza: PolizaData) -> ContratoCommand {
    ContratoCommand::RegisterPoliza {
        actor: gestor(),
        id: Uuid::from_u128(id),
        poliza,
    }
}

#[test]
fn registers_renews_and_cancels_a_poliza() {
    let story = Story::of(terms()).ok(register(
        1,
        rce(100_000_000, d(2026, 3, 31), RequiredBy::Contract),
    ));
    let poliza = &story.state.polizas[0];
    assert_eq!(poliza.data.effective_expiry(), d(2026, 2, 28));

    let renewed = DateRange::new(d(2026, 4, 1), d(2027, 3, 31)).unwrap();
    let story = story.ok(ContratoCommand::RenewPoliza {
        actor: gestor(),
        id: Uuid::from_u128(1),
        validity: renewed,
    });
    assert_eq!(story.state.polizas[0].data.state, PolizaState::Prorroga);
    assert_eq!(story.state.polizas[0].data.validity, renewed);

    let story = story.ok(ContratoCommand::AddPolizaSeguimiento {
        actor: gestor(),
        id: Uuid::from_u128(1),
        date: d(2026, 4, 2),
        note: "Se pidió el certificado".into(),
        follow_up: None,
    });
    assert_eq!(story.state.polizas[0].seguimientos.len(), 1);

    let cancel = ContratoCommand::CancelPoliza {
        actor: gestor(),
        id: Uuid::from_u128(1),
        date: d(2026, 5, 1),
        reason: "Reemplazada".into(),
    };
    let story = story.ok(cancel.clone());
    assert_eq!(story.refused(cancel), "la póliza RCE-778 fue cancelada");
}

#[test]
fn the_document_that_required_it_must_exist() {
    let story = Story::of(terms());
    assert_eq!(
        story.refused(register(
            1,
            rce(1, d(2026, 1, 1), RequiredBy::OtroSi(OtroSiNumber(3)))
        )),
        "el Otro Sí OS-3 no existe"
    );
    assert_eq!(
        story.refused(register(
            1,
            rce(1, d(2026, 1, 1), RequiredBy::Renovacion(RenewalNumber(1)))
        )),
        "la renovación RA-1 no existe"
    );
}

#[test]
fn the_same_number_twice_is_refused() {
    let story = Story::of(terms()).ok(register(1, rce(1, d(2026, 1, 1), RequiredBy::Contract)));
    assert_eq!(
        story.refused(register(2, rce(1, d(2026, 1, 1), RequiredBy::Contract))),
        "la póliza número RCE-778 ya está registrada en este contrato"
    );
    assert_eq!(
        story.refused(register(1, rce(1, d(2026, 1, 1), RequiredBy::Contract))),
        "la póliza ya fue registrada"
    );
}

#[test]
fn a_poliza_complies_when_it_covers_the_required_end_and_values() {
    let requirement = PolicyRequirement {
        kind: PolicyKind::Rce,
        minimum_insured: pesos(100_000_000),
        months_of_cover: 2,
        rce_sublimits: Some(RceSublimits {
            premises_operations: Some(pesos(50_000_000)),
            ..RceSublimits::default()
        }),
        cumplimiento_cover: None,
    };
    // Contract ends 31/12/2025: cover until 28/02/2026, effective expiry is validity end − 1 month.
    let good = rce(100_000_000, d(2026, 3, 31), RequiredBy::Contract);
    assert!(requirement.unmet_by(&good, d(2025, 12, 31)).is_empty());
    let short = rce(100_000_000, d(2026, 2, 28), RequiredBy::Contract);
    assert_eq!(
        requirement.unmet_by(&short, d(2025, 12, 31)),
        ["la vigencia efectiva termina el 28/01/2026 y debe cubrir hasta el 28/02/2026"]
    );
    let cheap = rce(40_000_000, d(2026, 3, 31), RequiredBy::Contract);
    assert_eq!(
        requirement.unmet_by(&cheap, d(2025, 12, 31)),
        [
            "el valor asegurado $ 40.000.000 es menor que el mínimo requerido $ 100.000.000",
            "el sublímite de predios, labores y operaciones no alcanza $ 50.000.000",
        ]
    );
}
