//! `rm_users`: one row per account, from the `usuario` aggregate's events.

use crate::auth::user::{UserEvent, Usuario};
use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

pub async fn apply(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    use cqrs_es::Aggregate;
    if event.aggregate_type != Usuario::TYPE {
        return Ok(());
    }
    let parsed: UserEvent = serde_json::from_value(event.payload.clone())?;
    let at = crate::auth::timestamp(event.recorded_at);
    let username = &event.aggregate_id;
    let (sql, text): (&str, Option<String>) = match parsed {
        UserEvent::UserCreated {
            role,
            password_hash,
            temporary,
            ..
        } => {
            crate::on_tx!(tx, conn => {
                sqlx::query(
                    "INSERT INTO rm_users (username, role, active, password_hash, session_epoch, \
                     created_at, updated_at, password_changed_at, must_change_password) \
                     VALUES ($1, $2, 1, $3, 0, $4, $4, $4, $5)",
                )
                .bind(username)
                .bind(crate::auth::role_name(role))
                .bind(&password_hash)
                .bind(&at)
                .bind(i64::from(temporary))
                .execute(&mut *conn)
                .await?
                .rows_affected()
            });
            return Ok(());
        }
        UserEvent::RoleChanged { role } => (
            "UPDATE rm_users SET role = $3, updated_at = $2 WHERE username = $1",
            Some(crate::auth::role_name(role).to_string()),
        ),
        UserEvent::UserDeactivated => (
            "UPDATE rm_users SET active = 0, updated_at = $2 WHERE username = $1",
            None,
        ),
        UserEvent::UserReactivated => (
            "UPDATE rm_users SET active = 1, updated_at = $2 WHERE username = $1",
            None,
        ),
        UserEvent::PasswordChanged { password_hash } => (
            "UPDATE rm_users SET password_hash = $3, updated_at = $2, password_changed_at = $2, \
             must_change_password = 0 WHERE username = $1",
            Some(password_hash),
        ),
        UserEvent::PasswordReset {
            password_hash,
            temporary,
        } => (
            if temporary {
                "UPDATE rm_users SET password_hash = $3, updated_at = $2, password_changed_at = $2, \
                 must_change_password = 1 WHERE username = $1"
            } else {
                "UPDATE rm_users SET password_hash = $3, updated_at = $2, password_changed_at = $2, \
                 must_change_password = 0 WHERE username = $1"
            },
            Some(password_hash),
        ),
        UserEvent::SessionsEnded => (
            "UPDATE rm_users SET session_epoch = session_epoch + 1, updated_at = $2 WHERE username = $1",
            None,
        ),
    };
    crate::on_tx!(tx, conn => {
        let query = sqlx::query(sql).bind(username).bind(&at);
        let query = match &text {
            Some(value) => query.bind(value),
            None => query,
        };
        query.execute(&mut *conn).await?.rows_affected()
    });
    Ok(())
}
