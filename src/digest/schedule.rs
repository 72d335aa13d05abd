//! The digests' tick in the backups' scheduler (`backup::schedule`): every few minutes
//! (`ALERT_DIGEST_TICK`, a cron expression with seconds, `0 */5 * * * *` by default) each kind that is
//! due is sent; «inmediata» kinds go out at the first tick after new alerts appear.
//!
//! With several servers on one PostgreSQL database one tick runs at a time across them (the same
//! session advisory lock the backups take, with its own key), and each run claims its slot in
//! `digest_settings` ([`super::settings::claim_run`]), so a digest is sent once, not once per server.
//! Within one server a tick that is still running makes the next one skip.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, Utc};
use tokio_cron_scheduler::{Job, JobScheduler};

use super::mailer::Mailer;
use super::run::{RunSummary, tick};
use super::{DigestError, Result};
use crate::App;
use crate::backup::schedule::try_lock;

const LOCK_DIGEST: i64 = 0x4152_5249_0003;

/// Every five minutes.
pub const DEFAULT_TICK: &str = "0 */5 * * * *";

/// The SQLite stores (by data folder) with a tick running in this process: one tick at a time per
/// store. On PostgreSQL the advisory lock does it, across servers too.
static RUNNING: LazyLock<Mutex<HashSet<PathBuf>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// Marks a store's tick as running until dropped.
struct Running(PathBuf);

impl Running {
    fn start(dir: &std::path::Path) -> Option<Running> {
        let mut running = RUNNING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        running
            .insert(dir.to_path_buf())
            .then(|| Running(dir.to_path_buf()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.0);
    }
}

/// Runs one tick unless another one (here or on another server) is running; `None` then.
pub async fn tick_once(
    app: &App,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<Option<Vec<(arriendo_projections::AlertKind, RunSummary)>>> {
    let _running = match app.db {
        crate::store::Db::Sqlite(_) => match Running::start(&app.data_dir) {
            Some(guard) => Some(guard),
            None => {
                tracing::info!("alert digests: the previous tick is still running");
                return Ok(None);
            }
        },
        crate::store::Db::Postgres(_) => None,
    };
    let Some(lock) = try_lock(&app.db, LOCK_DIGEST).await? else {
        tracing::info!("alert digests: another server is running this tick");
        return Ok(None);
    };
    let done = tick(app, mailer, now).await;
    lock.release().await;
    Ok(Some(done))
}

/// Adds the digests' tick to `scheduler` (`ALERT_DIGEST_TICK` or [`DEFAULT_TICK`]).
pub async fn add(scheduler: &JobScheduler, app: App, mailer: Mailer) -> Result<()> {
    let cron = std::env::var("ALERT_DIGEST_TICK")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_TICK.to_string());
    let job = Job::new_async_tz(
        cron.as_str(),
        chrono_tz::America::Bogota,
        move |_id, _lock| {
            let app = app.clone();
            let mailer = mailer.clone();
            Box::pin(async move {
                if let Err(e) = tick_once(&app, &mailer, Utc::now()).await {
                    tracing::error!(error = %e, "alert digest tick failed");
                }
            })
        },
    )
    .map_err(|e| DigestError::Config(format!("bad ALERT_DIGEST_TICK {cron:?}: {e}")))?;
    scheduler
        .add(job)
        .await
        .map_err(|e| DigestError::Schedule(e.to_string()))?;
    tracing::info!(schedule = %cron, "alert digests scheduled");
    Ok(())
}
