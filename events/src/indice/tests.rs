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

fn revise(year: i32, value: &str, seen: Option<&str>) -> IndiceCommand {
    IndiceCommand::ReviseIndexValue {
        actor: Actor::new("gestor", Role::Gestor),
        kind: IndexKind::Ipc,
        year,
        value: Percentage::parse(value).unwrap(),
        seen: seen.map(|s| Percentage::parse(s).unwrap()),
    }
}

/// Two gestores open the form while IPC 2025 is 5,1 %: the first corrects it to 5,2 %; the
/// second, who still sees 5,1 %, is refused instead of overwriting a value they never saw.
#[test]
fn a_revision_from_a_stale_form_is_refused() {
    let on_file = given::<Indice>([IndiceEvent::IndexValueRecorded {
        kind: IndexKind::Ipc,
        year: 2025,
        value: Percentage::parse("5,1").unwrap(),
        previous: None,
        by: "ana".into(),
    }]);
    let first = on_file.decide(revise(2025, "5,2", Some("5,1"))).unwrap();
    assert_eq!(first.len(), 1);
    let after = given::<Indice>(
        std::iter::once(IndiceEvent::IndexValueRecorded {
            kind: IndexKind::Ipc,
            year: 2025,
            value: Percentage::parse("5,1").unwrap(),
            previous: None,
            by: "ana".into(),
        })
        .chain(first),
    );
    assert_eq!(
        refusal(after.decide(revise(2025, "5,3", Some("5,1")))),
        "el valor 2025 del índice cambió mientras lo editaba"
    );
    // A year with nothing on file: the form saw none; another year is not affected.
    assert!(after.decide(revise(2026, "4,8", None)).is_ok());
    assert_eq!(
        refusal(after.decide(revise(2026, "4,8", Some("4,7")))),
        "el valor 2026 del índice cambió mientras lo editaba"
    );
}
