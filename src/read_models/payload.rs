//! Turning a stored event back into its typed domain event, through the same upcasters the command
//! side uses, so old payloads project like new ones.

use cqrs_es::persist::SerializedEvent;
use serde::de::DeserializeOwned;

use crate::store::StoreError;
use crate::store::event_log::StoredEvent;

pub fn typed<E: DeserializeOwned>(event: &StoredEvent) -> Result<E, StoreError> {
    let mut serialized = SerializedEvent {
        aggregate_id: event.aggregate_id.clone(),
        sequence: usize::try_from(event.sequence).unwrap_or_default(),
        aggregate_type: event.aggregate_type.clone(),
        event_type: event.event_type.clone(),
        event_version: event.event_version.clone(),
        payload: event.payload.clone(),
        metadata: event.metadata.clone(),
    };
    for upcaster in arriendo_events::upcasters() {
        if upcaster.can_upcast(&serialized.event_type, &serialized.event_version) {
            serialized = upcaster.upcast(serialized);
        }
    }
    serde_json::from_value(serialized.payload).map_err(|e| {
        StoreError::Invalid(format!(
            "event {} at position {} does not match its type: {e}",
            event.event_type, event.position
        ))
    })
}
