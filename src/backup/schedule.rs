//! Scheduled backups and the weekly restore drill inside `arriendo serve` (tokio-cron-scheduler, with
//! the schedule read in the configured time zone, America/Bogota by default).
//!
//! With several servers on one database exactly one runs each scheduled job: on PostgreSQL the job
//! first takes a session advisory lock (others skip while it runs), then claims the job's slot, a row
//! with a unique key in `backup_runs` (others skip once it is claimed, even after the lock is gone).

use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use tokio_cron_scheduler::{Job, JobScheduler};

use super::error::{BackupError, Result};
use super::run::{self, BackupOptions};
use super::runs::{self, RunKind, Trigger};
use super::settings::BackupSettings;
use super::{drill, notify};
use crate::App;
use crate::store::Db;

const LOCK_BACKUP: i64 = 0x4152_5249_0001;
const LOCK_DRILL: i64 = 0x4152_5249_0002;

/// Starts the scheduler with the settings from the environment.
pub async fn spawn_from_env(app: App, database_url: Option<&str>) -> Result<JobScheduler> {
    let mut settings = BackupSettings::from_env(&app.data_dir)?;
    if let Some(url) = database_url {
        settings.database_url = Some(super::settings::Secret::new(url));
    }
    spawn(app, settings).await
}

/// Starts the daily backup and the weekly drill; the returned scheduler runs until shut down.
pub async fn spawn(app: App, settings: BackupSettings) -> Result<JobScheduler> {
    // Runs a previous process left "running" when it died are marked interrupted at start.
    if let Err(e) = super::liveness::reap(&app.db).await {
        tracing::error!(error = %e, "cannot check for dead backup runs");
    }
    let scheduler = JobScheduler::new()
        .await
        .map_err(|e| BackupError::Schedule(e.to_string()))?;
    let tz = settings.timezone;
    for (kind, cron) in [
        (RunKind::Backup, settings.schedule.clone()),
        (RunKind::Drill, settings.drill_schedule.clone()),
    ] {
        let app = app.clone();
        let settings = settings.clone();
        let job = Job::new_async_tz(cron.as_str(), tz, move |_id, _lock| {
            let app = app.clone();
            let settings = settings.clone();
            Box::pin(async move {
                if let Err(e) = run_scheduled(&app, &settings, kind, Utc::now()).await {
                    tracing::error!(error = %e, ?kind, "scheduled job failed");
                }
            })
        })
        .map_err(|e| BackupError::Config(format!("bad schedule {cron:?}: {e}")))?;
        scheduler
            .add(job)
            .await
            .map_err(|e| BackupError::Schedule(e.to_string()))?;
        tracing::info!(?kind, schedule = %cron, timezone = %tz, "backup job scheduled");
    }
    scheduler
        .start()
        .await
        .map_err(|e| BackupError::Schedule(e.to_string()))?;
    // Between the nightly sets, new events go to the remote destinations within seconds.
    super::shipping::spawn(app, &settings);
    Ok(scheduler)
}

/// The slot of a job fired at `at`: the nearest whole minute, the same on every server. Cron fires
/// on the minute, so rounding (rather than truncating) keeps two servers whose clocks differ by less
/// than 30 s in one slot even when one of them fires a little before the minute.
pub fn slot(kind: RunKind, at: DateTime<Utc>) -> String {
    let nearest = at + chrono::Duration::seconds(30);
    let minute = nearest
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(nearest);
    let name = match kind {
        RunKind::Backup => "backup",
        RunKind::Drill => "drill",
    };
    format!(
        "{name}@{}",
        minute.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// Runs one scheduled job unless another server has it; returns whether this server ran it.
pub async fn run_scheduled(
    app: &App,
    settings: &BackupSettings,
    kind: RunKind,
    fired_at: DateTime<Utc>,
) -> Result<bool> {
    let key = if kind == RunKind::Backup {
        LOCK_BACKUP
    } else {
        LOCK_DRILL
    };
    if kind == RunKind::Drill
        && let Some((set, host)) = drill::needs_writer(&app.db, settings).await
        && host != super::runs::host()
    {
        // Without a destination only the server that wrote the set holds it: it claims the drill
        // first; this server takes the slot only if that one did not (and then says why it fails).
        tracing::info!(%set, writer = %host, seconds = settings.drill_defer.as_secs(),
            "the newest set is on another server: leaving the drill to it first");
        tokio::time::sleep(settings.drill_defer).await;
    }
    let Some(lock) = try_lock(&app.db, key).await? else {
        tracing::warn!(
            ?kind,
            "skipping this scheduled job: another server (or an earlier run) holds its lock"
        );
        return Ok(false);
    };
    let result = run_claimed(app, settings, kind, fired_at).await;
    // Released here rather than only on drop, so the next job finds the lock free at once.
    lock.release().await;
    result
}

async fn run_claimed(
    app: &App,
    settings: &BackupSettings,
    kind: RunKind,
    fired_at: DateTime<Utc>,
) -> Result<bool> {
    let Some(started) = runs::start(
        &app.db,
        kind,
        Trigger::Scheduled,
        Some(&slot(kind, fired_at)),
    )
    .await?
    else {
        tracing::info!(
            ?kind,
            "this scheduled run was already claimed by another server"
        );
        return Ok(false);
    };
    match kind {
        RunKind::Backup => {
            // A full set every BACKUP_FULL_EVERY_DAYS, incremental sets in between.
            let options = BackupOptions {
                trigger: Some(Trigger::Scheduled),
                mode: super::incremental::Mode::Auto,
                ..Default::default()
            };
            run::run_recorded(app, settings, options, Some(started)).await?;
        }
        RunKind::Drill => {
            let checks = drill::drill(&app.db, settings).await;
            let outcome = drill::outcome(&checks);
            if let Some(error) = &outcome.error {
                tracing::error!(%error, "restore drill failed");
            }
            let runs::Started { id, lock } = started;
            let finished = runs::finish(&app.db, &id, &outcome).await;
            lock.release().await;
            finished?;
            // Mailed like a backup: a failed drill is as urgent as a failed backup.
            notify::send_for_run(app, settings, &id).await;
        }
    }
    Ok(true)
}

/// Takes the PostgreSQL session advisory lock `key` for a scheduled job; `None` when another
/// session (another server, or an earlier run still going) holds it. On SQLite (one server) there is
/// no lock to take and the job always gets an empty one.
pub async fn try_lock(db: &Db, key: i64) -> std::result::Result<Option<AdvisoryLock>, sqlx::Error> {
    match db {
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(key)
                .fetch_one(&mut *conn)
                .await?;
            Ok(got.then_some(AdvisoryLock {
                conn: Some(conn),
                key,
            }))
        }
        Db::Sqlite(_) => Ok(Some(AdvisoryLock { conn: None, key })),
    }
}

/// Releases the PostgreSQL session lock when the job ends.
pub struct AdvisoryLock {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Postgres>>,
    key: i64,
}

impl AdvisoryLock {
    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.key)
                .execute(&mut *conn)
                .await;
            if unlocked.is_err() {
                // Closing the session frees the lock; the pool never gets it back still held.
                drop(conn.detach());
            }
        }
    }
}

impl Drop for AdvisoryLock {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let key = self.key;
            tokio::spawn(async move {
                let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(key)
                    .execute(&mut *conn)
                    .await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn servers_a_little_apart_share_the_slot_of_their_minute() {
        let on_time = slot(RunKind::Backup, at("2026-12-02T07:00:00.120Z"));
        assert_eq!(on_time, "backup@2026-12-02T07:00:00Z");
        assert_eq!(
            slot(RunKind::Backup, at("2026-12-02T06:59:59.800Z")),
            on_time
        );
        assert_eq!(
            slot(RunKind::Backup, at("2026-12-02T07:00:29.900Z")),
            on_time
        );
        assert_ne!(slot(RunKind::Backup, at("2026-12-02T07:00:30Z")), on_time);
        assert_eq!(
            slot(RunKind::Drill, at("2026-12-06T23:59:59.900Z")),
            "drill@2026-12-07T00:00:00Z"
        );
    }
}
