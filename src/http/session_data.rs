//! What Arriendo keeps in a session besides the user: the CSRF token, when the login happened and
//! when the session was last seen (for the timeouts), and the flash messages queued for the next page.

use arriendo_views::layout::{Flash, FlashKind};
use tower_sessions::Session;

use crate::auth::password;

pub(crate) const CSRF_KEY: &str = "arriendo.csrf";
pub(super) const LOGIN_AT_KEY: &str = "arriendo.login_at";
pub(super) const SEEN_AT_KEY: &str = "arriendo.seen_at";
const FLASH_KEY: &str = "arriendo.flash";
/// Set on the request when its session just expired, so the login page can say so.
#[derive(Clone, Copy, Debug)]
pub struct SessionExpired;

/// The session's CSRF token, created on first use.
pub async fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY).await {
        return token;
    }
    let token = password::random_token();
    if let Err(err) = session.insert(CSRF_KEY, &token).await {
        tracing::error!(error = %err, "cannot store the CSRF token");
    }
    token
}

/// Called right after a successful login: records when it happened and issues a fresh CSRF token.
pub async fn start_session(
    session: &Session,
    now: i64,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(LOGIN_AT_KEY, now).await?;
    session.insert(SEEN_AT_KEY, now).await?;
    session.insert(CSRF_KEY, password::random_token()).await?;
    Ok(())
}

/// Queues a message for the next page this session shows.
pub async fn push_flash(session: &Session, flash: Flash) {
    let mut queued: Vec<(String, String)> = session
        .get(FLASH_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    queued.push((flash.kind.class().to_string(), flash.text));
    if let Err(err) = session.insert(FLASH_KEY, queued).await {
        tracing::error!(error = %err, "cannot store a flash message");
    }
}

/// The queued messages, removed from the session. Only a session that holds some is changed:
/// `Session::remove` marks the session modified even when the key is absent, and a modified session
/// is written back to the store, so taking nothing must not remove anything (a page view that
/// changes nothing writes nothing; on PostgreSQL a write is a durable commit).
pub(crate) async fn take_flashes(session: &Session) -> Vec<Flash> {
    let present = matches!(session.get_value(FLASH_KEY).await, Ok(Some(_)));
    if !present {
        return Vec::new();
    }
    let queued: Vec<(String, String)> = session
        .remove(FLASH_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    queued
        .into_iter()
        .map(|(kind, text)| Flash {
            kind: match kind.as_str() {
                "error" => FlashKind::Error,
                "aviso" => FlashKind::Aviso,
                _ => FlashKind::Exito,
            },
            text,
        })
        .collect()
}
