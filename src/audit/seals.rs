//! The seal table: the head of the chain each backup sealed (the same one its manifest carries).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::{Db, StoreError, Tx};

/// One backup's seal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Seal {
    /// The backup set (`backup_20250127_070000`).
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The last position the backup holds, and the chain's digest there.
    pub position: i64,
    pub event_count: i64,
    pub digest: String,
}

/// Keeps a backup's seal (a set name is unique; a second record of the same name replaces it).
pub async fn record(db: &Db, seal: &Seal) -> Result<(), StoreError> {
    crate::on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO backup_seals (name, created_at, position, event_count, digest) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET \
             created_at = excluded.created_at, position = excluded.position, \
             event_count = excluded.event_count, digest = excluded.digest",
        )
        .bind(&seal.name)
        .bind(seal.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .bind(seal.position)
        .bind(seal.event_count)
        .bind(&seal.digest)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(())
}

type Row = (String, String, i64, i64, String);

fn parse(rows: Vec<Row>) -> Result<Vec<Seal>, StoreError> {
    rows.into_iter()
        .map(|(name, created_at, position, event_count, digest)| {
            let created_at = DateTime::parse_from_rfc3339(&created_at)
                .map_err(|e| StoreError::Invalid(format!("seal {name}: bad created_at: {e}")))?
                .with_timezone(&Utc);
            Ok(Seal {
                name,
                created_at,
                position,
                event_count,
                digest,
            })
        })
        .collect()
}

/// Every seal, oldest position first (what `audit verify` checks).
pub async fn all(db: &Db) -> Result<Vec<Seal>, StoreError> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT name, created_at, position, event_count, digest FROM backup_seals \
             ORDER BY position, name",
        )
        .fetch_all(pool)
        .await?
    });
    parse(rows)
}

/// The latest `limit` seals, newest first (the integrity page).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Seal>, StoreError> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT name, created_at, position, event_count, digest FROM backup_seals \
             ORDER BY created_at DESC, name DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    parse(rows)
}

/// After a restore rewrote the chain: forgets the seals of the history it replaced (those whose
/// position and digest the new chain does not hold). Returns how many.
pub async fn drop_unmatched_in(tx: &mut Tx) -> Result<u64, StoreError> {
    Ok(crate::on_tx!(tx, conn => {
        sqlx::query(
            "DELETE FROM backup_seals WHERE NOT EXISTS (SELECT 1 FROM event_digests d \
             WHERE d.position = backup_seals.position AND d.digest = backup_seals.digest)",
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}
