use super::*;
use crate::testing::{given, refusal};
use crate::{Actor, Percentage, Role};

fn record(kind: IndexKind, year: i32, value: &str) -> IndiceCommand {
    IndiceCommand::RecordIndexValue {
        actor: Actor::new("gestor", Role::Gestor),
        kind,
        year,
        value: Percentage::parse(value).unwrap(),
    }
}

#[test]
fn records_and_corrects_yearly_values_keeping_history_in_events() {
    let first = given::<Indice>([])
        .decide(record(IndexKind::Ipc, 2024, "5,2"))
        .unwrap();
    let mut state = given::<Indice>(first.clone());
    assert_eq!(
        state.value_for(2024),
        Some(Percentage::parse("5,2").unwrap())
    );

    let correction = state.decide(record(IndexKind::Ipc, 2024, "5,3")).unwrap();
    assert_eq!(
        correction,
        vec![IndiceEvent::IndexValueRecorded {
            kind: IndexKind::Ipc,
            year: 2024,
            value: Percentage::parse("5,3").unwrap(),
            previous: Some(Percentage::parse("5,2").unwrap()),
            by: "gestor".into(),
        }]
    );
    for e in correction {
        cqrs_es::Aggregate::apply(&mut state, e);
    }
    assert_eq!(
        state.value_for(2024),
        Some(Percentage::parse("5,3").unwrap())
    );
    assert_eq!(
        state.decide(record(IndexKind::Ipc, 2024, "5,3")),
        Ok(vec![])
    );
}

#[test]
fn refuses_the_other_index_bad_years_and_auditors() {
    let state = given::<Indice>(
        given::<Indice>([])
            .decide(record(IndexKind::Ipc, 2024, "5,2"))
            .unwrap(),
    );
    assert_eq!(
        refusal(state.decide(record(IndexKind::SalarioMinimo, 2024, "9"))),
        "este registro corresponde al índice IPC"
    );
    assert_eq!(
        refusal(state.decide(record(IndexKind::Ipc, 1800, "9"))),
        "el año 1800 está fuera del rango permitido"
    );
    let auditor = IndiceCommand::RecordIndexValue {
        actor: Actor::new("aud", Role::Auditor),
        kind: IndexKind::Ipc,
        year: 2025,
        value: Percentage::ZERO,
    };
    assert_eq!(
        refusal(state.decide(auditor)),
        "su rol de auditor solo permite consultar"
    );
}
