//! Account operations: the `usuario` aggregate's commands, plus the checks that span accounts
//! (the last administrador), and queries on `rm_users`.

use arriendo_events::actor::{Actor, Role};
use sqlx::Row;

use super::user::{UserCommand, UserCommandWithId, Usuario};
use super::{AuthError, parse_role, password};
use crate::app::App;
use crate::store::{CommandError, Db, Framework, Metadata};

/// One account as the read model holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub password_hash: String,
    pub session_epoch: i64,
    pub created_at: String,
    pub updated_at: String,
    pub password_changed_at: String,
    /// The password was set by someone else: the user must change it before anything else.
    pub must_change_password: bool,
}

const SELECT: &str = "SELECT username, role, active, password_hash, session_epoch, created_at, \
     updated_at, password_changed_at, must_change_password FROM rm_users";

fn from_row<'r, R>(row: &'r R) -> Result<UserRow, AuthError>
where
    R: Row,
    &'r str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let role: String = row.try_get("role")?;
    Ok(UserRow {
        username: row.try_get("username")?,
        role: parse_role(&role)
            .ok_or_else(|| AuthError::Internal(format!("unknown role {role:?} in rm_users")))?,
        active: row.try_get::<i64, _>("active")? != 0,
        password_hash: row.try_get("password_hash")?,
        session_epoch: row.try_get("session_epoch")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        password_changed_at: row.try_get("password_changed_at")?,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
    })
}

pub async fn find(db: &Db, username: &str) -> Result<Option<UserRow>, AuthError> {
    let sql = format!("{SELECT} WHERE username = $1");
    crate::on_pool!(db, pool => {
        match sqlx::query(&sql).bind(username).fetch_optional(pool).await? {
            Some(row) => Ok(Some(from_row(&row)?)),
            None => Ok(None),
        }
    })
}

pub async fn list(db: &Db) -> Result<Vec<UserRow>, AuthError> {
    let sql = format!("{SELECT} ORDER BY username");
    crate::on_pool!(db, pool => {
        sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// Lower-cases and checks a username: 3 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn normalize_username(raw: &str) -> Result<String, AuthError> {
    let name = raw.trim().to_lowercase();
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !(3..=64).contains(&name.len()) || !valid_chars || !starts_well {
        return Err(AuthError::Invalid(
            "el nombre de usuario debe tener de 3 a 64 caracteres: letras minúsculas, dígitos, punto, \
             guion o guion bajo"
                .into(),
        ));
    }
    Ok(name)
}

async fn execute(
    app: &App,
    username: &str,
    command: UserCommand,
    metadata: Metadata,
) -> Result<(), AuthError> {
    let framework: Framework<Usuario> = Framework::new(&app.db, (), Vec::new);
    let command = UserCommandWithId {
        username: username.to_string(),
        command,
    };
    match framework.execute(username, command, metadata).await {
        Ok(()) => {}
        Err(CommandError::Refused(e)) => return Err(AuthError::Refused(e)),
        Err(CommandError::Conflict | CommandError::Taken(_)) => return Err(AuthError::Conflict),
        Err(CommandError::Store(e)) => return Err(AuthError::Internal(e)),
    }
    app.projector.catch_up().await?;
    Ok(())
}

/// An account whose password its user chose (the CLI, with the password typed by the operator).
pub async fn create(
    app: &App,
    username: &str,
    role: Role,
    new_password: String,
    metadata: Metadata,
) -> Result<String, AuthError> {
    create_with(app, username, role, new_password, false, metadata).await
}

/// An account with a password someone else chose (the first start, an administrador): its user must
/// change it at the first login.
pub async fn create_temporary(
    app: &App,
    username: &str,
    role: Role,
    new_password: String,
    metadata: Metadata,
) -> Result<String, AuthError> {
    create_with(app, username, role, new_password, true, metadata).await
}

async fn create_with(
    app: &App,
    username: &str,
    role: Role,
    new_password: String,
    temporary: bool,
    metadata: Metadata,
) -> Result<String, AuthError> {
    let username = normalize_username(username)?;
    let password_hash = password::hash(new_password).await?;
    execute(
        app,
        &username,
        UserCommand::Create {
            role,
            password_hash,
            temporary,
        },
        metadata,
    )
    .await?;
    Ok(username)
}

/// The user changes their own password, proving they know the current one.
pub async fn change_own_password(
    app: &App,
    username: &str,
    current: String,
    new_password: String,
    metadata: Metadata,
) -> Result<(), AuthError> {
    let user = find(&app.db, username)
        .await?
        .ok_or(AuthError::Refused(super::user::UserError::NotFound))?;
    if !password::verify(current, user.password_hash).await? {
        return Err(AuthError::Invalid(
            "la contraseña actual no es correcta".into(),
        ));
    }
    let password_hash = password::hash(new_password).await?;
    execute(
        app,
        username,
        UserCommand::ChangePassword { password_hash },
        metadata,
    )
    .await
}

/// The operator sets a new password from the CLI; the user's open sessions end.
pub async fn reset_password(
    app: &App,
    username: &str,
    new_password: String,
    metadata: Metadata,
) -> Result<(), AuthError> {
    reset_with(app, username, new_password, false, metadata).await
}

/// An administrador sets a temporary password from the users page: the user's open sessions end and
/// the user must choose a new one at the next login.
pub async fn reset_temporary_password(
    app: &App,
    username: &str,
    new_password: String,
    metadata: Metadata,
) -> Result<(), AuthError> {
    reset_with(app, username, new_password, true, metadata).await
}

async fn reset_with(
    app: &App,
    username: &str,
    new_password: String,
    temporary: bool,
    metadata: Metadata,
) -> Result<(), AuthError> {
    let password_hash = password::hash(new_password).await?;
    execute(
        app,
        username,
        UserCommand::ResetPassword {
            password_hash,
            temporary,
        },
        metadata,
    )
    .await
}

async fn other_active_admins(db: &Db, username: &str) -> Result<usize, AuthError> {
    Ok(list(db)
        .await?
        .iter()
        .filter(|u| u.active && u.role == Role::Administrador && u.username != username)
        .count())
}

/// Refuses changes an administrador makes to their own account from the users page, and changes that
/// would leave no active administrador.
async fn guard_admin_change(app: &App, by: &Actor, username: &str) -> Result<(), AuthError> {
    if by.username == username {
        return Err(AuthError::Invalid(
            "no puede cambiar el rol ni desactivar su propia cuenta".into(),
        ));
    }
    let target = find(&app.db, username)
        .await?
        .ok_or(AuthError::Refused(super::user::UserError::NotFound))?;
    if target.role == Role::Administrador
        && target.active
        && other_active_admins(&app.db, username).await? == 0
    {
        return Err(AuthError::Invalid(
            "debe quedar al menos un administrador activo".into(),
        ));
    }
    Ok(())
}

pub async fn change_role(
    app: &App,
    by: &Actor,
    username: &str,
    role: Role,
    metadata: Metadata,
) -> Result<(), AuthError> {
    if role != Role::Administrador {
        guard_admin_change(app, by, username).await?;
    } else if by.username == username {
        return Err(AuthError::Invalid(
            "no puede cambiar el rol ni desactivar su propia cuenta".into(),
        ));
    }
    execute(app, username, UserCommand::ChangeRole { role }, metadata).await
}

pub async fn deactivate(
    app: &App,
    by: &Actor,
    username: &str,
    metadata: Metadata,
) -> Result<(), AuthError> {
    guard_admin_change(app, by, username).await?;
    execute(app, username, UserCommand::Deactivate, metadata).await
}

pub async fn reactivate(app: &App, username: &str, metadata: Metadata) -> Result<(), AuthError> {
    execute(app, username, UserCommand::Reactivate, metadata).await
}

pub async fn end_sessions(app: &App, username: &str, metadata: Metadata) -> Result<(), AuthError> {
    execute(app, username, UserCommand::EndSessions, metadata).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            normalize_username(" Ana.Perez ").ok(),
            Some("ana.perez".into())
        );
        assert!(normalize_username("ab").is_err());
        assert!(normalize_username("-ana").is_err());
        assert!(normalize_username("ana perez").is_err());
        assert!(normalize_username("ana@x").is_err());
    }
}
