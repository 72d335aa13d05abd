//! axum-login's backend over `rm_users`, and the session store on either engine.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arriendo_events::actor::{Actor, Role};
use async_trait::async_trait;
use axum_login::{AuthUser, AuthnBackend, UserId};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use super::{AuthError, password, users};
use crate::store::Db;

/// A logged-in account as the session layer sees it.
#[derive(Clone)]
pub struct SessionUser {
    pub username: String,
    pub role: Role,
    /// The password was set by someone else: every page leads to `/cuenta/contrasena` until changed.
    pub must_change_password: bool,
    /// SHA-256 of (password hash, session epoch): a password change, a reset or "end sessions"
    /// changes it, and axum-login then drops every session made with the old value.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl SessionUser {
    fn from_row(row: &users::UserRow) -> Self {
        let mut digest = Sha256::new();
        digest.update(row.password_hash.as_bytes());
        digest.update(b"|");
        digest.update(row.session_epoch.to_be_bytes());
        Self {
            username: row.username.clone(),
            role: row.role,
            must_change_password: row.must_change_password,
            auth_hash: digest.finalize().to_vec(),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::new(self.username.clone(), self.role)
    }
}

impl AuthUser for SessionUser {
    type Id = String;

    fn id(&self) -> String {
        self.username.clone()
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// Username and password as typed on the login form.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Backend {
    db: Db,
    /// The hash checked when the username is unknown, so that answer takes as long as a wrong password.
    dummy_hash: Arc<OnceCell<String>>,
    /// argon2 verifications run: lets a test check the "exactly one per attempt" rule itself rather
    /// than by timing answers.
    verifications: Arc<AtomicU64>,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            dummy_hash: Arc::new(OnceCell::new()),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many password verifications this backend has run.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    async fn dummy_hash(&self) -> Result<String, AuthError> {
        self.dummy_hash
            .get_or_try_init(|| password::hash_unchecked(password::generate(24)))
            .await
            .cloned()
    }
}

impl Backend {
    /// The account as a session user, if it exists and is active.
    pub async fn get_user_by_name(&self, username: &str) -> Result<Option<SessionUser>, AuthError> {
        Ok(users::find(&self.db, username)
            .await?
            .filter(|user| user.active)
            .map(|user| SessionUser::from_row(&user)))
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AuthError;

    /// Always runs exactly one argon2 verification, whether the user exists, is inactive or not.
    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, AuthError> {
        let user = match users::normalize_username(&creds.username) {
            Ok(name) => users::find(&self.db, &name).await?,
            Err(_) => None,
        };
        let phc = match &user {
            Some(user) => user.password_hash.clone(),
            None => self.dummy_hash().await?,
        };
        let verified = password::verify(creds.password, phc).await?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        Ok(match user {
            Some(user) if verified && user.active => Some(SessionUser::from_row(&user)),
            _ => None,
        })
    }

    async fn get_user(&self, username: &UserId<Self>) -> Result<Option<SessionUser>, AuthError> {
        self.get_user_by_name(username).await
    }
}

/// tower-sessions' sqlx store on whichever engine the app uses; both keep the `tower_sessions` table
/// created by our migration. On SQLite a session write waits for this process's turn to write
/// (`store::writer`) like every other write.
#[derive(Clone, Debug)]
pub enum DbSessionStore {
    Sqlite(SqliteStore, Db),
    Postgres(PostgresStore),
}

/// This process's turn to write a session to `db`.
async fn session_turn(db: &Db) -> session_store::Result<Option<crate::store::writer::WriteTurn>> {
    crate::store::writer::turn(db)
        .await
        .map_err(|e| session_store::Error::Backend(e.to_string()))
}

impl DbSessionStore {
    pub fn new(db: &Db) -> Self {
        match db {
            Db::Sqlite(pool) => DbSessionStore::Sqlite(SqliteStore::new(pool.clone()), db.clone()),
            Db::Postgres(pool) => {
                let store = PostgresStore::new(pool.clone());
                // Constant, valid identifiers: the fallback never happens.
                match store
                    .clone()
                    .with_schema_name("public")
                    .and_then(|s| s.with_table_name("tower_sessions"))
                {
                    Ok(store) => DbSessionStore::Postgres(store),
                    Err(err) => {
                        tracing::error!(error = %err, "session table name refused");
                        DbSessionStore::Postgres(store)
                    }
                }
            }
        }
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s, db) => {
                let _turn = session_turn(db).await?;
                s.create(record).await
            }
            DbSessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s, db) => {
                let _turn = session_turn(db).await?;
                s.save(record).await
            }
            DbSessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbSessionStore::Sqlite(s, _) => s.load(id).await,
            DbSessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s, db) => {
                let _turn = session_turn(db).await?;
                s.delete(id).await
            }
            DbSessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s, db) => {
                let _turn = session_turn(db).await?;
                s.delete_expired().await
            }
            DbSessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Metadata;

    /// Known user with a wrong password, unknown user, malformed name, inactive user: each attempt
    /// runs exactly one argon2 verification, so none answers faster than the others.
    #[tokio::test]
    async fn every_attempt_runs_exactly_one_verification() {
        let dir = tempfile::tempdir().unwrap();
        let app = crate::App::open(None, dir.path().to_path_buf())
            .await
            .unwrap();
        let password = "clave-de-prueba-larga".to_string();
        for name in ["ana", "leo"] {
            users::create(
                &app,
                name,
                Role::Gestor,
                password.clone(),
                Metadata::system("test"),
            )
            .await
            .unwrap();
        }
        let admin = Actor::new("root".to_string(), Role::Administrador);
        users::deactivate(&app, &admin, "leo", Metadata::system("test"))
            .await
            .unwrap();
        let backend = Backend::new(app.db.clone());
        let attempt = |username: &str, password: &str| Credentials {
            username: username.to_string(),
            password: password.to_string(),
        };
        let cases = [
            (attempt("ana", "equivocada-equivocada"), false),
            (attempt("zoe", "equivocada-equivocada"), false),
            (attempt("nombre con espacios y ;", "x"), false),
            (attempt("leo", &password), false),
            (attempt("ana", &password), true),
        ];
        for (i, (credentials, accepted)) in cases.into_iter().enumerate() {
            let name = credentials.username.clone();
            let before = backend.verifications();
            let user = backend.authenticate(credentials).await.unwrap();
            assert_eq!(user.is_some(), accepted, "{name}");
            assert_eq!(backend.verifications(), before + 1, "attempt {i} ({name})");
        }
    }
}
