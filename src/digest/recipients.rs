//! Who receives each kind's digest: free addresses, optionally tied to a user of the application
//! (skipped while that user is deactivated), each active or not. Every change is logged.

use arriendo_projections::AlertKind;
use chrono::{DateTime, Utc};

use super::Result;
use super::settings::{FieldErrors, record_change, text};
use crate::store::Db;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub id: String,
    pub kind: AlertKind,
    pub email: String,
    pub name: String,
    pub username: Option<String>,
    pub active: bool,
    /// The tied user exists and is active (always true without one).
    pub user_active: bool,
}

impl Recipient {
    /// Whether a digest goes to this address.
    pub fn receives(&self) -> bool {
        self.active && self.user_active
    }
}

/// What the form sends.
#[derive(Clone, Debug, Default)]
pub struct RecipientInput {
    pub kind: String,
    pub email: String,
    pub name: String,
    pub username: String,
}

/// The longest address accepted (RFC 5321).
const MAX_EMAIL: usize = 254;

/// Whether lettre (so the SMTP server) will accept the address.
pub fn valid_email(email: &str) -> bool {
    email.len() <= MAX_EMAIL && email.parse::<lettre::Address>().is_ok()
}

/// A checked recipient to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecipient {
    pub kind: AlertKind,
    pub email: String,
    pub name: String,
    pub username: Option<String>,
}

/// Validates the form (the user, when named, is checked against the store by [`add`]).
pub fn parse(input: &RecipientInput) -> std::result::Result<NewRecipient, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = AlertKind::from_slug(input.kind.trim());
    if kind.is_none() {
        errors.push(("tipo", "El tipo de alerta no existe.".to_string()));
    }
    let email = input.email.trim().to_lowercase();
    if !valid_email(&email) {
        errors.push((
            "correo",
            "Escriba un correo electrónico válido, por ejemplo juridica@empresa.com.".to_string(),
        ));
    }
    let name = input.name.trim();
    if name.chars().count() > 120 {
        errors.push((
            "nombre",
            "El nombre admite como máximo 120 caracteres.".to_string(),
        ));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(NewRecipient {
            kind,
            email,
            name: name.to_string(),
            username: Some(input.username.trim().to_string()).filter(|u| !u.is_empty()),
        }),
        _ => Err(errors),
    }
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
);

/// The recipients of one kind, or of every kind.
pub async fn list(db: &Db, kind: Option<AlertKind>) -> Result<Vec<Recipient>> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT r.id, r.kind, r.email, r.name, r.username, r.active, u.active \
             FROM digest_recipients r LEFT JOIN rm_users u ON u.username = r.username \
             WHERE CAST($1 AS text) = '' OR r.kind = $1 ORDER BY r.kind, r.email",
        )
        .bind(kind.map_or("", AlertKind::slug))
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, email, name, username, active, user_active)| {
            Some(Recipient {
                id,
                kind: AlertKind::from_slug(&kind)?,
                email,
                name,
                user_active: username.is_none() || user_active.is_some_and(|a| a != 0),
                username,
                active: active != 0,
            })
        })
        .collect())
}

/// The active users' names, to tie a recipient to.
pub async fn usernames(db: &Db) -> Result<Vec<String>> {
    Ok(crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT username FROM rm_users WHERE active = 1 ORDER BY username")
            .fetch_all(pool)
            .await?
    }))
}

/// Why a recipient was not added.
#[derive(Debug)]
pub enum AddError {
    Invalid(FieldErrors),
    Failed(super::DigestError),
}

impl From<sqlx::Error> for AddError {
    fn from(e: sqlx::Error) -> Self {
        AddError::Failed(e.into())
    }
}

impl From<super::DigestError> for AddError {
    fn from(e: super::DigestError) -> Self {
        AddError::Failed(e)
    }
}

/// Adds an active recipient; refused when the address is already there for the kind or the user
/// does not exist.
pub async fn add(
    db: &Db,
    new: &NewRecipient,
    actor: &str,
    at: DateTime<Utc>,
) -> std::result::Result<(), AddError> {
    if let Some(user) = &new.username {
        let exists: Option<String> = crate::on_pool!(db, pool => {
            sqlx::query_scalar("SELECT username FROM rm_users WHERE username = $1")
                .bind(user)
                .fetch_optional(pool)
                .await?
        });
        if exists.is_none() {
            return Err(AddError::Invalid(vec![(
                "usuario",
                format!("No existe el usuario «{user}»."),
            )]));
        }
    }
    let inserted = crate::on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO digest_recipients (id, kind, email, name, username, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (kind, email) DO NOTHING",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(new.kind.slug())
        .bind(&new.email)
        .bind(&new.name)
        .bind(new.username.as_deref())
        .bind(text(at))
        .execute(pool)
        .await?
        .rows_affected()
    });
    if inserted == 0 {
        return Err(AddError::Invalid(vec![(
            "correo",
            format!("{} ya recibe estas alertas.", new.email),
        )]));
    }
    record_change(
        db,
        new.kind,
        actor,
        at,
        &format!("destinatario {} agregado", new.email),
    )
    .await?;
    Ok(())
}

/// What can be done to a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Activate,
    Deactivate,
    Remove,
}

impl Action {
    pub fn from_slug(slug: &str) -> Option<Action> {
        match slug {
            "activar" => Some(Action::Activate),
            "desactivar" => Some(Action::Deactivate),
            "quitar" => Some(Action::Remove),
            _ => None,
        }
    }
}

/// Applies `action`; `None` when there is no such recipient.
pub async fn apply(
    db: &Db,
    id: &str,
    action: Action,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Option<AlertKind>> {
    let found: Option<(String, String)> = crate::on_pool!(db, pool => {
        sqlx::query_as("SELECT kind, email FROM digest_recipients WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    let Some((kind, email)) = found else {
        return Ok(None);
    };
    let Some(kind) = AlertKind::from_slug(&kind) else {
        return Ok(None);
    };
    let (sql, what) = match action {
        Action::Activate => (
            "UPDATE digest_recipients SET active = 1 WHERE id = $1",
            "activado",
        ),
        Action::Deactivate => (
            "UPDATE digest_recipients SET active = 0 WHERE id = $1",
            "desactivado",
        ),
        Action::Remove => ("DELETE FROM digest_recipients WHERE id = $1", "quitado"),
    };
    crate::on_pool!(db, pool => {
        sqlx::query(sql).bind(id).execute(pool).await?;
    });
    record_change(db, kind, actor, at, &format!("destinatario {email} {what}")).await?;
    Ok(Some(kind))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(valid_email("juridica@plazaficticia.example"));
        assert!(!valid_email("juridica"));
        assert!(!valid_email("a@b@c"));
        assert!(!valid_email(""));
        let bad = parse(&RecipientInput {
            kind: "nada".into(),
            email: "x".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(bad.len(), 2);
        let ok = parse(&RecipientInput {
            kind: "preaviso".into(),
            email: " Juridica@Plaza.example ".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.email, "juridica@plaza.example");
        assert_eq!(ok.username, None);
    }
}
