//! One line per event: the timeline auditors replay.

use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

/// The event's sentence; an imported one also names its source row and, when the old system had
/// one, its original time in Bogotá (the line's own time is when the import recorded it).
fn summary(event: &StoredEvent) -> String {
    let sentence = arriendo_projections::history::describe(&event.aggregate_type, &event.payload)
        .unwrap_or_else(|| event.event_type.clone());
    let meta = &event.metadata;
    let Some(system) = meta.get("imported_from").and_then(|v| v.as_str()) else {
        return sentence;
    };
    let table = meta
        .get("source_table")
        .and_then(|v| v.as_str())
        .unwrap_or("?");
    let id = meta
        .get("source_id")
        .and_then(|v| v.as_str())
        .unwrap_or("?");
    let original = meta
        .get("source_time")
        .and_then(|v| v.as_str())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| {
            let local = t.with_timezone(&chrono_tz::America::Bogota);
            format!(", hora original {}", local.format("%d/%m/%Y %H:%M"))
        })
        .unwrap_or_default();
    format!("{sentence} (importado de {system}: {table} {id}{original})")
}

/// Many events' lines in one statement per few hundred events (a rebuild).
pub async fn insert_many(tx: &mut Tx, events: &[StoredEvent]) -> Result<(), StoreError> {
    // 8 binds a row: 500 rows stay far below both engines' limit on bound parameters.
    for chunk in events.chunks(500) {
        let lines: Vec<(String, String)> = chunk
            .iter()
            .map(|event| {
                let recorded_at = event
                    .recorded_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                (recorded_at, summary(event))
            })
            .collect();
        crate::on_tx!(tx, conn => {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO rm_history (position, aggregate_type, aggregate_id, sequence, event_type, actor, \
                 recorded_at, summary) ",
            );
            insert.push_values(chunk.iter().zip(&lines), |mut row, (event, (recorded_at, summary))| {
                row.push_bind(event.position)
                    .push_bind(&event.aggregate_type)
                    .push_bind(&event.aggregate_id)
                    .push_bind(event.sequence)
                    .push_bind(&event.event_type)
                    .push_bind(event.actor())
                    .push_bind(recorded_at)
                    .push_bind(summary);
            });
            insert.build().execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(())
}
