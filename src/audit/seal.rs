//! The sealer: chains a digest onto every event appended since the last one it sealed.
//!
//! cqrs-es appends events in its own transaction, where no Rust code of ours runs, so the digests
//! are written right after: the projector seals before each catch-up (after every command and every
//! 2 seconds in `serve`), and a backup seals before it reads the log. Sealing reads "after the last
//! sealed position" and positions become visible in order on both engines (see the event-store
//! migrations), so the chain never skips an event that commits late. An event inserted later below
//! the sealed head (only a direct edit of the database can do that) is never sealed: `audit verify`
//! reports it.
//!
//! One sealer at a time, across processes: the first statement of each sealing transaction takes the
//! write lock on its row in `projection_checkpoints` (the projector's own lock pattern).

use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError, Tx};

use super::canonical::{self, Digest, GENESIS};

/// The row of `projection_checkpoints` that serialises sealers; its position is the last sealed one.
pub const LOCK_ROW: &str = "event_chain";
const BATCH: i64 = 1_000;

/// Seals every event appended since the last sealed one; returns how many it sealed. Costs two
/// index lookups and no write when there is nothing to seal.
pub async fn seal(db: &Db) -> Result<usize, StoreError> {
    let head = event_log::last_position(db).await?;
    if sealed_head(db).await?.map_or(0, |(p, _)| p) >= head {
        return Ok(0);
    }
    let mut sealed = 0;
    loop {
        let mut tx = db.begin().await?;
        let count = seal_batch(&mut tx).await?;
        tx.commit().await?;
        sealed += count;
        // A short batch was the end of the log when it was read: no second transaction to find
        // nothing (events appended since are sealed by the next call).
        if count < BATCH as usize {
            return Ok(sealed);
        }
    }
}

/// Seals everything inside `tx` (a restore, which rewrites the log and its chain in one transaction).
pub async fn seal_all_in(tx: &mut Tx) -> Result<usize, StoreError> {
    let mut sealed = 0;
    loop {
        let count = seal_batch(tx).await?;
        sealed += count;
        if count < BATCH as usize {
            return Ok(sealed);
        }
    }
}

/// Forgets the whole chain inside `tx` (a restore replaces the log it sealed).
pub async fn clear_in(tx: &mut Tx) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("DELETE FROM event_digests").execute(&mut *conn).await?;
        sqlx::query("UPDATE projection_checkpoints SET position = 0 WHERE name = $1")
            .bind(LOCK_ROW)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Seals up to one batch after the sealed head; returns how many.
async fn seal_batch(tx: &mut Tx) -> Result<usize, StoreError> {
    lock(tx).await?;
    let (after, mut previous) = match sealed_head_in(tx).await? {
        Some((position, digest)) => (position, digest),
        None => (0, GENESIS),
    };
    let events = event_log::read_after_in(tx, after, BATCH).await?;
    let mut digests = Vec::with_capacity(events.len());
    for event in &events {
        previous = canonical::chain(&previous, event);
        digests.push(canonical::to_hex(&previous));
    }
    if !events.is_empty() {
        insert(tx, &events, &digests).await?;
    }
    if let Some(last) = events.last() {
        crate::on_tx!(tx, conn => {
            sqlx::query("UPDATE projection_checkpoints SET position = $1 WHERE name = $2")
                .bind(last.position)
                .bind(LOCK_ROW)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
    }
    Ok(events.len())
}

async fn lock(tx: &mut Tx) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) \
             ON CONFLICT (name) DO UPDATE SET position = projection_checkpoints.position",
        )
        .bind(LOCK_ROW)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// One multi-row insert per batch (5 parameters a row: far below either engine's limit).
async fn insert(tx: &mut Tx, events: &[StoredEvent], digests: &[String]) -> Result<(), StoreError> {
    let rows = events.iter().zip(digests);
    crate::on_tx!(tx, conn => {
        sqlx::QueryBuilder::new(
            "INSERT INTO event_digests (position, aggregate_type, aggregate_id, sequence, digest) ",
        )
        .push_values(rows, |mut row, (event, digest)| {
            row.push_bind(event.position)
                .push_bind(&event.aggregate_type)
                .push_bind(&event.aggregate_id)
                .push_bind(event.sequence)
                .push_bind(digest);
        })
        .build()
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

const HEAD_SQL: &str = "SELECT position, digest FROM event_digests ORDER BY position DESC LIMIT 1";

fn parse_head(row: Option<(i64, String)>) -> Result<Option<(i64, Digest)>, StoreError> {
    row.map(|(position, text)| {
        canonical::from_hex(&text)
            .map(|d| (position, d))
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "the digest stored at position {position} is not 64 hex digits"
                ))
            })
    })
    .transpose()
}

/// The last sealed position and its digest (`None` before the first seal).
pub async fn sealed_head(db: &Db) -> Result<Option<(i64, Digest)>, StoreError> {
    let row: Option<(i64, String)> = crate::on_pool!(db, pool => {
        sqlx::query_as(HEAD_SQL).fetch_optional(pool).await?
    });
    parse_head(row)
}

/// [`sealed_head`] inside a transaction.
pub async fn sealed_head_in(tx: &mut Tx) -> Result<Option<(i64, Digest)>, StoreError> {
    let row: Option<(i64, String)> = crate::on_tx!(tx, conn => {
        sqlx::query_as(HEAD_SQL).fetch_optional(&mut *conn).await?
    });
    parse_head(row)
}

/// The digest sealed at `position`, as stored.
pub async fn digest_at(db: &Db, position: i64) -> Result<Option<String>, StoreError> {
    Ok(crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT digest FROM event_digests WHERE position = $1")
            .bind(position)
            .fetch_optional(pool)
            .await?
    }))
}

/// The digests sealed at `positions` (at most a few hundred: one statement), by position.
pub async fn digests_of(
    db: &Db,
    positions: &[i64],
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    if positions.is_empty() {
        return Ok(Default::default());
    }
    let marks: Vec<String> = (1..=positions.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT position, digest FROM event_digests WHERE position IN ({})",
        marks.join(", ")
    );
    let rows: Vec<(i64, String)> = crate::on_pool!(db, pool => {
        let mut q = sqlx::query_as(&sql);
        for p in positions {
            q = q.bind(*p);
        }
        q.fetch_all(pool).await?
    });
    Ok(rows.into_iter().collect())
}
