//! The database: one enum over the two engines, so the rest of the app has one code path.
//!
//! SQL is written once with `$1`-style placeholders, which both sqlx-postgres and sqlx-sqlite accept;
//! the [`on_pool!`] and [`on_tx!`] macros expand the same body once per engine.

mod cache;
pub mod claims;
mod connect;
pub mod event_log;
mod framework;
pub mod writer;

pub use claims::ClaimScope;
pub use connect::{Engine, connect, migrate, redact};
pub use framework::{CommandError, Framework, Metadata};

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// A connection pool to the store, whichever engine it is.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction on either engine. A SQLite one opened by [`Db::begin`] holds this process's
/// turn to write to its file (see [`writer`]).
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<writer::WriteTurn>),
    Postgres(Transaction<'static, Postgres>),
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot reach the database at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("stored data is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Invalid(String),
    /// Another writer in this process held the embedded database longer than this.
    #[error("the embedded database stayed busy with another writer for {0:?}")]
    Busy(std::time::Duration),
}

/// Runs `$body` with `$pool` bound to the engine's concrete pool.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut *tx`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(tx, _) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::store::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// A transaction that writes: on SQLite it first waits for this process's turn to write.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let turn = writer::turn(self).await?;
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?, turn),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction that only reads (one consistent view): no turn to write is taken.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?, None),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Which database this is, to key what this process keeps per database: the SQLite file, or
    /// PostgreSQL's host, port and database name.
    pub fn identity(&self) -> String {
        match self {
            Db::Sqlite(pool) => {
                format!("sqlite:{}", pool.connect_options().get_filename().display())
            }
            Db::Postgres(pool) => {
                let options = pool.connect_options();
                format!(
                    "postgres://{}:{}/{}",
                    options.get_host(),
                    options.get_port(),
                    options.get_database().unwrap_or_default()
                )
            }
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx, _) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
