//! Aggregate state from its events (the same `apply_event` the write side uses).

use arriendo_events::{
    Contrato, ContratoEvent, Indice, IndiceEvent, Local, LocalEvent, Tercero, TerceroEvent,
};

/// The contract after its events, in stream order.
pub fn fold_contrato(events: impl IntoIterator<Item = ContratoEvent>) -> Contrato {
    let mut state = Contrato::default();
    for event in events {
        state.apply_event(event);
    }
    state
}

pub fn fold_tercero(events: impl IntoIterator<Item = TerceroEvent>) -> Tercero {
    let mut state = Tercero::default();
    for event in events {
        state.apply_event(event);
    }
    state
}

pub fn fold_local(events: impl IntoIterator<Item = LocalEvent>) -> Local {
    let mut state = Local::default();
    for event in events {
        state.apply_event(event);
    }
    state
}

/// One index (IPC or salario mínimo) after its events.
pub fn fold_indice(events: impl IntoIterator<Item = IndiceEvent>) -> Indice {
    let mut state = Indice::default();
    for event in events {
        state.apply_event(event);
    }
    state
}
