//! One line per event: the timeline auditors replay.

use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

pub async fn apply(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    let recorded_at = event
        .recorded_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let summary = arriendo_projections::history::describe(&event.aggregate_type, &event.payload)
        .unwrap_or_else(|| event.event_type.clone());
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_history (position, aggregate_type, aggregate_id, sequence, event_type, actor, \
             recorded_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(event.position)
        .bind(&event.aggregate_type)
        .bind(&event.aggregate_id)
        .bind(event.sequence)
        .bind(&event.event_type)
        .bind(event.actor())
        .bind(&recorded_at)
        .bind(&summary)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}
