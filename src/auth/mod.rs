//! Accounts, roles, passwords, sessions and lockouts. The HTTP side (login pages, guards, CSRF,
//! headers) is in `crate::http::auth` and `crate::http::security`.

pub mod backend;
pub mod cli;
pub mod lockout;
pub mod password;
pub mod settings;
pub mod throttle;
pub mod user;
pub mod users;

use arriendo_events::actor::Role;
use chrono::{DateTime, SecondsFormat, Utc};

pub use backend::{Backend, Credentials, DbSessionStore, SessionUser};
pub use settings::{AuthSettings, Clock};

use crate::app::App;
use crate::store::{Metadata, StoreError};

/// Errors of the accounts layer. `Invalid` and `Refused` carry a message for the user (Spanish).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Refused(#[from] user::UserError),
    #[error("the account changed concurrently; try again")]
    Conflict,
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for AuthError {
    fn from(err: sqlx::Error) -> Self {
        AuthError::Store(StoreError::Sql(err))
    }
}

/// Fixed-width RFC 3339 UTC (microseconds), so stored timestamps compare as text.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Administrador => "administrador",
        Role::Gestor => "gestor",
        Role::Auditor => "auditor",
    }
}

pub fn parse_role(name: &str) -> Option<Role> {
    match name.trim().to_lowercase().as_str() {
        "administrador" => Some(Role::Administrador),
        "gestor" => Some(Role::Gestor),
        "auditor" => Some(Role::Auditor),
        _ => None,
    }
}

/// On first start (no account at all), creates the administrador `admin` with a random password and
/// returns `(username, password)` so the caller prints it once. Returns `None` when accounts exist.
pub async fn ensure_initial_admin(app: &App) -> Result<Option<(String, String)>, AuthError> {
    if !users::list(&app.db).await?.is_empty() {
        return Ok(None);
    }
    let password = password::generate(20);
    let username = users::create_temporary(
        app,
        "admin",
        Role::Administrador,
        password.clone(),
        Metadata::system("first-start"),
    )
    .await?;
    tracing::warn!(%username, "no account existed: created the initial administrador");
    Ok(Some((username, password)))
}

/// Deletes expired sessions from the store every `period` (the server calls it once).
pub fn spawn_session_cleanup(
    app: &App,
    period: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = DbSessionStore::new(&app.db);
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(period);
        loop {
            ticker.tick().await;
            if let Err(err) = store.delete_expired().await {
                tracing::error!(error = %err, "deleting expired sessions failed");
            }
        }
    })
}
