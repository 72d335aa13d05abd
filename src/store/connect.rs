//! Building our own pools: the libraries' convenience constructors panic on a bad URL.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{Db, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        })
    }
}

/// Connects to `database_url` when given (a `postgres://` URL selects PostgreSQL, a `sqlite:` URL a file),
/// else to the embedded SQLite file `arriendo.db` inside `data_dir`, creating it.
pub async fn connect(database_url: Option<&str>, data_dir: &Path) -> Result<Db, StoreError> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            connect_postgres(url).await
        }
        Some(url) if url.starts_with("sqlite:") => {
            let options = SqliteConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
                url: redact(url),
                reason: e.to_string(),
            })?;
            connect_sqlite(options, url).await
        }
        Some(url) => Err(StoreError::BadUrl {
            url: redact(url),
            reason: "expected a postgres:// or sqlite: URL".into(),
        }),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Unreachable {
                target: data_dir.display().to_string(),
                reason: e.to_string(),
            })?;
            let file = data_dir.join("arriendo.db");
            let options = SqliteConnectOptions::new().filename(&file);
            connect_sqlite(options, &file.display().to_string()).await
        }
    }
}

/// Page cache per connection, in KiB (a negative `cache_size` is KiB): 8 MiB, 64 MiB for the pool's 8
/// connections. SQLite's default of 2 MiB overflowed on the dashboard at 2,000 contracts; 64 MiB per
/// connection filled up to 512 MiB of the process's own memory at 1,000,000 events. Reads inside the
/// memory map below bypass this cache altogether.
const CACHE_KIB: i64 = 8 * 1024;
/// Bytes of the database file read through a memory map (shared with the OS page cache, not copied
/// into each connection's cache).
const MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// The embedded store's connection settings:
/// - WAL: readers never wait for the writer, nor the writer for readers.
/// - `synchronous = NORMAL`: with WAL, a commit is written to the WAL without an fsync; the WAL is
///   synced at each checkpoint. A crash of the process (panic, OOM kill, restart, `kill -9`) loses
///   nothing, since committed pages are in the OS. Only a power cut or kernel crash can lose the
///   transactions committed since the last checkpoint, and then the whole tail goes: the log stays a
///   prefix of itself (positions contiguous, the hash chain intact) and the projector's checkpoint,
///   in the same file, goes back with it, so the database is never inconsistent. Deployments that
///   must survive a power cut without losing the last second run PostgreSQL (durable commits); see
///   docs/performance.md.
/// - an 8 MiB page cache and a 256 MiB memory map (above), a 10 s busy timeout.
pub(crate) async fn connect_sqlite(
    options: SqliteConnectOptions,
    target: &str,
) -> Result<Db, StoreError> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", (-CACHE_KIB).to_string())
        .pragma("mmap_size", MMAP_BYTES.to_string());
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // A ping before every acquire is a round trip to the connection's worker thread, and an
        // embedded file has no network link to lose: a broken connection fails its statement instead.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Unreachable {
            target: target.to_string(),
            reason: e.to_string(),
        })?;
    Ok(Db::Sqlite(pool))
}

async fn connect_postgres(url: &str) -> Result<Db, StoreError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
        url: redact(url),
        reason: e.to_string(),
    })?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Unreachable {
            target: redact(url),
            reason: e.to_string(),
        })?;
    Ok(Db::Postgres(pool))
}

/// Applies the engine's migrations (idempotent).
pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    match db {
        Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
        Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
    }
    Ok(())
}

/// A URL fit for logs: the password is replaced.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<unparseable URL>".to_string(),
    }
}
