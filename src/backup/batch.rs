//! Restored events written many to a statement, inside the restore's transaction: on SQLite one
//! multi-row `INSERT` per [`ROWS`] events, on PostgreSQL one `COPY … FROM STDIN` (CSV) per batch,
//! instead of one statement (and one round trip) per event. The rows are exactly what
//! [`crate::store::event_log::append_raw`] writes.
//!
//! COPY in CSV format: every text field quoted, a quote inside doubled; newlines, tabs and
//! backslashes need no escape inside quotes (CSV has no backslash escapes), and a quoted empty string
//! stays an empty string (only an unquoted empty field would be NULL). The payload and metadata are
//! JSON text as `serde_json` writes it, stored as is by the `json` columns (a `\u0000` escape
//! included). A NUL character itself cannot be in PostgreSQL text at all (neither through INSERT):
//! such an event is refused by name.

use sqlx::QueryBuilder;

use super::error::{BackupError, Result};
use crate::store::Tx;
use crate::store::event_log::StoredEvent;

/// Events per statement: 9 values each stays far below both engines' limit on bound values
/// (32 766 on SQLite, 65 535 on PostgreSQL).
const ROWS: usize = 500;

const COPY: &str = "COPY events (aggregate_type, aggregate_id, sequence, event_type, \
                    event_version, payload, metadata, position, recorded_at) FROM STDIN \
                    WITH (FORMAT csv)";

const INSERT: &str = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                      event_version, payload, metadata, position, recorded_at) ";

/// The payload and metadata of each event as JSON text.
fn texts(events: &[StoredEvent]) -> Result<Vec<(String, String)>> {
    events
        .iter()
        .map(|e| {
            Ok((
                serde_json::to_string(&e.payload)?,
                serde_json::to_string(&e.metadata)?,
            ))
        })
        .collect::<std::result::Result<_, serde_json::Error>>()
        .map_err(|e| BackupError::Failed(format!("cannot encode an event: {e}")))
}

/// `field` as a quoted CSV field.
fn quoted(out: &mut Vec<u8>, field: &str) {
    out.push(b'"');
    for &b in field.as_bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// The CSV rows COPY reads for `events`.
fn csv(events: &[StoredEvent]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(events.len() * 512);
    for (e, (payload, metadata)) in events.iter().zip(texts(events)?) {
        let texts = [
            e.aggregate_type.as_str(),
            &e.aggregate_id,
            &e.event_type,
            &e.event_version,
            &payload,
            &metadata,
        ];
        if texts.iter().any(|t| t.contains('\0')) {
            return Err(BackupError::Corrupt(format!(
                "event at position {}: a NUL character cannot be stored in PostgreSQL",
                e.position
            )));
        }
        for (i, text) in texts.iter().enumerate() {
            if i == 2 {
                out.extend_from_slice(format!(",{},", e.sequence).as_bytes());
            } else if i > 0 {
                out.push(b',');
            }
            quoted(&mut out, text);
        }
        let at = e
            .recorded_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        out.extend_from_slice(format!(",{},{at}\n", e.position).as_bytes());
    }
    Ok(out)
}

/// Writes `events` (in position order) into the transaction's `events` table: COPY on PostgreSQL,
/// multi-row INSERTs on SQLite.
pub async fn insert(tx: &mut Tx, events: &[StoredEvent]) -> Result<()> {
    let Tx::Postgres(pg) = tx else {
        return insert_values(tx, events).await;
    };
    let rows = csv(events)?;
    let mut copy = (**pg).copy_in_raw(COPY).await?;
    if let Err(e) = copy.send(rows).await {
        let _ = copy.abort("the restore stopped").await;
        return Err(e.into());
    }
    copy.finish().await?;
    Ok(())
}

/// Writes `events` with multi-row INSERTs of [`ROWS`] events on either engine: SQLite's path, and on
/// PostgreSQL the one COPY replaced (kept to measure one against the other, see
/// docs/performance.md).
pub async fn insert_values(tx: &mut Tx, events: &[StoredEvent]) -> Result<()> {
    for chunk in events.chunks(ROWS) {
        let texts = texts(chunk)?;
        let rows = chunk.iter().zip(texts);
        match tx {
            Tx::Sqlite(tx, _) => {
                let mut query = QueryBuilder::new(INSERT);
                query.push_values(rows, |mut row, (e, (payload, metadata))| {
                    row.push_bind(e.aggregate_type.clone())
                        .push_bind(e.aggregate_id.clone())
                        .push_bind(e.sequence)
                        .push_bind(e.event_type.clone())
                        .push_bind(e.event_version.clone())
                        .push_bind(payload)
                        .push_bind(metadata)
                        .push_bind(e.position)
                        .push_bind(
                            e.recorded_at
                                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        );
                });
                query.build().execute(&mut **tx).await?;
            }
            Tx::Postgres(tx) => {
                let mut query = QueryBuilder::new(INSERT);
                query.push_values(rows, |mut row, (e, (payload, metadata))| {
                    row.push_bind(e.aggregate_type.clone())
                        .push_bind(e.aggregate_id.clone())
                        .push_bind(e.sequence)
                        .push_bind(e.event_type.clone())
                        .push_bind(e.event_version.clone())
                        .push_bind(payload)
                        .push_unseparated("::json")
                        .push_bind(metadata)
                        .push_unseparated("::json")
                        .push_bind(e.position)
                        .push_bind(e.recorded_at);
                });
                query.build().execute(&mut **tx).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(version: &str, note: &str) -> StoredEvent {
        StoredEvent {
            position: 7,
            aggregate_type: "local".into(),
            aggregate_id: "a\"b".into(),
            sequence: 3,
            event_type: "LocalUpdated".into(),
            event_version: version.into(),
            payload: serde_json::json!({ "nota": note }),
            metadata: serde_json::json!({}),
            recorded_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn csv_rows_quote_every_text_and_double_quotes() {
        let rows = csv(&[event("1.0", "x\"y\\z\t\n\u{0}")]).expect("csv");
        let text = String::from_utf8(rows).expect("utf-8");
        assert_eq!(
            text,
            "\"local\",\"a\"\"b\",3,\"LocalUpdated\",\"1.0\",\"{\"\"nota\"\":\"\"x\\\"\"y\\\\z\\t\\n\\u0000\"\"}\",\"{}\",7,1970-01-01T00:00:00.000000Z\n"
        );
    }

    #[test]
    fn a_nul_in_a_text_column_is_refused_by_position() {
        let err = csv(&[event("1.\u{0}", "x")]).expect_err("refused");
        assert!(err.to_string().contains("position 7"), "{err}");
    }
}
