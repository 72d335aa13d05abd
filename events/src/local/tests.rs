use super::*;
use crate::testing::{given, refusal};
use crate::{Actor, Area, Role};

fn gestor() -> Actor {
    Actor::new("gestor", Role::Gestor)
}

fn data() -> LocalData {
    LocalData {
        name: "Local 101 Plaza Central".into(),
        location: "Piso 1".into(),
        area_m2: Area::parse("85,5").unwrap(),
    }
}

#[test]
fn registers_and_updates_a_local() {
    assert_eq!(
        given::<Local>([]).decide(LocalCommand::RegisterLocal {
            actor: gestor(),
            data: data()
        }),
        Ok(vec![LocalEvent::LocalRegistered(data())])
    );
    let state = given::<Local>([LocalEvent::LocalRegistered(data())]);
    let mut bigger = data();
    bigger.area_m2 = Area::parse("90").unwrap();
    assert_eq!(
        state.decide(LocalCommand::UpdateLocal {
            actor: gestor(),
            data: bigger.clone()
        }),
        Ok(vec![LocalEvent::LocalUpdated(bigger)])
    );
}

#[test]
fn refuses_twice_blank_names_and_auditors() {
    let state = given::<Local>([LocalEvent::LocalRegistered(data())]);
    assert_eq!(
        refusal(state.decide(LocalCommand::RegisterLocal {
            actor: gestor(),
            data: data()
        })),
        "el local «Local 101 Plaza Central» ya fue registrado"
    );
    let mut blank = data();
    blank.name.clear();
    assert_eq!(
        refusal(given::<Local>([]).decide(LocalCommand::RegisterLocal {
            actor: gestor(),
            data: blank
        })),
        "el campo «nombre comercial» es obligatorio"
    );
    let auditor = Actor::new("aud", Role::Auditor);
    assert_eq!(
        refusal(state.decide(LocalCommand::UpdateLocal {
            actor: auditor,
            data: data()
        })),
        "su rol de auditor solo permite consultar"
    );
}
