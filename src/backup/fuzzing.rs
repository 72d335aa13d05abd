//! What the JSON backup reader promises for any bytes, as assertions: the oracle of the
//! `restore_reader` cargo-fuzz target in `fuzz/` and of the bounded proptest below (which is what
//! runs in CI and in `cargo test`). A backup is a file from outside, so for every input: no panic; a
//! refusal is `Corrupt` with a one-line message of bounded length and no NUL; an accepted document
//! delivered exactly the events its closing line counts and stayed within the limits.

use super::error::BackupError;
use super::json::{self, Limits};

/// Small limits, so the fuzzer reaches the bounds with inputs it can build.
pub const LIMITS: Limits = Limits {
    max_line_bytes: 64 * 1024,
    max_total_bytes: 1024 * 1024,
};

/// "line N: " plus a reason cut at 200 characters, plus the ellipsis.
const MAX_MESSAGE_CHARS: usize = 240;

pub fn restore_reader(data: &[u8]) {
    match json::check_document(data, LIMITS) {
        Ok((header, end, delivered)) => {
            assert_eq!(header.format, json::FORMAT);
            assert!(header.format_version <= json::FORMAT_VERSION);
            assert_eq!(
                end.count, delivered,
                "the closing line's count was not checked"
            );
            assert!(
                data.len() as u64 <= LIMITS.max_total_bytes,
                "accepted {} bytes over the limit",
                data.len()
            );
        }
        Err(BackupError::Corrupt(message)) => {
            assert!(
                message.chars().count() <= MAX_MESSAGE_CHARS,
                "a refusal of {} characters",
                message.chars().count()
            );
            assert!(!message.contains('\0'), "a refusal quoting a NUL");
            assert!(!message.contains('\n'), "a refusal over several lines");
        }
        Err(other) => panic!("the reader refused with something other than Corrupt: {other}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A valid two-event backup as the application writes it.
    fn valid_document() -> Vec<u8> {
        let event = |position: i64, id: &str, nit: &str| {
            serde_json::json!({
                "position": position, "aggregate_type": "tercero", "aggregate_id": id,
                "sequence": 1, "event_type": "TerceroRegistered", "event_version": "1.0",
                "payload": {"TerceroRegistered": {"nit": nit, "razon_social": "Café Ñandú S.A.S.",
                    "kind": "Arrendatario", "legal_representative": null,
                    "supervisor_name": null, "supervisor_email": null}},
                "metadata": {"actor": "admin"}, "recorded_at": "2026-11-30T15:00:00Z"
            })
            .to_string()
        };
        format!(
            "{{\"format\":\"arriendo-event-log\",\"format_version\":1,\"app_version\":\"0.1.0\",\
             \"engine\":\"sqlite\",\"created_at\":\"2026-11-30T15:00:00Z\",\"events\":[\n{},\n{}\n],\
             \"end\":{{\"count\":2,\"last_position\":7}}}}\n",
            event(3, "8c0ff5f6-5b7e-4d0c-9d3a-1f0f3f7b2a01", "900123456-8"),
            event(7, "8c0ff5f6-5b7e-4d0c-9d3a-1f0f3f7b2a02", "800765432-3"),
        )
        .into_bytes()
    }

    #[test]
    fn the_seed_document_is_accepted_whole() {
        let (_, end, delivered) = json::check_document(&valid_document()[..], LIMITS).unwrap();
        assert_eq!((end.count, end.last_position, delivered), (2, 7, 2));
    }

    #[test]
    fn a_format_name_of_a_megabyte_is_refused_in_one_short_line() {
        let mut doc = valid_document();
        let huge = "x".repeat(60_000);
        doc = String::from_utf8(doc)
            .unwrap()
            .replacen("arriendo-event-log", &huge, 1)
            .into_bytes();
        restore_reader(&doc);
        let message = json::check_document(&doc[..], LIMITS)
            .unwrap_err()
            .to_string();
        assert!(message.contains("unsupported format"), "{message}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes(data in proptest::collection::vec(any::<u8>(), 0..2_000)) {
            restore_reader(&data);
        }

        /// Damage where it matters: a valid document with bytes overwritten, cut or inserted.
        #[test]
        fn a_damaged_valid_document(
            at in 0usize..900, bytes in proptest::collection::vec(any::<u8>(), 0..40),
            cut in any::<bool>(),
        ) {
            let mut doc = valid_document();
            let at = at % doc.len();
            if cut {
                doc.truncate(at);
            } else {
                doc.splice(at..at, bytes);
            }
            restore_reader(&doc);
        }

        /// Structure edits: any field of an event replaced by any JSON scalar.
        #[test]
        fn an_event_field_replaced(field in 0usize..9, value in prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            ".{0,300}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            Just("null".to_string()), Just("{}".to_string()), Just("[]".to_string()),
        ]) {
            let keys = ["position", "aggregate_type", "aggregate_id", "sequence", "event_type",
                "event_version", "payload", "metadata", "recorded_at"];
            let text = String::from_utf8(valid_document()).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let mut event: serde_json::Value =
                serde_json::from_str(lines[1].trim_end_matches(',')).unwrap();
            event[keys[field]] = serde_json::from_str(&value).unwrap();
            lines[1] = format!("{event},");
            restore_reader((lines.join("\n") + "\n").as_bytes());
        }
    }
}
