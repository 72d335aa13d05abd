//! Continuous log shipping: while `serve` runs, the events committed since the last tick go to every
//! remote destination as a segment (see [`super::segments`]) every `BACKUP_SHIP_INTERVAL_SECS`
//! (10 s). A restore then takes the latest full set plus the segments after it: what a lost server
//! loses is the last few seconds, not the day since the nightly backup.
//!
//! One shipper at a time across servers: each tick first takes a PostgreSQL advisory lock (SQLite is
//! one server) and reads, per destination, how far shipping got from `backup_shipping`, the row every
//! server shares; a server that finds the lock taken skips the tick. A destination without a row
//! (the first tick, or a new destination) starts after the last segment it already holds, or from
//! the start of the log. Every remote call keeps to the deadlines of [`super::deadline`]; a failure
//! is recorded on the destination's row (the Respaldos page shows it with the lag) and retried at the
//! next tick from the same position.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::Row;

use super::error::{BackupError, Result};
use super::schedule::try_lock;
use super::segments::{self, MAX_EVENTS};
use super::settings::BackupSettings;
use super::targets::Target;
use crate::App;
use crate::store::Db;
use crate::store::event_log;

/// The advisory lock of the shipper (beside the scheduler's `ARRI…1` and `…2`).
const LOCK_SHIP: i64 = 0x4152_5249_0003;

/// How shipping stands for one destination, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipped {
    pub target: String,
    /// The last position shipped (0: nothing yet).
    pub position: i64,
    pub shipped_at: Option<DateTime<Utc>>,
    /// The last failure, cleared by the next success.
    pub error: Option<String>,
    pub failed_at: Option<DateTime<Utc>>,
}

/// The shipper's destinations and keys, opened once.
pub struct Shipper {
    targets: Vec<Target>,
    recipients: Vec<String>,
}

impl Shipper {
    /// The shipper of `settings`; `None` when shipping is off (no remote copies, no destination,
    /// or `BACKUP_SHIP_INTERVAL_SECS=0`).
    pub async fn open(settings: &BackupSettings) -> Result<Option<Self>> {
        if !settings.remote_enabled
            || settings.targets.is_empty()
            || settings.ship_interval.is_none()
        {
            return Ok(None);
        }
        let mut targets = Vec::new();
        for config in &settings.targets {
            targets.push(Target::open(config, settings.remote_timeouts).await?);
        }
        // Checked now: a bad key fails at start, not at every tick.
        super::pipeline::parse_recipients(&settings.encryption_recipients)?;
        Ok(Some(Self {
            targets,
            recipients: settings.encryption_recipients.clone(),
        }))
    }

    /// One tick: ships what is new to every destination unless another server holds the lock.
    /// Returns each destination's outcome (its last shipped position), or `None` when skipped.
    pub async fn tick(&self, db: &Db) -> Result<Option<Vec<(String, Result<i64>)>>> {
        let Some(lock) = try_lock(db, LOCK_SHIP).await? else {
            return Ok(None);
        };
        let outcomes = self.ship_all(db).await;
        lock.release().await;
        Ok(Some(outcomes))
    }

    /// Ships to every destination, one after the other; a failing one does not stop the others.
    pub async fn ship_all(&self, db: &Db) -> Vec<(String, Result<i64>)> {
        let mut outcomes = Vec::new();
        for target in &self.targets {
            let shipped = ship_to(db, target, &self.recipients).await;
            let now = Utc::now();
            let recorded = match &shipped {
                Ok(_) => Ok(()),
                Err(e) => {
                    tracing::error!(target_name = %target.name, error = %e, "log shipping failed");
                    record_failure(db, &target.name, &e.to_string(), now).await
                }
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "cannot record the log shipping outcome");
            }
            outcomes.push((target.name.clone(), shipped));
        }
        outcomes
    }
}

/// Starts shipping inside `serve` when it is on; the task ends when the pool closes (shutdown).
pub fn spawn(app: App, settings: &BackupSettings) -> Option<tokio::task::JoinHandle<()>> {
    let interval = settings.ship_interval?;
    if !settings.remote_enabled || settings.targets.is_empty() {
        return None;
    }
    let settings = settings.clone();
    Some(tokio::spawn(async move {
        let shipper = match Shipper::open(&settings).await {
            Ok(Some(shipper)) => shipper,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, "log shipping cannot start");
                return;
            }
        };
        tracing::info!(
            seconds = interval.as_secs(),
            "log shipping to the remote destinations started"
        );
        run(&app.db, &shipper, interval).await;
    }))
}

/// Ticks every `interval` until the pool is closed.
pub async fn run(db: &Db, shipper: &Shipper, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if crate::on_pool!(db, pool => pool.is_closed()) {
            return;
        }
        if let Err(e) = shipper.tick(db).await {
            tracing::error!(error = %e, "log shipping tick failed");
        }
    }
}

/// Ships the events after the destination's position in segments of at most [`MAX_EVENTS`],
/// recording each; returns the last position shipped.
async fn ship_to(db: &Db, target: &Target, recipients: &[String]) -> Result<i64> {
    let mut position = match recorded(db, &target.name).await? {
        Some(shipped) => shipped.position,
        None => segments::list(target)
            .await?
            .iter()
            .map(|s| s.last)
            .max()
            .unwrap_or(0),
    };
    let head = event_log::last_position(db).await?;
    if head < position {
        // The store was restored to an earlier point: its new history continues from its head.
        tracing::warn!(target_name = %target.name, head, shipped = position,
            "the store is behind what was shipped (a restore?): shipping continues from its head");
        position = head;
    }
    loop {
        let events = event_log::read_after(db, position, MAX_EVENTS).await?;
        if events.is_empty() {
            return Ok(position);
        }
        let engine = db.engine();
        let keys = recipients.to_vec();
        let after = position;
        let (last, bytes) =
            tokio::task::spawn_blocking(move || segments::encode(engine, after, &events, &keys))
                .await
                .map_err(|e| BackupError::Failed(e.to_string()))??;
        let name = segments::file_name(
            after,
            last,
            &segments::sha256_hex(&bytes),
            !recipients.is_empty(),
        );
        segments::put(target, &name, bytes).await?;
        record_success(db, &target.name, last, Utc::now()).await?;
        tracing::debug!(target_name = %target.name, after, last, "segment shipped");
        position = last;
    }
}

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn time(value: Option<String>) -> Option<DateTime<Utc>> {
    value
        .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The recorded state of every destination shipped to.
pub async fn state(db: &Db) -> Result<Vec<Shipped>> {
    let sql = "SELECT target, position, shipped_at, error, failed_at FROM backup_shipping ORDER BY target";
    let rows = crate::on_pool!(db, pool => sqlx::query(sql).fetch_all(pool).await?
        .into_iter()
        .map(|r| Shipped {
            target: r.get("target"),
            position: r.get("position"),
            shipped_at: time(Some(r.get("shipped_at"))).filter(|_| r.get::<i64, _>("position") > 0),
            error: r.get("error"),
            failed_at: time(r.get("failed_at")),
        })
        .collect());
    Ok(rows)
}

async fn recorded(db: &Db, target: &str) -> Result<Option<Shipped>> {
    Ok(state(db).await?.into_iter().find(|s| s.target == target))
}

async fn record_success(db: &Db, target: &str, position: i64, now: DateTime<Utc>) -> Result<()> {
    let sql = "INSERT INTO backup_shipping (target, position, shipped_at, error, failed_at) \
               VALUES ($1, $2, $3, NULL, NULL) \
               ON CONFLICT (target) DO UPDATE SET position = excluded.position, \
               shipped_at = excluded.shipped_at, error = NULL, failed_at = NULL";
    crate::on_pool!(db, pool => sqlx::query(sql).bind(target).bind(position).bind(text(now)).execute(pool).await.map(|_| ())?);
    Ok(())
}

async fn record_failure(db: &Db, target: &str, error: &str, now: DateTime<Utc>) -> Result<()> {
    // A destination that never shipped keeps position 0, so the next tick starts from its segments.
    let sql = "INSERT INTO backup_shipping (target, position, shipped_at, error, failed_at) \
               VALUES ($1, 0, $2, $3, $2) \
               ON CONFLICT (target) DO UPDATE SET error = excluded.error, failed_at = excluded.failed_at";
    crate::on_pool!(db, pool => sqlx::query(sql).bind(target).bind(text(now)).bind(error).execute(pool).await.map(|_| ())?);
    Ok(())
}

/// Forgets where shipping got (after a restore replaced the log): each destination starts again
/// after the last segment it holds.
pub async fn forget(db: &Db) -> Result<()> {
    crate::on_pool!(db, pool => sqlx::query("DELETE FROM backup_shipping").execute(pool).await.map(|_| ())?);
    Ok(())
}

/// How shipping stands for one destination, for the Respaldos page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lag {
    pub target: String,
    pub position: i64,
    pub shipped_at: Option<DateTime<Utc>>,
    /// How long the oldest event not yet shipped has waited (0: everything is shipped).
    pub seconds: i64,
    /// Events not yet shipped.
    pub pending: i64,
    pub error: Option<String>,
}

/// The lag of every configured destination at `now`.
pub async fn lags(db: &Db, settings: &BackupSettings, now: DateTime<Utc>) -> Result<Vec<Lag>> {
    let recorded = state(db).await?;
    let mut lags = Vec::new();
    for config in &settings.targets {
        let name = config.name();
        let shipped = recorded.iter().find(|s| s.target == name);
        let position = shipped.map_or(0, |s| s.position);
        let sql = "SELECT COUNT(*) FROM events WHERE position > $1";
        let pending: i64 = crate::on_pool!(db, pool => sqlx::query_scalar(sql).bind(position).fetch_one(pool).await?);
        let seconds = match event_log::read_after(db, position, 1).await?.first() {
            Some(oldest) => (now - oldest.recorded_at).num_seconds().max(0),
            None => 0,
        };
        lags.push(Lag {
            target: name.to_string(),
            position,
            shipped_at: shipped.and_then(|s| s.shipped_at),
            seconds,
            pending,
            error: shipped.and_then(|s| s.error.clone()),
        });
    }
    Ok(lags)
}
