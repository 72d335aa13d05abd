//! SQLite database files of backup sets: checked read-only before use, their "running" run records
//! marked interrupted, and swapped in atomically for `restore --db-file`.

use std::path::{Path, PathBuf};

use super::error::{BackupError, Result};
use super::pipeline;

/// Opens a SQLite backup read-only: integrity check, then its event count and last position.
pub async fn check_sqlite_file(path: &Path) -> Result<(i64, i64)> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| BackupError::Corrupt(format!("not a SQLite database: {e}")))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| BackupError::Corrupt(format!("not a SQLite database: {e}")))?;
    if check != "ok" {
        return Err(BackupError::Corrupt(format!(
            "SQLite integrity check failed: {check}"
        )));
    }
    let (count, last): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM events")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| BackupError::Corrupt(format!("no event log in the file: {e}")))?;
    let _ = conn.close().await;
    Ok((count, last))
}

/// Marks the "running" records of a SQLite file interrupted before it becomes the database: the
/// file was taken while its own backup was running, and that run will never finish here.
pub(super) async fn interrupt_runs_in_file(path: &Path) -> Result<()> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .map_err(|e| BackupError::Corrupt(format!("not a SQLite database: {e}")))?;
    let marked = sqlx::query(
        "UPDATE backup_runs SET status = 'interrupted', finished_at = COALESCE(finished_at, started_at), \
         error = COALESCE(error, $1) WHERE status = 'running'",
    )
    .bind(super::liveness::INTERRUPTED_REASON)
    .execute(&mut conn)
    .await?
    .rows_affected();
    let _ = conn.close().await;
    if marked > 0 {
        tracing::info!(
            runs = marked,
            "running records of the restored file marked interrupted"
        );
    }
    Ok(())
}

/// Copies the new file beside the current one and renames it over it (atomic on one filesystem).
pub(super) fn swap_sqlite_file(new: &Path, current: &Path) -> Result<()> {
    let staging = current.with_extension("db.restore.partial");
    std::fs::copy(new, &staging)
        .map_err(|e| BackupError::io(format!("cannot copy to {}", staging.display()), e))?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::io("cannot sync the restored file", e))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", current.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(BackupError::io(
                    format!("cannot remove {}", side.display()),
                    e,
                ));
            }
        }
    }
    std::fs::rename(&staging, current)
        .map_err(|e| BackupError::io(format!("cannot replace {}", current.display()), e))?;
    pipeline::sync_dir(current);
    Ok(())
}
