//! Keeps the read models up to date with the event log.
//!
//! Each batch reads events after the stored checkpoint, applies them to the read models and moves the
//! checkpoint, all in one transaction: a crash anywhere leaves either the whole batch or none of it, and
//! the next run resumes from the checkpoint. Positions become visible in order on both engines (see the
//! event-store migrations), so reading "after the checkpoint" never skips a late commit.
//!
//! An event the read models cannot apply does not stop the projector: it is set aside in quarantine
//! (see [`quarantine`]) and the checkpoint moves on.

pub mod quarantine;
mod rebuild;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use futures::FutureExt;
use tokio::sync::Mutex;

use crate::read_models;
use crate::read_models::folds::Folds;
use crate::store::event_log;
use crate::store::{Db, StoreError, Tx};
use quarantine::{Guard, Health, RetryOutcome};

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
    health: Arc<Health>,
    /// Contracts folded by earlier catch-ups, shared with the pages of this database.
    folds: Arc<Folds>,
}

/// Where the read models stand against the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProjectionStatus {
    pub checkpoint: i64,
    pub head: i64,
    pub events: i64,
    /// Events set aside because the read models could not apply them.
    pub quarantined: i64,
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
            folds: Folds::of(&db),
            db,
            running: Arc::new(Mutex::new(())),
            clock,
            health: Arc::new(Health::default()),
        }
    }

    /// Events in quarantine as of this process's last catch-up or retry (no query: the banner of
    /// every page reads it).
    pub fn quarantined(&self) -> i64 {
        self.health.quarantined()
    }

    pub fn today(&self) -> NaiveDate {
        (self.clock)()
    }

    /// Processes every event after the checkpoint; returns how many (quarantined ones included).
    /// When the date has changed since the read models were computed, recomputes the today-dependent
    /// columns first (alerts, terms in force), in the same transaction as the checkpoint lock.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let _running = self.running.lock().await;
        // The chain of digests first, in its own transaction: a failure there is logged and never
        // keeps the read models from moving (`audit verify` shows the pending events).
        if let Err(err) = crate::audit::seal(&self.db).await {
            tracing::error!(error = %err, "sealing the new events failed");
        }
        let today = self.today();
        let mut processed = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let checkpoint = lock_checkpoint(&mut tx).await?;
            self.recompute_if_needed(&mut tx, today).await?;
            let events = event_log::read_after_in(&mut tx, checkpoint, BATCH).await?;
            let Some(last) = events.last().map(|e| e.position) else {
                return self.finish(tx, processed).await;
            };
            let mut guard = Guard::load(&mut tx).await?.with_folds(self.folds.clone());
            guard.apply_batch(&mut tx, &events, today).await?;
            store_checkpoint(&mut tx, last).await?;
            processed += events.len();
            // A short batch reached the end of the log as it was read: finish in this transaction
            // rather than open another to find nothing (later events are the next call's).
            if events.len() < BATCH as usize {
                return self.finish(tx, processed).await;
            }
            tx.commit().await?;
        }
    }

    /// Commits the last catch-up transaction with the quarantine count it read.
    async fn finish(&self, mut tx: Tx, processed: usize) -> Result<usize, StoreError> {
        let quarantined = quarantine::count_in(&mut tx).await?;
        tx.commit().await?;
        self.health.set_quarantined(quarantined);
        Ok(processed)
    }

    /// Recomputes the today-dependent columns when the date changed. A failure is logged and the
    /// old columns stay (one contract must not freeze every event after it); it is tried again
    /// when the date changes, on a retry, or when the process restarts.
    async fn recompute_if_needed(&self, tx: &mut Tx, today: NaiveDate) -> Result<(), StoreError> {
        if read_models::computed_for(tx).await? == Some(today)
            || self.health.recompute_failed_for() == Some(today)
        {
            return Ok(());
        }
        quarantine::savepoint(tx, "projector_recompute").await?;
        let caught = AssertUnwindSafe(read_models::recompute_for(tx, today))
            .catch_unwind()
            .await;
        if let Some(fault) = quarantine::settle(tx, "projector_recompute", caught).await? {
            tracing::error!(%today, error = %fault, "recomputing the read models for the new date failed");
            self.health.set_recompute_failed_for(Some(today));
        }
        Ok(())
    }

    /// Applies the quarantined events again (after a fix), in position order, and removes the ones
    /// that now apply.
    pub async fn retry(&self) -> Result<RetryOutcome, StoreError> {
        let _running = self.running.lock().await;
        self.health.set_recompute_failed_for(None);
        let today = self.today();
        let mut tx = self.db.begin().await?;
        lock_checkpoint(&mut tx).await?;
        let outcome = quarantine::retry(&mut tx, today).await?;
        tx.commit().await?;
        self.health.set_quarantined(outcome.remaining);
        Ok(outcome)
    }

    pub async fn status(&self) -> Result<ProjectionStatus, StoreError> {
        let (events, head) = event_log::head(&self.db).await?;
        Ok(ProjectionStatus {
            checkpoint: self.checkpoint().await?,
            head,
            events,
            quarantined: quarantine::count(&self.db).await?,
        })
    }

    /// The position the read models reflect (0 before the first event).
    pub async fn checkpoint(&self) -> Result<i64, StoreError> {
        let checkpoint: Option<i64> = crate::on_pool!(&self.db, pool => {
            sqlx::query_scalar("SELECT position FROM projection_checkpoints WHERE name = $1")
                .bind(CHECKPOINT)
                .fetch_optional(pool)
                .await?
        });
        Ok(checkpoint.unwrap_or(0))
    }

    /// Events in the log not yet applied: two indexed reads, no count of the log (the metrics scrape).
    pub async fn lag(&self) -> Result<i64, StoreError> {
        let head = event_log::last_position(&self.db).await?;
        Ok(head - self.checkpoint().await?)
    }

    /// Catches up every `period` so changes made by other processes (CLI, other servers) show up.
    /// Errors and panics are logged and the loop goes on, waiting longer after each failure in a row.
    pub fn spawn_background(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let projector = self.clone();
        tokio::spawn(async move {
            let mut failures: u32 = 0;
            loop {
                tokio::time::sleep(backoff(period, failures)).await;
                match AssertUnwindSafe(projector.catch_up()).catch_unwind().await {
                    Ok(Ok(_)) => failures = 0,
                    Ok(Err(err)) => {
                        failures = failures.saturating_add(1);
                        tracing::error!(error = %err, failures, "background projection failed");
                    }
                    Err(panic) => {
                        failures = failures.saturating_add(1);
                        let message = quarantine::panic_message(panic.as_ref());
                        tracing::error!(panic = %message, failures, "background projection panicked");
                    }
                }
            }
        })
    }
}

/// The wait before the next background run: `period`, doubled for each failure in a row, at most a
/// minute, so a store that keeps failing is neither hammered nor flooding the log.
pub fn backoff(period: Duration, failures: u32) -> Duration {
    period
        .saturating_mul(1 << failures.min(16))
        .min(Duration::from_secs(60))
        .max(period)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_background_loop_waits_longer_after_failures_but_never_less_than_its_period() {
        let period = Duration::from_secs(2);
        assert_eq!(backoff(period, 0), Duration::from_secs(2));
        assert_eq!(backoff(period, 1), Duration::from_secs(4));
        assert_eq!(backoff(period, 4), Duration::from_secs(32));
        assert_eq!(backoff(period, 5), Duration::from_secs(60));
        assert_eq!(backoff(period, u32::MAX), Duration::from_secs(60));
        assert_eq!(backoff(Duration::from_secs(90), 3), Duration::from_secs(90));
    }
}
