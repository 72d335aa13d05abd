//! Turning a stored event back into its typed domain event, through the same upcasters the command
//! side uses, so old payloads project like new ones.

use cqrs_es::persist::SerializedEvent;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::store::StoreError;
use crate::store::event_log::StoredEvent;

pub fn typed<E: DeserializeOwned>(event: &StoredEvent) -> Result<E, StoreError> {
    typed_parts(
        &event.aggregate_type,
        &event.aggregate_id,
        event.sequence,
        &event.event_type,
        &event.event_version,
        event.payload.clone(),
    )
    .map_err(|e| {
        StoreError::Invalid(format!(
            "event {} at position {} does not match its type: {e}",
            event.event_type, event.position
        ))
    })
}

/// The same for an event kept in a read model (`rm_contract_events`), which has no position.
pub fn typed_parts<E: DeserializeOwned>(
    aggregate_type: &str,
    aggregate_id: &str,
    sequence: i64,
    event_type: &str,
    event_version: &str,
    payload: Value,
) -> Result<E, serde_json::Error> {
    let mut serialized = SerializedEvent {
        aggregate_id: aggregate_id.to_string(),
        sequence: usize::try_from(sequence).unwrap_or_default(),
        aggregate_type: aggregate_type.to_string(),
        event_type: event_type.to_string(),
        event_version: event_version.to_string(),
        payload,
        metadata: Value::Null,
    };
    for upcaster in arriendo_events::upcasters() {
        if upcaster.can_upcast(&serialized.event_type, &serialized.event_version) {
            serialized = upcaster.upcast(serialized);
        }
    }
    serde_json::from_value(serialized.payload)
}

/// One event as a read model keeps it, its payload as JSON text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeptRow {
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
}

/// Events kept in a read model (`rm_contract_events`, `rm_catalog_events`), decoded in order
/// through the upcasters; an undecodable one names its stream and sequence.
pub fn decode_kept<E: DeserializeOwned>(
    aggregate_type: &str,
    aggregate_id: &str,
    rows: Vec<KeptRow>,
) -> Result<Vec<E>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let payload = serde_json::from_str(&row.payload)?;
            typed_parts(
                aggregate_type,
                aggregate_id,
                row.sequence,
                &row.event_type,
                &row.event_version,
                payload,
            )
            .map_err(|e| {
                StoreError::Invalid(format!(
                    "{aggregate_type} {aggregate_id} event {} ({}) does not decode: {e}",
                    row.sequence, row.event_type
                ))
            })
        })
        .collect()
}
