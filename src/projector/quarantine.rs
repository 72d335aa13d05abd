//! Events the read models cannot take are set aside, so one bad event never stops the projector.
//!
//! Each batch is applied inside a savepoint; when it fails (an error or a panic in the pure
//! projection code) the batch is rolled back to the savepoint and applied again one event per
//! savepoint, and each event that still fails is written to `projection_quarantine` with its error.
//! Only that event's writes are undone; the checkpoint moves past it.
//!
//! Later events of an aggregate with a quarantined event are quarantined too, "held behind" it.
//! Applying them would project a state that never existed (a contract edited after a creation the
//! read models never saw), and a later retry could not put the events back in order. Events of every
//! other aggregate go on as usual. `projections retry` applies the quarantined events in position
//! order and removes the ones that now apply.
//!
//! Infrastructure failures (connection lost, deadlock, lock timeout, disk full) are not the event's
//! fault: they abort the batch, nothing is quarantined and the next run tries again.

use std::any::Any;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use futures::FutureExt;

use crate::read_models;
use crate::read_models::folds::Folds;
use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError, Tx};

/// The table of quarantined events (migration 0007).
pub const TABLE: &str = "projection_quarantine";

/// Longest error text kept per event: enough for any sqlx or serde message.
const MAX_ERROR_CHARS: usize = 2_000;

/// One event set aside, as the administrador's page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarantinedEvent {
    pub position: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    /// What went wrong, in Spanish, with the technical detail.
    pub error: String,
    /// The earlier quarantined event of the same aggregate this one waits behind.
    pub held_behind: Option<i64>,
    pub quarantined_at: DateTime<Utc>,
    /// The contract's number, when the event belongs to a contract the read models know.
    pub contract_number: Option<String>,
}

/// What a retry did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetryOutcome {
    /// Quarantined events that now applied and left the quarantine.
    pub applied: usize,
    /// Events still in quarantine.
    pub remaining: i64,
}

/// What the running process knows about the projector's health, shared by every clone of it: the
/// number of quarantined events (for the banner, without a query per page) and the date whose
/// recompute failed (so it is not retried on every catch-up).
#[derive(Debug, Default)]
pub struct Health {
    quarantined: AtomicI64,
    recompute_failed_for: Mutex<Option<NaiveDate>>,
}

impl Health {
    pub fn quarantined(&self) -> i64 {
        self.quarantined.load(Ordering::Relaxed)
    }

    pub(super) fn set_quarantined(&self, count: i64) {
        self.quarantined.store(count, Ordering::Relaxed);
    }

    pub(super) fn recompute_failed_for(&self) -> Option<NaiveDate> {
        self.recompute_failed_for
            .lock()
            .map(|d| *d)
            .unwrap_or_default()
    }

    pub(super) fn set_recompute_failed_for(&self, date: Option<NaiveDate>) {
        if let Ok(mut failed) = self.recompute_failed_for.lock() {
            *failed = date;
        }
    }
}

/// Applies events to the read models, quarantining the ones that cannot be applied.
/// An aggregate in quarantine and the position of its first quarantined event.
#[derive(sqlx::FromRow)]
struct HeldRow {
    aggregate_type: String,
    aggregate_id: String,
    first_position: i64,
}

pub struct Guard {
    /// Aggregates with a quarantined event → the position of their first quarantined event.
    held: HashMap<(String, String), i64>,
    /// The contracts folded by earlier catch-ups (see [`Folds`]); none for a rebuild.
    folds: Option<Arc<Folds>>,
}

impl Guard {
    /// A guard that knows the aggregates already in quarantine.
    pub async fn load(tx: &mut Tx) -> Result<Self, StoreError> {
        let rows: Vec<HeldRow> = crate::on_tx!(tx, conn => {
            sqlx::query_as(
                "SELECT aggregate_type, aggregate_id, MIN(position) AS first_position \
                 FROM projection_quarantine GROUP BY aggregate_type, aggregate_id",
            )
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(Self {
            held: rows
                .into_iter()
                .map(|r| ((r.aggregate_type, r.aggregate_id), r.first_position))
                .collect(),
            folds: None,
        })
    }

    /// Batches start from (and keep) the contracts folded before.
    pub fn with_folds(self, folds: Arc<Folds>) -> Self {
        Self {
            folds: Some(folds),
            ..self
        }
    }

    /// A guard for a fresh start (rebuild) or a retry, where nothing is held yet.
    pub fn empty() -> Self {
        Self {
            held: HashMap::new(),
            folds: None,
        }
    }

    /// Applies `events` in order; returns how many were quarantined. The whole batch goes in one
    /// savepoint first (the common case costs two statements); only a failing batch is replayed
    /// event by event.
    pub async fn apply_batch(
        &mut self,
        tx: &mut Tx,
        events: &[StoredEvent],
        today: NaiveDate,
    ) -> Result<usize, StoreError> {
        let touches_held = events.iter().any(|e| self.held.contains_key(&key(e)));
        if !touches_held {
            savepoint(tx, "projector_batch").await?;
            let folds = self.folds.as_deref();
            let caught = AssertUnwindSafe(read_models::apply_batch(tx, events, today, folds))
                .catch_unwind()
                .await;
            if settle(tx, "projector_batch", caught).await?.is_none() {
                return Ok(0);
            }
        }
        let mut quarantined = 0;
        for event in events {
            if !self.apply_one(tx, event, today).await? {
                quarantined += 1;
            }
        }
        Ok(quarantined)
    }

    /// Applies one event in its own savepoint; `false` when it went to quarantine.
    pub async fn apply_one(
        &mut self,
        tx: &mut Tx,
        event: &StoredEvent,
        today: NaiveDate,
    ) -> Result<bool, StoreError> {
        if let Some(&first) = self.held.get(&key(event)) {
            let why = format!(
                "En espera: el evento {first} del mismo registro está en cuarentena y debe aplicarse antes."
            );
            record(tx, event, &why, Some(first)).await?;
            return Ok(false);
        }
        savepoint(tx, "projector_event").await?;
        let caught = AssertUnwindSafe(read_models::apply(tx, event, today))
            .catch_unwind()
            .await;
        let Some(fault) = settle(tx, "projector_event", caught).await? else {
            return Ok(true);
        };
        tracing::error!(
            position = event.position,
            aggregate_type = %event.aggregate_type,
            aggregate_id = %event.aggregate_id,
            event_type = %event.event_type,
            error = %fault,
            "event quarantined: the read models could not apply it"
        );
        record(tx, event, &fault, None).await?;
        self.held.insert(key(event), event.position);
        Ok(false)
    }
}

fn key(event: &StoredEvent) -> (String, String) {
    (event.aggregate_type.clone(), event.aggregate_id.clone())
}

/// The outcome of work run under `catch_unwind`: its own result, or the panic's payload.
pub type Caught = Result<Result<(), StoreError>, Box<dyn Any + Send>>;

async fn execute(tx: &mut Tx, sql: &str) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query(sql).execute(&mut *conn).await?.rows_affected()
    });
    Ok(())
}

/// Opens a savepoint: what is written after it can be undone alone (PostgreSQL also needs it to
/// go on after a failed statement).
pub async fn savepoint(tx: &mut Tx, name: &'static str) -> Result<(), StoreError> {
    execute(tx, &format!("SAVEPOINT {name}")).await
}

/// Closes the savepoint `name` after `caught`: kept on success; rolled back when the work failed
/// because of the data (returns the Spanish description of the fault). Infrastructure errors are
/// returned as errors: the caller's transaction is then useless and must be dropped.
pub async fn settle(
    tx: &mut Tx,
    name: &'static str,
    caught: Caught,
) -> Result<Option<String>, StoreError> {
    let fault = match caught {
        Ok(Ok(())) => {
            execute(tx, &format!("RELEASE SAVEPOINT {name}")).await?;
            return Ok(None);
        }
        Ok(Err(err)) if is_infrastructure(&err) => return Err(err),
        Ok(Err(err)) => format!("No se pudo aplicar: {err}"),
        Err(panic) => format!(
            "Falla interna (panic) al aplicarlo: {}",
            panic_message(panic.as_ref())
        ),
    };
    execute(tx, &format!("ROLLBACK TO SAVEPOINT {name}")).await?;
    execute(tx, &format!("RELEASE SAVEPOINT {name}")).await?;
    Ok(Some(fault))
}

/// The text a panic was raised with.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic sin mensaje".to_string()
    }
}

/// Whether `err` says the database or the network failed, rather than this event's data.
pub fn is_infrastructure(err: &StoreError) -> bool {
    match err {
        StoreError::Sql(sqlx::Error::Database(db)) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                transient_sqlstate(pg.code())
            } else {
                db.code()
                    .and_then(|c| c.parse::<i64>().ok())
                    .is_some_and(transient_sqlite_code)
            }
        }
        StoreError::Sql(
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::Decode(_)
            | sqlx::Error::ColumnNotFound(_)
            | sqlx::Error::ColumnIndexOutOfBounds { .. }
            | sqlx::Error::RowNotFound
            | sqlx::Error::TypeNotFound { .. },
        ) => false,
        StoreError::Sql(_) => true,
        StoreError::Migrate(_)
        | StoreError::BadUrl { .. }
        | StoreError::Unreachable { .. }
        | StoreError::Busy(_) => true,
        StoreError::Json(_) | StoreError::Invalid(_) => false,
    }
}

/// Connection (08), rollback/deadlock (40), resources (53), operator (57), system (58), lock
/// timeout (55P03): the same event would apply on another try.
fn transient_sqlstate(code: &str) -> bool {
    ["08", "40", "53", "57", "58"]
        .iter()
        .any(|class| code.starts_with(class))
        || code == "55P03"
}

/// SQLITE_BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN (extended codes keep the primary in the low byte).
fn transient_sqlite_code(code: i64) -> bool {
    matches!(code & 0xff, 5 | 6 | 7 | 10 | 13 | 14)
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Writes (or updates) the quarantine row of `event`; the first quarantine time is kept.
async fn record(
    tx: &mut Tx,
    event: &StoredEvent,
    error: &str,
    held_behind: Option<i64>,
) -> Result<(), StoreError> {
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO projection_quarantine (position, aggregate_type, aggregate_id, sequence, \
             event_type, error, held_behind, quarantined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (position) DO UPDATE SET error = excluded.error, \
             held_behind = excluded.held_behind",
        )
        .bind(event.position)
        .bind(&event.aggregate_type)
        .bind(&event.aggregate_id)
        .bind(event.sequence)
        .bind(&event.event_type)
        .bind(clip(error))
        .bind(held_behind)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// How many events are in quarantine.
pub async fn count_in(tx: &mut Tx) -> Result<i64, StoreError> {
    let count: i64 = crate::on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT COUNT(*) FROM projection_quarantine")
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(count)
}

/// [`count_in`] outside a transaction.
pub async fn count(db: &Db) -> Result<i64, StoreError> {
    let count: i64 = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM projection_quarantine")
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}

/// Empties the quarantine (a rebuild applies every event again).
pub async fn clear(tx: &mut Tx) -> Result<(), StoreError> {
    execute(tx, "DELETE FROM projection_quarantine").await
}

/// Applies every quarantined event again, in position order, removing the ones that apply.
pub async fn retry(tx: &mut Tx, today: NaiveDate) -> Result<RetryOutcome, StoreError> {
    let positions: Vec<i64> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT position FROM projection_quarantine ORDER BY position")
            .fetch_all(&mut *conn)
            .await?
    });
    let mut guard = Guard::empty();
    let mut applied = 0;
    for position in positions {
        let event = event_log::read_after_in(tx, position - 1, 1)
            .await?
            .into_iter()
            .find(|e| e.position == position);
        // An event the log no longer has (a restore replaced the store) leaves with nothing to apply.
        let (leaves, now_applies) = match event {
            Some(event) => {
                let ok = guard.apply_one(tx, &event, today).await?;
                (ok, ok)
            }
            None => (true, false),
        };
        if leaves {
            crate::on_tx!(tx, conn => {
                sqlx::query("DELETE FROM projection_quarantine WHERE position = $1")
                    .bind(position)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            });
            applied += usize::from(now_applies);
        }
    }
    Ok(RetryOutcome {
        applied,
        remaining: count_in(tx).await?,
    })
}

/// A quarantined event as `projection_quarantine` keeps it, with its contract's number.
#[derive(sqlx::FromRow)]
struct Row {
    position: i64,
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    event_type: String,
    error: String,
    held_behind: Option<i64>,
    quarantined_at: String,
    number: Option<String>,
}

/// The quarantined events, oldest position first, with the contract's number when known.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<QuarantinedEvent>, StoreError> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT q.position, q.aggregate_type, q.aggregate_id, q.sequence, q.event_type, q.error, \
             q.held_behind, q.quarantined_at, c.number FROM projection_quarantine q \
             LEFT JOIN rm_contracts c ON q.aggregate_type = 'contrato' AND c.id = q.aggregate_id \
             ORDER BY q.position LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|row| {
            let at = &row.quarantined_at;
            let quarantined_at = DateTime::parse_from_rfc3339(at)
                .map_err(|e| StoreError::Invalid(format!("bad quarantined_at {at:?}: {e}")))?
                .with_timezone(&Utc);
            Ok(QuarantinedEvent {
                position: row.position,
                aggregate_type: row.aggregate_type,
                aggregate_id: row.aggregate_id,
                sequence: row.sequence,
                event_type: row.event_type,
                error: row.error,
                held_behind: row.held_behind,
                quarantined_at,
                contract_number: row.number,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
