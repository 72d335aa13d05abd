//! Email digests of the alerts (issue 13 item 6): per alert kind a schedule (inmediata, diaria,
//! semanal, mensual at an hour of Bogotá), «solo críticas», a subject and recipients; the scheduler
//! of the backups sends them over the backups' SMTP server; every send is logged per recipient.
//!
//! Settings, recipients and history are rows, not events. They are operational data like the
//! backups' settings and runs: they say nothing about a contract, the dashboard and the contract
//! history never replay them, and the send history is written by the scheduler, not by a person.
//! The audit still holds: every change of a setting or a recipient is a row of `digest_changes`
//! with who and when (see [`settings::record_change`]), shown on the settings page. Like the
//! backups' records, they travel in the database-file backup, not in the JSON one (the event log).
//!
//! The kinds are [`AlertKind::ALL`](arriendo_projections::AlertKind::ALL): a new alert kind gets
//! its own digest settings (off until configured) without a change here.

pub mod compose;
pub mod due;
pub mod history;
pub mod mailer;
pub mod recipients;
pub mod run;
pub mod schedule;
pub mod settings;

use crate::store::StoreError;

/// Errors of the digests.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("email: {0}")]
    Email(String),
    #[error("scheduler: {0}")]
    Schedule(String),
}

impl From<sqlx::Error> for DigestError {
    fn from(e: sqlx::Error) -> Self {
        DigestError::Store(StoreError::Sql(e))
    }
}

pub type Result<T> = std::result::Result<T, DigestError>;
