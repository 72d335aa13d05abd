//! Issue 9: one form submission must not store a value that later wedges the projector.
//! Every command is refused, with the field named, when a value is out of the range a real lease
//! can have.

use super::*;
use crate::contrato::policies::{PolicyKind, PolizaData, PolizaState, RequiredBy};
use crate::{DateRange, YearMonth};

fn create(terms: ContractTerms) -> ContratoCommand {
    ContratoCommand::CreateContract {
        actor: gestor(),
        terms,
    }
}

fn field_of(result: Result<Vec<ContratoEvent>, DomainError>) -> Option<&'static str> {
    result.unwrap_err().field()
}

#[test]
fn preaviso_of_100_000_000_days_is_refused_3_650_accepted_3_651_refused() {
    let with_preaviso = |days| ContractTerms {
        automatic_extension: false,
        preaviso_days: days,
        ..terms()
    };
    let story = Story::new();
    assert_eq!(
        story.refused(create(with_preaviso(100_000_000))),
        "el campo «preaviso» no puede superar 3.650 días"
    );
    assert_eq!(
        field_of(story.when(create(with_preaviso(100_000_000)))),
        Some("preaviso")
    );
    assert!(story.when(create(with_preaviso(3_650))).is_ok());
    assert_eq!(
        field_of(story.when(create(with_preaviso(3_651)))),
        Some("preaviso")
    );
    let early = ContractTerms {
        early_termination_notice_days: 3_651,
        ..terms()
    };
    assert_eq!(
        story.refused(create(early)),
        "el campo «aviso de terminación anticipada» no puede superar 3.650 días"
    );
}

#[test]
fn a_2_705_byte_contract_number_is_refused() {
    // 2.705 bytes broke the PostgreSQL btree index on the number.
    let number = "9".repeat(2_705);
    let refused = Story::new().when(create(ContractTerms { number, ..terms() }));
    assert_eq!(
        refused.unwrap_err(),
        DomainError::TextTooLong {
            field: "número de contrato",
            max: 200
        }
    );
    let longest = ContractTerms {
        number: "Ñ".repeat(200),
        ..terms()
    };
    assert!(Story::new().when(create(longest)).is_ok());
}

#[test]
fn a_nul_byte_is_refused_in_names_and_notes() {
    let story = Story::of(terms());
    assert_eq!(
        Story::new().refused(create(ContractTerms {
            number: "CT-\0".into(),
            ..terms()
        })),
        "el campo «número de contrato» contiene caracteres de control no permitidos"
    );
    assert_eq!(
        story.refused(ContratoCommand::AddSeguimiento {
            actor: gestor(),
            date: d(2025, 3, 1),
            note: "llamó\0".into(),
            follow_up: None,
        }),
        "el campo «nota de seguimiento» contiene caracteres de control no permitidos"
    );
    // Line breaks and tabs are part of a note.
    assert!(
        story
            .when(ContratoCommand::AddSeguimiento {
                actor: gestor(),
                date: d(2025, 3, 1),
                note: "Llamó el arrendatario.\r\n\tPide plazo.".into(),
                follow_up: None,
            })
            .is_ok()
    );
}

#[test]
fn a_one_megabyte_note_is_refused_10_000_characters_accepted() {
    let story = Story::of(terms());
    let note = |n: usize| ContratoCommand::AddSeguimiento {
        actor: gestor(),
        date: d(2025, 3, 1),
        note: "a".repeat(n),
        follow_up: None,
    };
    assert!(story.when(note(10_000)).is_ok());
    assert_eq!(
        story.refused(note(1_000_000)),
        "el campo «nota de seguimiento» admite como máximo 10.000 caracteres"
    );
}

#[test]
fn year_2201_is_refused_in_every_date_of_the_terms() {
    let year_2201 = d(2201, 1, 1);
    assert_eq!(
        Story::new().refused(create(ContractTerms {
            end_date: year_2201,
            ..terms()
        })),
        "la fecha 01/01/2201 del campo «fecha final» está fuera del rango permitido (01/01/1900 a 31/12/2200)"
    );
    assert!(
        Story::new()
            .when(create(ContractTerms {
                end_date: d(2200, 12, 31),
                ..terms()
            }))
            .is_ok()
    );
    assert_eq!(
        field_of(Story::new().when(create(ContractTerms {
            signing_date: d(1899, 12, 31),
            ..terms()
        }))),
        Some("fecha de firma")
    );
    assert_eq!(
        field_of(Story::new().when(create(ContractTerms {
            start_date: NaiveDate::MIN,
            ..terms()
        }))),
        Some("fecha de inicio")
    );
}

#[test]
fn durations_up_to_99_years() {
    let story = Story::new();
    let months = |n| ContractTerms {
        initial_duration_months: n,
        ..terms()
    };
    assert!(story.when(create(months(1_188))).is_ok());
    assert_eq!(
        story.refused(create(months(1_189))),
        "el campo «duración en meses» no puede superar 1.188 meses (99 años)"
    );
}

#[test]
fn money_above_10_to_the_15_pesos_is_refused() {
    let huge = Money::MAX.checked_add(pesos(1)).unwrap();
    assert_eq!(
        Story::new().refused(create(ContractTerms {
            modality: PaymentModality::Fijo { canon: huge },
            ..terms()
        })),
        "el campo «canon» no puede superar $ 1.000.000.000.000.000"
    );
    assert!(
        Story::new()
            .when(create(ContractTerms {
                modality: PaymentModality::Fijo { canon: Money::MAX },
                ..terms()
            }))
            .is_ok()
    );
}

#[test]
fn an_otro_si_is_bounded_like_the_terms() {
    let story = Story::of(terms());
    let changes = OtroSiChanges {
        duration_months: Some(100_000),
        ..OtroSiChanges::default()
    };
    assert_eq!(
        field_of(story.when(draft(changes))),
        Some("duración en meses")
    );
    let far_end = OtroSiChanges {
        end_date: Some(d(2201, 1, 1)),
        ..OtroSiChanges::default()
    };
    assert_eq!(field_of(story.when(draft(far_end))), Some("fecha final"));
    let long_description = ContratoCommand::DraftOtroSi {
        actor: gestor(),
        effective_from: d(2025, 6, 1),
        effective_to: None,
        changes: canon_change(11_000_000),
        description: "x".repeat(10_001),
    };
    assert_eq!(field_of(story.when(long_description)), Some("descripción"));
    let far_from = ContratoCommand::DraftOtroSi {
        actor: gestor(),
        effective_from: d(2300, 1, 1),
        effective_to: None,
        changes: canon_change(11_000_000),
        description: String::new(),
    };
    assert_eq!(field_of(story.when(far_from)), Some("vigencia desde"));
}

#[test]
fn a_renewal_that_would_end_after_2200_is_refused() {
    // 99 years from 2150 ends in 2249: the renewal would store a date out of range.
    let story = Story::of(ContractTerms {
        start_date: d(2150, 1, 1),
        signing_date: d(2149, 12, 1),
        initial_duration_months: 1_188,
        end_date: d(2150, 12, 31),
        ..terms()
    });
    assert_eq!(
        story.refused(ContratoCommand::ProposeRenewal { actor: gestor() }),
        "la fecha 31/12/2249 del campo «fecha final de la renovación» está fuera del rango permitido (01/01/1900 a 31/12/2200)"
    );
}

fn poliza(number: &str, insurer: &str, to: NaiveDate) -> PolizaData {
    PolizaData {
        kind: PolicyKind::Cumplimiento,
        number: number.into(),
        insurer: insurer.into(),
        insured_value: pesos(100_000_000),
        rce_sublimits: None,
        cumplimiento_cover: None,
        validity: DateRange::new(d(2025, 1, 1), to).unwrap(),
        state: PolizaState::AporteInicial,
        required_by: RequiredBy::Contract,
        colchon_months: 0,
    }
}

#[test]
fn polizas_reasons_and_reports_are_bounded() {
    let story = Story::of(hybrid_terms());
    let register = |p| ContratoCommand::RegisterPoliza {
        actor: gestor(),
        id: uuid::Uuid::from_u128(9),
        poliza: p,
    };
    assert_eq!(
        field_of(story.when(register(poliza(&"1".repeat(201), "Sura", d(2026, 1, 1))))),
        Some("número de póliza")
    );
    assert_eq!(
        field_of(story.when(register(poliza("P-1", "Sura\u{7}", d(2026, 1, 1))))),
        Some("aseguradora")
    );
    assert_eq!(
        field_of(story.when(register(poliza("P-1", "Sura", d(9999, 1, 1))))),
        Some("vigencia de la póliza")
    );
    assert_eq!(
        field_of(story.when(ContratoCommand::TerminateContract {
            actor: gestor(),
            date: d(2025, 6, 1),
            reason: "\0".into(),
        })),
        Some("motivo de la terminación")
    );
    assert_eq!(
        field_of(story.when(ContratoCommand::RegisterSalesReport {
            actor: gestor(),
            period: YearMonth::new(2025, 3).unwrap(),
            deadline: Some(d(2201, 1, 1)),
        })),
        Some("fecha límite del informe")
    );
}
