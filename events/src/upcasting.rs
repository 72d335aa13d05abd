//! Upcasters: old event payloads read as current events.
//!
//! `LocalRegistered` 0.9 called the commercial name `nombre`; 1.0 calls it `name`.

use cqrs_es::persist::{EventUpcaster, SemanticVersionEventUpcaster};
use serde_json::Value;

use crate::local::LOCAL_REGISTERED_VERSION;

/// Every upcaster, in version order, for `PersistedEventStore::with_upcasters`.
pub fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
    vec![Box::new(local_registered_nombre_to_name())]
}

/// `LocalRegistered` < 1.0: `{"LocalRegistered": {"nombre": …}}` → `{"LocalRegistered": {"name": …}}`.
pub fn local_registered_nombre_to_name() -> SemanticVersionEventUpcaster {
    SemanticVersionEventUpcaster::new(
        "LocalRegistered",
        LOCAL_REGISTERED_VERSION,
        Box::new(rename_nombre),
    )
}

fn rename_nombre(mut payload: Value) -> Value {
    if let Some(data) = payload
        .get_mut("LocalRegistered")
        .and_then(Value::as_object_mut)
        && let Some(nombre) = data.remove("nombre")
    {
        data.entry("name").or_insert(nombre);
    }
    payload
}

#[cfg(test)]
mod tests {
    use cqrs_es::DomainEvent;
    use cqrs_es::persist::SerializedEvent;
    use serde_json::json;

    use super::*;
    use crate::{Area, LocalData, LocalEvent};

    fn stored(version: &str, payload: Value) -> SerializedEvent {
        SerializedEvent {
            aggregate_id: "0d6c4a43-0000-4000-8000-000000000001".into(),
            sequence: 1,
            aggregate_type: "local".into(),
            event_type: "LocalRegistered".into(),
            event_version: version.into(),
            payload,
            metadata: json!({}),
        }
    }

    #[test]
    fn an_old_local_registered_reads_as_the_current_event() {
        let old = stored(
            "0.9",
            json!({"LocalRegistered": {"nombre": "Local 101", "location": "Piso 1", "area_m2": "85.5"}}),
        );
        let upcaster = upcasters()
            .into_iter()
            .find(|u| u.can_upcast(&old.event_type, &old.event_version))
            .unwrap();
        let upcast = upcaster.upcast(old);
        assert!(!upcaster.can_upcast(&upcast.event_type, &upcast.event_version));
        let event: LocalEvent = serde_json::from_value(upcast.payload).unwrap();
        assert_eq!(
            event,
            LocalEvent::LocalRegistered(LocalData {
                name: "Local 101".into(),
                location: "Piso 1".into(),
                area_m2: Area::parse("85,5").unwrap(),
            })
        );
    }

    #[test]
    fn current_events_are_left_alone() {
        let event = LocalEvent::LocalRegistered(LocalData {
            name: "Local 101".into(),
            location: "Piso 1".into(),
            area_m2: Area::parse("85,5").unwrap(),
        });
        assert_eq!(event.event_version(), "1.0");
        assert!(
            upcasters()
                .iter()
                .all(|u| !u.can_upcast(&event.event_type(), &event.event_version()))
        );
        assert!(
            upcasters()
                .iter()
                .all(|u| !u.can_upcast("LocalUpdated", "0.9"))
        );
    }
}
