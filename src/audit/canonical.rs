//! The canonical form of a stored event and the chained digest over it. Pure: no I/O.
//!
//! ```text
//! digest(e) = SHA-256( previous digest (32 bytes; 32 zero bytes before the first event)
//!                      ‖ UTF-8 of canonical(e) )
//! canonical(e) = {"aggregate_id":…,"aggregate_type":…,"event_type":…,"event_version":…,
//!                 "metadata":…,"payload":…,"position":N,"recorded_at":"YYYY-MM-DDTHH:MM:SS.mmmZ",
//!                 "sequence":N}
//! ```
//! JSON without whitespace, object keys sorted by their UTF-8 bytes at every depth, strings escaped
//! only where JSON requires it (`"`, `\`, control characters: `\b \f \n \r \t`, else `\u00xx`), numbers
//! as serde_json prints them. `recorded_at` is cut to the millisecond: SQLite keeps milliseconds and
//! PostgreSQL microseconds, and a log moved between the engines must keep its chain. The chain covers
//! the meaning of the JSON, not its bytes: whitespace or key order inside a stored payload may change
//! (PostgreSQL `json` keeps the text, a backup rewrites it) without breaking it. docs/events.md
//! describes the same form for auditors who recompute it with other tools.

use std::fmt::Write as _;

use chrono::SubsecRound;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::store::event_log::StoredEvent;

/// A SHA-256 digest of the chain.
pub type Digest = [u8; 32];

/// What the first event chains over.
pub const GENESIS: Digest = [0; 32];

/// The digest of `event` chained over `previous`.
pub fn chain(previous: &Digest, event: &StoredEvent) -> Digest {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(canonical(event).as_bytes());
    hasher.finalize().into()
}

/// The canonical text of `event` (see the module documentation).
pub fn canonical(event: &StoredEvent) -> String {
    let recorded_at = event
        .recorded_at
        .trunc_subsecs(3)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut out = String::with_capacity(512);
    out.push_str("{\"aggregate_id\":");
    string(&mut out, &event.aggregate_id);
    out.push_str(",\"aggregate_type\":");
    string(&mut out, &event.aggregate_type);
    out.push_str(",\"event_type\":");
    string(&mut out, &event.event_type);
    out.push_str(",\"event_version\":");
    string(&mut out, &event.event_version);
    out.push_str(",\"metadata\":");
    value(&mut out, &event.metadata);
    out.push_str(",\"payload\":");
    value(&mut out, &event.payload);
    let _ = write!(out, ",\"position\":{},\"recorded_at\":", event.position);
    string(&mut out, &recorded_at);
    let _ = write!(out, ",\"sequence\":{}}}", event.sequence);
    out
}

/// Lowercase hexadecimal, as stored and written in backups.
pub fn to_hex(digest: &Digest) -> String {
    hex::encode(digest)
}

/// A digest from its hexadecimal text; `None` when it is not 64 hex digits.
pub fn from_hex(text: &str) -> Option<Digest> {
    let mut digest = [0u8; 32];
    hex::decode_to_slice(text, &mut digest).ok()?;
    Some(digest)
}

fn value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                self::value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps (serde_json's `preserve_order` feature may be
            // on somewhere in the dependency graph).
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, key);
                out.push(':');
                self::value(out, item);
            }
            out.push('}');
        }
    }
}

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn event() -> StoredEvent {
        StoredEvent {
            position: 7,
            aggregate_type: "local".into(),
            aggregate_id: "a-1".into(),
            sequence: 2,
            event_type: "LocalUpdated".into(),
            event_version: "1.0".into(),
            payload: json!({"LocalUpdated": {"name": "Local \"7\"\n", "area_m2": "12.5", "b": [1, null, true]}}),
            metadata: json!({"user": "ana", "request_id": "r", "time": "t"}),
            recorded_at: Utc
                .with_ymd_and_hms(2025, 1, 27, 7, 0, 0)
                .single()
                .map(|t| t + chrono::Duration::microseconds(123_456))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn the_canonical_form_sorts_keys_escapes_and_cuts_the_time_to_milliseconds() {
        assert_eq!(
            canonical(&event()),
            "{\"aggregate_id\":\"a-1\",\"aggregate_type\":\"local\",\"event_type\":\"LocalUpdated\",\
             \"event_version\":\"1.0\",\"metadata\":{\"request_id\":\"r\",\"time\":\"t\",\"user\":\"ana\"},\
             \"payload\":{\"LocalUpdated\":{\"area_m2\":\"12.5\",\"b\":[1,null,true],\"name\":\"Local \\\"7\\\"\\n\"}},\
             \"position\":7,\"recorded_at\":\"2025-01-27T07:00:00.123Z\",\"sequence\":2}"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_lowercase_hex_and_the_rest_kept() {
        let mut out = String::new();
        string(&mut out, "a\u{1}b\u{1f}ñ€\u{7f}");
        assert_eq!(out, "\"a\\u0001b\\u001fñ€\u{7f}\"");
    }

    #[test]
    fn the_digest_depends_on_every_field_and_on_the_previous_digest() {
        let base = chain(&GENESIS, &event());
        assert_eq!(from_hex(&to_hex(&base)), Some(base));
        let variants: [fn(&mut StoredEvent); 9] = [
            |e| e.position += 1,
            |e| e.aggregate_type = "contrato".into(),
            |e| e.aggregate_id = "a-2".into(),
            |e| e.sequence += 1,
            |e| e.event_type = "LocalRegistered".into(),
            |e| e.event_version = "1.1".into(),
            |e| e.payload = json!({"LocalUpdated": {}}),
            |e| e.metadata = json!({"user": "otro"}),
            |e| e.recorded_at += chrono::Duration::milliseconds(1),
        ];
        for change in variants {
            let mut changed = event();
            change(&mut changed);
            assert_ne!(chain(&GENESIS, &changed), base);
        }
        assert_ne!(chain(&base, &event()), base);
        // Below the millisecond nothing changes: the engines keep different precisions.
        let mut finer = event();
        finer.recorded_at += chrono::Duration::microseconds(100);
        assert_eq!(chain(&GENESIS, &finer), base);
    }

    #[test]
    fn key_order_and_whitespace_of_the_stored_json_do_not_matter() {
        let mut reordered = event();
        reordered.payload = serde_json::from_str(
            "{ \"LocalUpdated\" : { \"b\":[1,null,true], \"name\":\"Local \\\"7\\\"\\n\", \"area_m2\":\"12.5\" } }",
        )
        .unwrap_or_default();
        assert_eq!(chain(&GENESIS, &reordered), chain(&GENESIS, &event()));
    }

    #[test]
    fn a_digest_text_must_be_64_hex_digits() {
        assert_eq!(from_hex("00"), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
        assert_eq!(from_hex(&"0".repeat(64)), Some(GENESIS));
    }
}
