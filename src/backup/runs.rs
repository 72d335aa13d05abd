//! Records of backup runs and restore drills, for `backup list`, the "Respaldos" page and the
//! dashboard alert.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::error::{BackupError, Result};
use super::liveness::{self, RunLock};
use super::manifest::ManifestFile;
use crate::store::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    Backup,
    Drill,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    Manual,
    Scheduled,
    Web,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Success,
    Failed,
    /// Left "running" by a process that died (its lock is gone; see [`super::liveness`]).
    Interrupted,
}

/// Where a set was copied, and how it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOutcome {
    pub target: String,
    pub location: String,
    pub ok: bool,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupRun {
    pub id: String,
    pub kind: RunKind,
    pub trigger: Trigger,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub status: RunStatus,
    /// The set's name (`backup_YYYYMMDD_HHMMSS`) once known.
    pub name: Option<String>,
    pub total_bytes: Option<i64>,
    pub event_count: Option<i64>,
    pub last_position: Option<i64>,
    pub files: Vec<ManifestFile>,
    pub targets: Vec<TargetOutcome>,
    pub error: Option<String>,
}

impl BackupRun {
    pub fn duration(&self) -> Option<chrono::Duration> {
        self.finished_at.map(|f| f - self.started_at)
    }
}

/// How a run ended, to record.
#[derive(Clone, Debug, Default)]
pub struct RunOutcome {
    pub name: Option<String>,
    pub total_bytes: Option<i64>,
    pub event_count: Option<i64>,
    pub last_position: Option<i64>,
    pub files: Vec<ManifestFile>,
    pub targets: Vec<TargetOutcome>,
    pub error: Option<String>,
}

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn to_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_str<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| BackupError::Failed(format!("bad value {s:?} in backup_runs: {e}")))
}

/// A run recorded as "running", holding the lock that tells it is alive (see [`super::liveness`]).
pub struct Started {
    pub id: String,
    pub lock: RunLock,
}

/// Records the start of a run, after marking the runs of dead processes interrupted. With a `slot`
/// (scheduled runs) returns `None` when another server already claimed it.
pub async fn start(
    db: &Db,
    kind: RunKind,
    trigger: Trigger,
    slot: Option<&str>,
) -> Result<Option<Started>> {
    liveness::reap(db).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    // The lock comes first: a reaper that sees the record always sees it locked.
    let lock = RunLock::acquire(db, &id).await?;
    let sql = "INSERT INTO backup_runs (id, kind, run_trigger, slot, started_at, status, host) \
               VALUES ($1, $2, $3, $4, $5, 'running', $6) ON CONFLICT (slot) DO NOTHING";
    let inserted = crate::on_pool!(db, pool => {
        sqlx::query(sql)
            .bind(&id)
            .bind(to_str(&kind))
            .bind(to_str(&trigger))
            .bind(slot)
            .bind(text(now))
            .bind(host())
            .execute(pool)
            .await?
            .rows_affected()
    });
    if inserted != 1 {
        lock.release().await;
        return Ok(None);
    }
    Ok(Some(Started { id, lock }))
}

pub async fn finish(db: &Db, id: &str, outcome: &RunOutcome) -> Result<()> {
    let status = if outcome.error.is_some() {
        RunStatus::Failed
    } else {
        RunStatus::Success
    };
    let files =
        serde_json::to_string(&outcome.files).map_err(|e| BackupError::Failed(e.to_string()))?;
    let targets =
        serde_json::to_string(&outcome.targets).map_err(|e| BackupError::Failed(e.to_string()))?;
    let sql = "UPDATE backup_runs SET finished_at = $1, status = $2, name = $3, total_bytes = $4, \
               event_count = $5, last_position = $6, files = $7, targets = $8, error = $9 WHERE id = $10";
    crate::on_pool!(db, pool => {
        sqlx::query(sql)
            .bind(text(Utc::now()))
            .bind(to_str(&status))
            .bind(&outcome.name)
            .bind(outcome.total_bytes)
            .bind(outcome.event_count)
            .bind(outcome.last_position)
            .bind(files)
            .bind(targets)
            .bind(&outcome.error)
            .bind(id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

const SELECT: &str = "SELECT id, kind, run_trigger, started_at, finished_at, status, name, total_bytes, \
                      event_count, last_position, files, targets, error FROM backup_runs";

fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| BackupError::Failed(format!("bad time {s:?} in backup_runs: {e}")))
}

fn build<'r, R>(row: &'r R) -> Result<BackupRun>
where
    R: Row,
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let kind: String = row.try_get("kind")?;
    let trigger: String = row.try_get("run_trigger")?;
    let status: String = row.try_get("status")?;
    let started: String = row.try_get("started_at")?;
    let finished: Option<String> = row.try_get("finished_at")?;
    let files: String = row.try_get("files")?;
    let targets: String = row.try_get("targets")?;
    Ok(BackupRun {
        id: row.try_get("id")?,
        kind: from_str(&kind)?,
        trigger: from_str(&trigger)?,
        started_at: parse_time(&started)?,
        finished_at: finished.as_deref().map(parse_time).transpose()?,
        status: from_str(&status)?,
        name: row.try_get("name")?,
        total_bytes: row.try_get("total_bytes")?,
        event_count: row.try_get("event_count")?,
        last_position: row.try_get("last_position")?,
        files: serde_json::from_str(&files).unwrap_or_default(),
        targets: serde_json::from_str(&targets).unwrap_or_default(),
        error: row.try_get("error")?,
    })
}

/// The newest runs first, at most `limit`.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<BackupRun>> {
    let sql = format!("{SELECT} ORDER BY started_at DESC, id DESC LIMIT $1");
    match db {
        Db::Sqlite(pool) => {
            let rows = sqlx::query(&sql).bind(limit).fetch_all(pool).await?;
            rows.iter().map(build).collect()
        }
        Db::Postgres(pool) => {
            let rows = sqlx::query(&sql).bind(limit).fetch_all(pool).await?;
            rows.iter().map(build).collect()
        }
    }
}

/// One run by its id.
pub async fn by_id(db: &Db, id: &str) -> Result<Option<BackupRun>> {
    first(db, &format!("{SELECT} WHERE id = $1"), Some(id)).await
}

/// The first row of `sql` (with its one optional text parameter) as a run.
async fn first(db: &Db, sql: &str, param: Option<&str>) -> Result<Option<BackupRun>> {
    Ok(match db {
        Db::Sqlite(pool) => {
            let mut query = sqlx::query(sql);
            if let Some(p) = param {
                query = query.bind(p.to_string());
            }
            query
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(build)
                .transpose()?
        }
        Db::Postgres(pool) => {
            let mut query = sqlx::query(sql);
            if let Some(p) = param {
                query = query.bind(p.to_string());
            }
            query
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(build)
                .transpose()?
        }
    })
}

/// The newest backup run (not drills), for the dashboard's "Respaldo" alert.
pub async fn latest(db: &Db) -> Result<Option<BackupRun>> {
    latest_of(db, RunKind::Backup).await
}

/// The newest run of a kind.
pub async fn latest_of(db: &Db, kind: RunKind) -> Result<Option<BackupRun>> {
    let sql = format!("{SELECT} WHERE kind = $1 ORDER BY started_at DESC, id DESC LIMIT 1");
    first(db, &sql, Some(&to_str(&kind))).await
}

/// The newest successful backup run.
pub async fn latest_success(db: &Db) -> Result<Option<BackupRun>> {
    let sql = format!(
        "{SELECT} WHERE kind = 'backup' AND status = 'success' ORDER BY started_at DESC, id DESC LIMIT 1"
    );
    first(db, &sql, None).await
}

/// This server's name, as runs record it (`/etc/hostname`).
pub fn host() -> String {
    super::notify::gethostname()
}

/// The newest set a backup wrote, and the server that wrote it (unknown for runs recorded before
/// servers were).
pub async fn newest_set(db: &Db) -> Result<Option<(String, Option<String>)>> {
    let sql = "SELECT name, host FROM backup_runs WHERE kind = 'backup' AND status = 'success' \
               AND name IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 1";
    let row: Option<(String, Option<String>)> =
        crate::on_pool!(db, pool => sqlx::query_as(sql).fetch_optional(pool).await?);
    Ok(row)
}
