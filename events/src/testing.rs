//! Given-when-then helpers for the aggregate tests.

use cqrs_es::Aggregate;

/// The state after the given events.
pub(crate) fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> A {
    let mut state = A::default();
    for event in events {
        state.apply(event);
    }
    state
}

/// The Spanish message of a refusal, or a panic naming the events that were decided instead.
pub(crate) fn refusal<E: std::fmt::Debug>(result: Result<Vec<E>, crate::DomainError>) -> String {
    match result {
        Ok(events) => panic!("expected a refusal, got {events:?}"),
        Err(err) => err.to_string(),
    }
}
