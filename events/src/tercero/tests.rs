use super::*;
use crate::testing::{given, refusal};
use crate::{Actor, Email, Nit, Role};

fn gestor() -> Actor {
    Actor::new("gestor", Role::Gestor)
}

fn data() -> TerceroData {
    TerceroData {
        nit: Nit::parse("900.123.456-8").unwrap(),
        razon_social: "Comercializadora Andina S.A.S.".into(),
        kind: TerceroKind::Arrendatario,
        legal_representative: Some("Ana Pérez".into()),
        supervisor_name: Some("Luis Gómez".into()),
        supervisor_email: Some(Email::parse("luis@andina.com.co").unwrap()),
    }
}

#[test]
fn registers_a_tenant() {
    let events = given::<Tercero>([]).decide(TerceroCommand::RegisterTercero {
        actor: gestor(),
        data: data(),
    });
    assert_eq!(events, Ok(vec![TerceroEvent::TerceroRegistered(data())]));
}

#[test]
fn refuses_registering_twice() {
    let state = given::<Tercero>([TerceroEvent::TerceroRegistered(data())]);
    let msg = refusal(state.decide(TerceroCommand::RegisterTercero {
        actor: gestor(),
        data: data(),
    }));
    assert_eq!(msg, "el tercero con NIT 900.123.456-8 ya fue registrado");
}

#[test]
fn requires_a_razon_social() {
    let mut blank = data();
    blank.razon_social = "  ".into();
    let msg = refusal(
        given::<Tercero>([]).decide(TerceroCommand::RegisterTercero {
            actor: gestor(),
            data: blank,
        }),
    );
    assert_eq!(msg, "el campo «razón social» es obligatorio");
}

#[test]
fn updates_only_what_exists_and_only_when_something_changed() {
    let msg = refusal(given::<Tercero>([]).decide(TerceroCommand::UpdateTercero {
        actor: gestor(),
        data: data(),
        expected_version: 0,
    }));
    assert_eq!(msg, "el tercero no existe");

    let state = given::<Tercero>([TerceroEvent::TerceroRegistered(data())]);
    assert_eq!(
        state.decide(TerceroCommand::UpdateTercero {
            actor: gestor(),
            data: data(),
            expected_version: 1,
        }),
        Ok(vec![])
    );
    let mut changed = data();
    changed.kind = TerceroKind::Proveedor;
    assert_eq!(
        state.decide(TerceroCommand::UpdateTercero {
            actor: gestor(),
            data: changed.clone(),
            expected_version: 1,
        }),
        Ok(vec![TerceroEvent::TerceroUpdated(changed)])
    );
}

#[test]
fn an_update_prepared_from_an_older_version_is_refused() {
    // Two gestores open the edit form of version 1; the first saves (version 2).
    let mut first = data();
    first.razon_social = "Andina S.A.S.".into();
    let mut second = data();
    second.supervisor_name = Some("Marta Ruiz".into());
    let state = given::<Tercero>([
        TerceroEvent::TerceroRegistered(data()),
        TerceroEvent::TerceroUpdated(first),
    ]);
    assert_eq!(state.version, 2);
    let update = |expected_version| TerceroCommand::UpdateTercero {
        actor: gestor(),
        data: second.clone(),
        expected_version,
    };
    assert_eq!(
        refusal(state.decide(update(1))),
        "el tercero cambió mientras lo editaba"
    );
    assert_eq!(
        state.decide(update(2)),
        Ok(vec![TerceroEvent::TerceroUpdated(second.clone())])
    );
}

#[test]
fn auditor_is_refused() {
    let auditor = Actor::new("aud", Role::Auditor);
    let msg = refusal(
        given::<Tercero>([]).decide(TerceroCommand::RegisterTercero {
            actor: auditor,
            data: data(),
        }),
    );
    assert_eq!(msg, "su rol de auditor solo permite consultar");
}

#[tokio::test]
async fn handle_writes_the_decided_events_to_the_sink() {
    use cqrs_es::Aggregate;
    use cqrs_es::event_sink::EventSink;
    let mut state = Tercero::default();
    let sink = EventSink::default();
    state
        .handle(
            TerceroCommand::RegisterTercero {
                actor: gestor(),
                data: data(),
            },
            &(),
            &sink,
        )
        .await
        .unwrap();
    assert_eq!(state.data, Some(data()));
    assert_eq!(
        sink.collect().await,
        vec![TerceroEvent::TerceroRegistered(data())]
    );
}

#[test]
fn names_are_bounded_and_free_of_control_characters() {
    let register = |data| {
        given::<Tercero>([]).decide(TerceroCommand::RegisterTercero {
            actor: gestor(),
            data,
        })
    };
    let long = TerceroData {
        razon_social: "S".repeat(201),
        ..data()
    };
    assert_eq!(
        refusal(register(long)),
        "el campo «razón social» admite como máximo 200 caracteres"
    );
    let nul = TerceroData {
        legal_representative: Some("Ana\0".into()),
        ..data()
    };
    assert_eq!(
        register(nul).unwrap_err().field(),
        Some("representante legal")
    );
    assert!(
        register(TerceroData {
            razon_social: "S".repeat(200),
            ..data()
        })
        .is_ok()
    );
}
