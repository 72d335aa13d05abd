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

pub(crate) async fn connect_sqlite(
    options: SqliteConnectOptions,
    target: &str,
) -> Result<Db, StoreError> {
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
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
