//! Whether a run recorded as "running" is still alive. A process killed with SIGKILL never records
//! how its run ended; without this its record stayed "running", blocked «Respaldar ahora» for a day and
//! a restored database file brought it back.
//!
//! Each recorded run holds a lock for as long as it runs, taken before its record exists:
//! - on PostgreSQL a session advisory lock keyed by the run's id, so a run of another server counts
//!   as alive and the lock goes away with the dead process's connection;
//! - on SQLite (one machine) an exclusive `flock` on `.backup-run-ID.lock` beside the database file,
//!   which the kernel drops when the process dies.
//!
//! [`reap`] marks every "running" record whose lock is free (or whose lock file is gone) as
//! interrupted. The update only touches rows still "running", so a run that finished in between keeps
//! its real outcome: a run records its end before it lets go of its lock.

use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use sqlx::pool::PoolConnection;

use super::error::{BackupError, Result};
use crate::store::Db;

/// The namespace of run locks (two-int advisory locks, apart from the scheduler's bigint keys).
const NAMESPACE: i32 = 0x4152_5249;

/// Why a record was marked interrupted, as the page and the email show it.
pub const INTERRUPTED_REASON: &str = "interrumpido: el proceso que hacía el respaldo terminó sin registrar el resultado (process died)";

/// The lock a live run holds; [`RunLock::release`] after the run recorded its end.
pub struct RunLock {
    held: Option<Held>,
}

enum Held {
    File {
        _file: std::fs::File,
        path: PathBuf,
    },
    Postgres {
        conn: PoolConnection<sqlx::Postgres>,
        id: String,
    },
}

/// The folder of the SQLite database file, where run lock files live.
fn lock_dir(pool: &sqlx::SqlitePool) -> PathBuf {
    pool.connect_options()
        .get_filename()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn lock_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!(".backup-run-{id}.lock"))
}

impl RunLock {
    /// Takes the lock of run `id` (before its record is written).
    pub async fn acquire(db: &Db, id: &str) -> Result<Self> {
        let held = match db {
            Db::Sqlite(pool) => {
                let path = lock_file(&lock_dir(pool), id);
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(|e| BackupError::io(format!("cannot open {}", path.display()), e))?;
                file.try_lock().map_err(|e| {
                    BackupError::Failed(format!("cannot lock {}: {e}", path.display()))
                })?;
                Held::File { _file: file, path }
            }
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1, hashtext($2))")
                    .bind(NAMESPACE)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                Held::Postgres {
                    conn,
                    id: id.to_string(),
                }
            }
        };
        Ok(Self { held: Some(held) })
    }

    /// Lets go of the lock; call it once the run's end is recorded.
    pub async fn release(mut self) {
        match self.held.take() {
            Some(Held::File { _file, path }) => {
                // Removed while still locked, so no reaper can see a free lock of a run that is
                // still "running" in the table (it finished before this).
                let _ = std::fs::remove_file(&path);
            }
            Some(Held::Postgres { mut conn, id }) => {
                let unlocked = sqlx::query("SELECT pg_advisory_unlock($1, hashtext($2))")
                    .bind(NAMESPACE)
                    .bind(&id)
                    .execute(&mut *conn)
                    .await;
                if unlocked.is_err() {
                    // Never hand a connection that may still hold the lock back to the pool.
                    drop(conn.detach());
                }
            }
            None => {}
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        match self.held.take() {
            Some(Held::File { _file, path }) => {
                let _ = std::fs::remove_file(&path);
            }
            Some(Held::Postgres { conn, .. }) => {
                // Dropped without release (the run's future was cancelled): closing the session
                // frees its advisory lock, and the connection never goes back to the pool holding it.
                drop(conn.detach());
            }
            None => {}
        }
    }
}

/// Whether the run `id` holds its lock (checked on `probe`, a connection no run holds).
async fn alive_pg(probe: &mut PoolConnection<sqlx::Postgres>, id: &str) -> Result<bool> {
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext($2))")
        .bind(NAMESPACE)
        .bind(id)
        .fetch_one(&mut **probe)
        .await?;
    if free {
        sqlx::query("SELECT pg_advisory_unlock($1, hashtext($2))")
            .bind(NAMESPACE)
            .bind(id)
            .execute(&mut **probe)
            .await?;
    }
    Ok(!free)
}

fn alive_file(dir: &Path, id: &str) -> bool {
    let path = lock_file(dir, id);
    let Ok(file) = std::fs::OpenOptions::new().write(true).open(&path) else {
        return false; // no lock file: the run never took one here, or it is gone
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = std::fs::remove_file(&path);
            false
        }
        Err(_) => true,
    }
}

/// Marks every "running" record whose process is gone as interrupted; returns how many.
pub async fn reap(db: &Db) -> Result<u64> {
    let running: Vec<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT id FROM backup_runs WHERE status = 'running'")
            .fetch_all(pool)
            .await?
    });
    if running.is_empty() {
        return Ok(0);
    }
    let mut dead = Vec::new();
    match db {
        Db::Sqlite(pool) => {
            let dir = lock_dir(pool);
            dead.extend(running.into_iter().filter(|id| !alive_file(&dir, id)));
        }
        Db::Postgres(pool) => {
            let mut probe = pool.acquire().await?;
            for id in running {
                if !alive_pg(&mut probe, &id).await? {
                    dead.push(id);
                }
            }
        }
    }
    mark_interrupted(db, &dead).await
}

/// Marks the given records interrupted when they are still "running".
pub async fn mark_interrupted(db: &Db, ids: &[String]) -> Result<u64> {
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut marked = 0;
    for id in ids {
        let sql = "UPDATE backup_runs SET status = 'interrupted', finished_at = $1, \
                   error = COALESCE(error, $2) WHERE id = $3 AND status = 'running'";
        marked += crate::on_pool!(db, pool => {
            sqlx::query(sql)
                .bind(&now)
                .bind(INTERRUPTED_REASON)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
    }
    if marked > 0 {
        tracing::warn!(
            runs = marked,
            "backup runs left 'running' by a process that died were marked interrupted"
        );
    }
    Ok(marked)
}

/// Marks every "running" record interrupted, alive or not: for a database just restored from a
/// file, whose "running" records belong to the process that took that file.
pub async fn interrupt_all(db: &Db) -> Result<u64> {
    let running: Vec<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT id FROM backup_runs WHERE status = 'running'")
            .fetch_all(pool)
            .await?
    });
    mark_interrupted(db, &running).await
}
