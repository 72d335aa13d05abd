//! The one error type of the backup layer.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Wrong or missing configuration: the CLI exits with code 2.
    #[error("{0}")]
    Config(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("remote target {target}: {message}")]
    Remote { target: String, message: String },
    /// A remote operation ran past its deadline (see [`super::deadline`]).
    #[error(
        "remote target {target}: {operation} did not finish within {seconds} s (tiempo de espera agotado: el destino no respondió)"
    )]
    Timeout {
        target: String,
        operation: String,
        seconds: u64,
    },
    #[error("pg_dump/pg_restore: {0}")]
    PgTool(String),
    /// The file is damaged, truncated or does not match its manifest; nothing was changed.
    #[error("backup file rejected: {0}")]
    Corrupt(String),
    #[error(
        "the target store already holds {events} events; restore refuses to overwrite it without --force"
    )]
    NotEmpty { events: i64 },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("encryption: {0}")]
    Encryption(String),
    #[error("not enough free disk in {dir}: {needed} bytes needed, {available} available")]
    DiskFull {
        dir: String,
        needed: u64,
        available: u64,
    },
    #[error("email notification failed: {0}")]
    Email(String),
    #[error("scheduler: {0}")]
    Schedule(String),
    #[error("{0}")]
    Failed(String),
}

impl BackupError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        BackupError::Io {
            context: context.into(),
            source,
        }
    }

    /// Configuration errors are usage errors (exit code 2); everything else is a failure.
    pub fn is_usage(&self) -> bool {
        matches!(self, BackupError::Config(_))
    }
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Store(StoreError::Sql(e))
    }
}

pub type Result<T, E = BackupError> = std::result::Result<T, E>;
