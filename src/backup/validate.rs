//! What a restore accepts: every event of a JSON backup is checked against the domain before anything
//! is written. A backup is data from outside (a copied file, a remote object, a hand edit), so it is
//! held to what this version of Arriendo itself would have written: a known aggregate and event type
//! and version, a payload that decodes as that event (through the same upcasters the command side
//! uses), positions in order within bounds, each aggregate's sequences 1..k without gaps, a sane
//! recording time and object metadata. Anything else would be stored and then stop the projector.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cqrs_es::persist::SerializedEvent;
use cqrs_es::{Aggregate, DomainEvent};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::auth::user::{UserEvent, Usuario};
use crate::store::event_log::StoredEvent;
use arriendo_events::{
    Catalogos, CatalogosEvent, Contrato, ContratoEvent, Empresa, EmpresaEvent, Indice, IndiceEvent,
    Local, LocalEvent, Tercero, TerceroEvent,
};

/// Positions above this are refused: the store's sequence must keep room to grow after a restore.
pub const MAX_POSITION: i64 = i64::MAX / 2;
/// Aggregate ids are UUIDs, `ipc`/`salario_minimo` or usernames; anything longer is not ours.
const MAX_ID_CHARS: usize = 200;

/// Checks events in file order; one per backup read.
pub struct LogCheck {
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
    last_position: i64,
    sequences: HashMap<(String, String), i64>,
}

impl LogCheck {
    /// Times must fall between 2000-01-01 and a day after `now` (clocks drift, but not by days).
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            earliest: Utc
                .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or(now),
            latest: now + Duration::days(1),
            last_position: 0,
            sequences: HashMap::new(),
        }
    }

    /// The reason `event` cannot follow the events checked so far (English, for the CLI and logs).
    pub fn check(&mut self, event: &StoredEvent) -> Result<(), String> {
        let position = event.position;
        if !(1..=MAX_POSITION).contains(&position) {
            return Err(format!("position {position} is outside 1..{MAX_POSITION}"));
        }
        if position == self.last_position {
            return Err(format!("position {position} appears twice"));
        }
        if position < self.last_position {
            return Err(format!(
                "position {position} comes after position {}: positions must increase",
                self.last_position
            ));
        }
        if event.aggregate_id.is_empty()
            || event.aggregate_id.chars().count() > MAX_ID_CHARS
            || event.aggregate_id.chars().any(char::is_control)
        {
            return Err(format!(
                "aggregate id {:?} is empty, longer than {MAX_ID_CHARS} characters or holds control characters",
                truncate(&event.aggregate_id)
            ));
        }
        if event.recorded_at < self.earliest || event.recorded_at > self.latest {
            return Err(format!(
                "recorded_at {} is before 2000 or more than a day in the future",
                event.recorded_at.to_rfc3339()
            ));
        }
        if !event.metadata.is_object() {
            return Err("metadata is not a JSON object".into());
        }
        decode(event)?;
        self.check_sequence(event)?;
        self.last_position = position;
        Ok(())
    }

    fn check_sequence(&mut self, event: &StoredEvent) -> Result<(), String> {
        let key = (event.aggregate_type.clone(), event.aggregate_id.clone());
        let previous = self.sequences.get(&key).copied().unwrap_or(0);
        let expected = previous.saturating_add(1);
        if event.sequence != expected {
            let what = if event.sequence <= previous {
                "repeats or goes back"
            } else {
                "leaves a gap"
            };
            return Err(format!(
                "sequence {} of {} {} {what}: expected {expected}",
                event.sequence, event.aggregate_type, event.aggregate_id
            ));
        }
        self.sequences.insert(key, expected);
        Ok(())
    }
}

/// Decodes the payload as its aggregate's event type, as loading the aggregate would, and checks
/// its values against the domain's bounds: a restore writes nothing a command could not have.
fn decode(event: &StoredEvent) -> Result<(), String> {
    match event.aggregate_type.as_str() {
        Contrato::TYPE => within_bounds(decode_as::<ContratoEvent>(event)?.check_bounds()),
        Tercero::TYPE => within_bounds(decode_as::<TerceroEvent>(event)?.check_bounds()),
        Local::TYPE => within_bounds(decode_as::<LocalEvent>(event)?.check_bounds()),
        Indice::TYPE => within_bounds(decode_as::<IndiceEvent>(event)?.check_bounds()),
        Empresa::TYPE => within_bounds(decode_as::<EmpresaEvent>(event)?.check_bounds()),
        Catalogos::TYPE => within_bounds(decode_as::<CatalogosEvent>(event)?.check_bounds()),
        Usuario::TYPE => decode_as::<UserEvent>(event).map(|_| ()),
        other => Err(format!("unknown aggregate type {:?}", truncate(other))),
    }
}

fn within_bounds(checked: Result<(), arriendo_events::DomainError>) -> Result<(), String> {
    checked.map_err(|e| format!("a value is out of bounds: {}", truncate(&e.to_string())))
}

fn decode_as<E: DomainEvent + DeserializeOwned>(event: &StoredEvent) -> Result<E, String> {
    let kind = &event.aggregate_type;
    if let Some(known) = variant_names::<E>()
        && !known.contains(&event.event_type.as_str())
    {
        return Err(format!(
            "unknown event type {:?} for a {kind}",
            truncate(&event.event_type)
        ));
    }
    let mut serialized = SerializedEvent {
        aggregate_id: event.aggregate_id.clone(),
        sequence: usize::try_from(event.sequence).unwrap_or_default(),
        aggregate_type: kind.clone(),
        event_type: event.event_type.clone(),
        event_version: event.event_version.clone(),
        payload: event.payload.clone(),
        metadata: event.metadata.clone(),
    };
    let mut upcast = false;
    for upcaster in arriendo_events::upcasters() {
        if upcaster.can_upcast(&serialized.event_type, &serialized.event_version) {
            serialized = upcaster.upcast(serialized);
            upcast = true;
        }
    }
    let typed: E = serde_json::from_value(serialized.payload).map_err(|e| {
        format!(
            "the payload does not decode as {}: {}",
            event.event_type,
            truncate(&e.to_string())
        )
    })?;
    if typed.event_type() != event.event_type {
        return Err(format!(
            "the payload is a {} but the line says {}",
            typed.event_type(),
            event.event_type
        ));
    }
    if !upcast && typed.event_version() != event.event_version {
        return Err(format!(
            "version {:?} of {} is unknown (this version of Arriendo writes {})",
            truncate(&event.event_version),
            event.event_type,
            typed.event_version()
        ));
    }
    Ok(typed)
}

/// Long values from a damaged file are cut so the message stays one readable line.
pub(crate) fn truncate(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The variant names serde knows for an externally tagged enum, read from its `Deserialize` impl so
/// the list can never drift from the enum. `None` for anything that is not such an enum.
fn variant_names<E: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let mut probe = VariantProbe(None);
    let _ = E::deserialize(&mut probe);
    probe.0
}

struct VariantProbe(Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for &mut VariantProbe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not an enum"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = Some(variants);
        Err(de::Error::custom("variants read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn local(position: i64, id: &str, sequence: i64) -> StoredEvent {
        let (event_type, payload) = if sequence == 1 {
            (
                "LocalRegistered",
                json!({"LocalRegistered": {"name": format!("Local {id}"), "location": "Piso 1", "area_m2": "85.5"}}),
            )
        } else {
            (
                "LocalUpdated",
                json!({"LocalUpdated": {"name": format!("Local {id}"), "location": "Piso 2", "area_m2": "90"}}),
            )
        };
        StoredEvent {
            position,
            aggregate_type: "local".into(),
            aggregate_id: id.into(),
            sequence,
            event_type: event_type.into(),
            event_version: "1.0".into(),
            payload,
            metadata: json!({"user": "ana"}),
            recorded_at: at(position.min(1_000)),
        }
    }

    fn check_all(events: &[StoredEvent]) -> Result<(), String> {
        let mut check = LogCheck::new(at(10_000));
        events.iter().try_for_each(|e| check.check(e))
    }

    #[test]
    fn a_log_the_app_writes_passes() {
        let events = [local(1, "a", 1), local(3, "b", 1), local(7, "a", 2)];
        assert_eq!(check_all(&events), Ok(()));
    }

    #[test]
    fn the_variant_list_comes_from_the_enum() {
        let known = variant_names::<LocalEvent>().unwrap();
        assert_eq!(known, ["LocalRegistered", "LocalUpdated"]);
        assert!(
            variant_names::<UserEvent>()
                .unwrap()
                .contains(&"UserCreated")
        );
    }

    #[test]
    fn an_old_version_reads_through_its_upcaster_and_an_unknown_one_is_refused() {
        let mut old = local(1, "a", 1);
        old.event_version = "0.9".into();
        old.payload = json!({"LocalRegistered": {"nombre": "Local 101", "location": "Piso 1", "area_m2": "85.5"}});
        assert_eq!(check_all(&[old]), Ok(()));
        let mut newer = local(1, "a", 1);
        newer.event_version = "2.0".into();
        let err = check_all(&[newer]).unwrap_err();
        assert!(err.contains("version \"2.0\""), "{err}");
    }

    #[test]
    fn each_damage_names_its_reason() {
        let mut bad_payload = local(5, "a", 1);
        bad_payload.payload = json!({"LocalRegistered": {"name": 7}});
        let mut unknown_type = local(5, "a", 1);
        unknown_type.event_type = "LocalDemolished".into();
        let mut unknown_aggregate = local(5, "a", 1);
        unknown_aggregate.aggregate_type = "counter".into();
        let mut mislabelled = local(5, "a", 1);
        mislabelled.event_type = "LocalUpdated".into();
        let mut old_time = local(5, "a", 1);
        old_time.recorded_at = Utc.with_ymd_and_hms(1999, 12, 31, 23, 0, 0).unwrap();
        let mut future = local(5, "a", 1);
        future.recorded_at = at(10_000) + Duration::hours(25);
        let mut metadata = local(5, "a", 1);
        metadata.metadata = json!("ana");
        let cases = [
            (vec![bad_payload], "does not decode as LocalRegistered"),
            (vec![unknown_type], "unknown event type \"LocalDemolished\""),
            (
                vec![unknown_aggregate],
                "unknown aggregate type \"counter\"",
            ),
            (vec![mislabelled], "the payload is a LocalRegistered"),
            (vec![old_time], "before 2000"),
            (vec![future], "in the future"),
            (vec![metadata], "metadata"),
            (vec![local(0, "a", 1)], "outside 1.."),
            (vec![local(MAX_POSITION + 1, "a", 1)], "outside 1.."),
            (vec![local(4, "a", 1), local(4, "b", 1)], "appears twice"),
            (vec![local(4, "a", 1), local(3, "b", 1)], "must increase"),
            (vec![local(4, "a", 1), local(6, "a", 3)], "leaves a gap"),
            (vec![local(4, "a", 1), local(6, "a", 1)], "repeats"),
            (vec![local(4, "a", 2)], "leaves a gap"),
        ];
        for (events, reason) in cases {
            let err = check_all(&events).unwrap_err();
            assert!(err.contains(reason), "{reason}: {err}");
        }
    }
}
