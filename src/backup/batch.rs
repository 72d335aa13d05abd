//! Restored events written many to a statement: one multi-row `INSERT` per [`ROWS`] events inside
//! the restore's transaction, instead of one statement (and one round trip) per event. The rows are
//! exactly what [`crate::store::event_log::append_raw`] writes.

use sqlx::QueryBuilder;

use super::error::{BackupError, Result};
use crate::store::Tx;
use crate::store::event_log::StoredEvent;

/// Events per statement: 9 values each stays far below both engines' limit on bound values
/// (32 766 on SQLite, 65 535 on PostgreSQL).
const ROWS: usize = 500;

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

/// Inserts `events` (in position order) into the transaction's `events` table.
pub async fn insert(tx: &mut Tx, events: &[StoredEvent]) -> Result<()> {
    for chunk in events.chunks(ROWS) {
        let texts = texts(chunk)?;
        let rows = chunk.iter().zip(texts);
        match tx {
            Tx::Sqlite(tx) => {
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
