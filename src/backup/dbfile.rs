//! The database file: an online snapshot on SQLite (`VACUUM INTO`, consistent while the server keeps
//! writing), a `pg_dump` custom-format archive on PostgreSQL. The password reaches pg_dump through a
//! private passfile, never through its command line or its environment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;

use super::error::{BackupError, Result};
use super::naming;
use super::pipeline::{self, FileWriter, PrivateFile, WrittenFile};
use super::settings::BackupSettings;
use crate::store::Db;

/// The extension of the database file of this engine.
pub fn extension(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => "sqlite3",
        Db::Postgres(_) => "pgdump",
    }
}

/// Estimated size of the database file, for the free-disk check.
pub async fn estimated_size(db: &Db) -> Result<u64> {
    let size: i64 = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT pg_database_size(current_database())")
                .fetch_one(pool)
                .await?
        }
    };
    Ok(size.max(0) as u64)
}

/// Estimated size of the JSON export (events with their envelope).
pub async fn estimated_json_size(db: &Db) -> Result<u64> {
    let sql = match db {
        Db::Sqlite(_) => {
            "SELECT CAST(COALESCE(SUM(LENGTH(payload) + LENGTH(metadata) + 300), 0) AS BIGINT) FROM events"
        }
        Db::Postgres(_) => {
            "SELECT CAST(COALESCE(SUM(LENGTH(payload::text) + LENGTH(metadata::text) + 300), 0) AS BIGINT) FROM events"
        }
    };
    let size: i64 = crate::on_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
    Ok(size.max(0) as u64)
}

/// The events a database file holds: how many, and the last position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotHead {
    pub count: i64,
    pub last_position: i64,
}

/// Writes the set's database file at `final_path`: the snapshot, then with a `recipient` its
/// encrypted copy. The snapshot is plaintext until encrypted: a private file (0600), removed on
/// every exit path, errors and cancellation included (see [`PrivateFile`]). Returns the file and
/// the events it holds (read from the snapshot itself, so the set's JSON can stop at the same one).
pub async fn write_set_file(
    db: &Db,
    settings: &BackupSettings,
    final_path: &Path,
    recipients: &[String],
) -> Result<(WrittenFile, SnapshotHead)> {
    let file_name = final_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let dir = final_path.parent().unwrap_or(Path::new("."));
    let raw = PrivateFile::create(&dir.join(naming::partial_name(&format!("{file_name}.raw"))))?;
    let head = snapshot(db, settings, raw.path()).await?;
    let final_path = final_path.to_path_buf();
    if !recipients.is_empty() {
        let partial = dir.join(naming::partial_name(&file_name));
        let raw_path = raw.path().to_path_buf();
        let recipients = recipients.to_vec();
        let written = tokio::task::spawn_blocking(move || -> Result<WrittenFile> {
            let mut writer = FileWriter::create(&partial, &final_path, false, &recipients)?;
            let mut input = std::fs::File::open(&raw_path)
                .map_err(|e| BackupError::io("cannot reopen the database snapshot", e))?;
            std::io::copy(&mut input, &mut writer)
                .map_err(|e| BackupError::io("cannot encrypt the database file", e))?;
            writer.commit()
        })
        .await
        .map_err(|e| BackupError::Failed(e.to_string()));
        drop(raw);
        Ok((written??, head))
    } else {
        let raw_path = raw.path().to_path_buf();
        let (size, sha256) = tokio::task::spawn_blocking(move || pipeline::hash_file(&raw_path))
            .await
            .map_err(|e| BackupError::Failed(e.to_string()))??;
        raw.persist(&final_path)?;
        Ok((
            WrittenFile {
                path: final_path,
                size,
                sha256,
            },
            head,
        ))
    }
}

/// Writes the raw database snapshot into `dest` (absent, or empty: VACUUM INTO accepts no other)
/// and returns the events it holds. On SQLite the snapshot file is opened and counted (and its
/// integrity checked); on PostgreSQL the count is read in a repeatable-read transaction whose
/// snapshot `pg_dump` shares (`--snapshot`), so the archive holds exactly those events however many
/// commands commit meanwhile.
pub async fn snapshot(db: &Db, settings: &BackupSettings, dest: &Path) -> Result<SnapshotHead> {
    match db {
        Db::Sqlite(pool) => {
            let target = dest.to_str().ok_or_else(|| {
                BackupError::Config(format!("path is not UTF-8: {}", dest.display()))
            })?;
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(pool)
                .await?;
            let (count, last_position) = super::sqlite_file::check_sqlite_file(dest).await?;
            Ok(SnapshotHead {
                count,
                last_position,
            })
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
            let exported: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
                .fetch_one(&mut *tx)
                .await?;
            let (count, last_position): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM events",
            )
            .fetch_one(&mut *tx)
            .await?;
            // The exported snapshot lives as long as this transaction: it ends after pg_dump.
            let dumped = pg_dump(pool, settings, dest, &exported).await;
            let _ = tx.rollback().await;
            dumped?;
            Ok(SnapshotHead {
                count,
                last_position,
            })
        }
    }
}

/// The major version a `pg_dump --version` line reports.
pub fn tool_major(version_line: &str) -> Option<u32> {
    version_line.split_whitespace().find_map(|word| {
        word.split('.')
            .next()?
            .parse::<u32>()
            .ok()
            .filter(|_| word.contains('.') || word.chars().all(|c| c.is_ascii_digit()))
    })
}

async fn check_tool(tool: &Path, pool: &sqlx::PgPool) -> Result<()> {
    let output = tokio::process::Command::new(tool)
        .arg("--version")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .await
        .map_err(|e| {
            BackupError::PgTool(format!(
                "{} was not found or cannot run ({e}); install the PostgreSQL client of the server's version (e.g. apt-get install postgresql-client) or set BACKUP_PG_DUMP",
                tool.display()
            ))
        })?;
    let line = String::from_utf8_lossy(&output.stdout).to_string();
    let tool_version = tool_major(&line).ok_or_else(|| {
        BackupError::PgTool(format!(
            "cannot read the version of {}: {line:?}",
            tool.display()
        ))
    })?;
    let server: String = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(pool)
        .await?;
    let server_major = server.trim().parse::<u32>().map(|n| n / 10000).unwrap_or(0);
    if tool_version < server_major {
        return Err(BackupError::PgTool(format!(
            "{} is version {tool_version} but the server is PostgreSQL {server_major}: install the client of version {server_major} or newer",
            tool.display()
        )));
    }
    Ok(())
}

/// A private passfile (mode 0600, removed on drop) so the password never shows on a command line or
/// in an environment.
struct PassFile {
    dir: tempfile::TempDir,
}

impl PassFile {
    fn path(&self) -> PathBuf {
        self.dir.path().join("pgpass")
    }
}

fn connection_args(
    settings: &BackupSettings,
    pool: &sqlx::PgPool,
) -> Result<(Vec<String>, PassFile)> {
    let options = match &settings.database_url {
        Some(url) => PgConnectOptions::from_str(url.expose())
            .map_err(|e| BackupError::Config(format!("DATABASE_URL is not valid: {e}")))?,
        None => pool.connect_options().as_ref().clone(),
    };
    let password = settings
        .database_url
        .as_ref()
        .and_then(|u| url::Url::parse(u.expose()).ok())
        .and_then(|u| u.password().map(percent_decode));
    let host = options.get_host().to_string();
    let port = options.get_port();
    let user = options.get_username().to_string();
    let database = options.get_database().unwrap_or("postgres").to_string();
    let dir =
        tempfile::tempdir().map_err(|e| BackupError::io("cannot create a temporary folder", e))?;
    let passfile = PassFile { dir };
    {
        let path = passfile.path();
        let mut f = std::fs::File::create(&path)
            .map_err(|e| BackupError::io("cannot create passfile", e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
        if let Some(password) = password {
            let escape = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
            writeln!(f, "*:*:*:{}:{}", escape(&user), escape(&password))
                .map_err(|e| BackupError::io("cannot write passfile", e))?;
        }
    }
    let args = vec![
        "--host".into(),
        host,
        "--port".into(),
        port.to_string(),
        "--username".into(),
        user,
        "--no-password".into(),
        "--dbname".into(),
        database,
    ];
    Ok((args, passfile))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

async fn run_pg_tool(tool: &Path, mut args: Vec<String>, passfile: &PassFile) -> Result<()> {
    let output = tokio::process::Command::new(tool)
        .args(args.drain(..))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PGPASSFILE", passfile.path())
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| BackupError::PgTool(format!("cannot run {}: {e}", tool.display())))?;
    if !output.status.success() {
        return Err(BackupError::PgTool(format!(
            "{} failed ({}): {}",
            tool.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

async fn pg_dump(
    pool: &sqlx::PgPool,
    settings: &BackupSettings,
    dest: &Path,
    snapshot: &str,
) -> Result<()> {
    check_tool(&settings.pg_dump, pool).await?;
    let (mut args, passfile) = connection_args(settings, pool)?;
    args.extend([
        format!("--snapshot={snapshot}"),
        "--format=custom".into(),
        "--no-owner".into(),
        "--file".into(),
        dest.display().to_string(),
    ]);
    run_pg_tool(&settings.pg_dump, args, &passfile).await
}

/// Restores a pg_dump archive into the database, in one transaction (all or nothing).
pub async fn pg_restore(
    pool: &sqlx::PgPool,
    settings: &BackupSettings,
    archive: &Path,
) -> Result<()> {
    check_tool(&settings.pg_restore, pool).await?;
    let (mut args, passfile) = connection_args(settings, pool)?;
    args.extend([
        "--clean".into(),
        "--if-exists".into(),
        "--no-owner".into(),
        "--single-transaction".into(),
        "--exit-on-error".into(),
        archive.display().to_string(),
    ]);
    run_pg_tool(&settings.pg_restore, args, &passfile).await
}

/// Checks a pg_dump archive can be read (`pg_restore --list`).
pub async fn pg_list(settings: &BackupSettings, archive: &Path) -> Result<()> {
    let output = tokio::process::Command::new(&settings.pg_restore)
        .arg("--list")
        .arg(archive)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .await
        .map_err(|e| {
            BackupError::PgTool(format!("cannot run {}: {e}", settings.pg_restore.display()))
        })?;
    if !output.status.success() {
        return Err(BackupError::Corrupt(format!(
            "the pg_dump archive cannot be read: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_tool_versions() {
        assert_eq!(
            super::tool_major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(super::tool_major("pg_dump (PostgreSQL) 17.2"), Some(17));
        assert_eq!(super::percent_decode("a%40b"), "a@b");
    }
}
