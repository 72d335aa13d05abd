//! Phase 2: the planned events in one transaction, so a failure leaves the store as it was.
//! Positions and `recorded_at` are the store's (its triggers assign them, and the uniqueness
//! claims of numbers, NITs and names are taken as for any command).

use crate::store::{Db, StoreError, Tx};

use super::plan::Planned;

/// Business events already in the store (accounts do not count: a first start creates `admin`).
pub async fn business_events(db: &Db) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM events WHERE aggregate_type <> 'usuario'";
    Ok(crate::on_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?))
}

async fn append(tx: &mut Tx, e: &Planned) -> Result<(), StoreError> {
    let payload = serde_json::to_string(&e.payload)?;
    let metadata = serde_json::to_string(&e.metadata)?;
    match tx {
        Tx::Sqlite(tx) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(e.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(payload)
            .bind(metadata)
            .execute(&mut **tx)
            .await?;
        }
        Tx::Postgres(tx) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)",
            )
            .bind(e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(e.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(payload)
            .bind(metadata)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Appends every event, or none.
pub async fn write_all(db: &Db, events: &[Planned]) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for e in events {
        append(&mut tx, e).await?;
    }
    tx.commit().await
}
