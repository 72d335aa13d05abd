//! Keeps the read models up to date with the event log.
//!
//! Each batch reads events after the stored checkpoint, applies them to the read models and moves the
//! checkpoint, all in one transaction: a crash anywhere leaves either the whole batch or none of it, and
//! the next run resumes from the checkpoint. Positions become visible in order on both engines (see the
//! event-store migrations), so reading "after the checkpoint" never skips a late commit.

mod rebuild;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::Mutex;

use crate::read_models;
use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError, Tx};

const CHECKPOINT: &str = "read_models";
const BATCH: i64 = 500;

/// Where "today" comes from: Bogotá's calendar in production, a fixed date in tests.
pub type Clock = Arc<dyn Fn() -> NaiveDate + Send + Sync>;

#[derive(Clone)]
pub struct Projector {
    db: Db,
    /// One catch-up at a time within this process; other processes are held off by the checkpoint row lock.
    running: Arc<Mutex<()>>,
    clock: Clock,
}

/// Where the read models stand against the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProjectionStatus {
    pub checkpoint: i64,
    pub head: i64,
    pub events: i64,
}

impl ProjectionStatus {
    pub fn lag(&self) -> i64 {
        self.head - self.checkpoint
    }
}

impl Projector {
    pub fn new(db: Db) -> Self {
        Self::with_clock(db, Arc::new(crate::app::today))
    }

    pub fn with_clock(db: Db, clock: Clock) -> Self {
        Self {
            db,
            running: Arc::new(Mutex::new(())),
            clock,
        }
    }

    pub fn today(&self) -> NaiveDate {
        (self.clock)()
    }

    /// Applies every event after the checkpoint; returns how many were applied.
    /// When the date has changed since the read models were computed, recomputes the today-dependent
    /// columns first (alerts, terms in force), in the same transaction as the checkpoint lock.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let _running = self.running.lock().await;
        let today = self.today();
        let mut applied = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let checkpoint = lock_checkpoint(&mut tx).await?;
            if read_models::computed_for(&mut tx).await? != Some(today) {
                read_models::recompute_for(&mut tx, today).await?;
            }
            let events = event_log::read_after_in(&mut tx, checkpoint, BATCH).await?;
            let Some(last) = events.last().map(|e| e.position) else {
                tx.commit().await?;
                return Ok(applied);
            };
            apply_all(&mut tx, &events, today).await?;
            store_checkpoint(&mut tx, last).await?;
            tx.commit().await?;
            applied += events.len();
        }
    }

    pub async fn status(&self) -> Result<ProjectionStatus, StoreError> {
        let (events, head) = event_log::head(&self.db).await?;
        let checkpoint: Option<i64> = crate::on_pool!(&self.db, pool => {
            sqlx::query_scalar("SELECT position FROM projection_checkpoints WHERE name = $1")
                .bind(CHECKPOINT)
                .fetch_optional(pool)
                .await?
        });
        Ok(ProjectionStatus {
            checkpoint: checkpoint.unwrap_or(0),
            head,
            events,
        })
    }

    /// Catches up every `period` so changes made by other processes (CLI, other servers) show up.
    pub fn spawn_background(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let projector = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(period);
            loop {
                ticker.tick().await;
                if let Err(err) = projector.catch_up().await {
                    tracing::error!(error = %err, "background projection failed");
                }
            }
        })
    }
}

async fn apply_all(
    tx: &mut Tx,
    events: &[StoredEvent],
    today: NaiveDate,
) -> Result<(), StoreError> {
    for event in events {
        read_models::apply(tx, event, today).await?;
    }
    Ok(())
}

/// Reads the checkpoint after taking the write lock on its row (created at 0 when missing), so two
/// processes never project the same batch.
async fn lock_checkpoint(tx: &mut Tx) -> Result<i64, StoreError> {
    let position: i64 = crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) \
             ON CONFLICT (name) DO UPDATE SET position = projection_checkpoints.position",
        )
        .bind(CHECKPOINT)
        .execute(&mut *conn)
        .await?;
        sqlx::query_scalar("SELECT position FROM projection_checkpoints WHERE name = $1")
            .bind(CHECKPOINT)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(position)
}

async fn store_checkpoint(tx: &mut Tx, position: i64) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("UPDATE projection_checkpoints SET position = $1 WHERE name = $2")
            .bind(position)
            .bind(CHECKPOINT)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(())
}
