//! Test harness: a fresh store per test on either engine.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use arriendo::App;
use arriendo::store::{self, Db};

pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh, migrated store that disappears with the value.
pub struct TestStore {
    pub app: App,
    pub dir: tempfile::TempDir,
    pub database_url: Option<String>,
    pg_admin_url: Option<String>,
    pg_name: Option<String>,
}

/// The server the test command started (or the one on 127.0.0.1:5432).
pub fn postgres_base_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn with_database(base: &str, name: &str) -> String {
    let mut url = url::Url::parse(base).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

impl TestStore {
    pub async fn new(engine: Engine) -> Self {
        let dir = tempfile::tempdir().unwrap();
        match engine {
            Engine::Sqlite => {
                let app = App::open(None, dir.path().to_path_buf()).await.unwrap();
                Self {
                    app,
                    dir,
                    database_url: None,
                    pg_admin_url: None,
                    pg_name: None,
                }
            }
            Engine::Postgres => {
                let admin = postgres_base_url();
                let name = format!("arriendo_test_{}", uuid::Uuid::new_v4().simple());
                let admin_db = store::connect(Some(&admin), dir.path()).await.unwrap();
                arriendo::on_pool!(&admin_db, pool => {
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(pool).await.unwrap();
                });
                admin_db.close().await;
                let url = with_database(&admin, &name);
                let app = App::open(Some(&url), dir.path().to_path_buf())
                    .await
                    .unwrap();
                Self {
                    app,
                    dir,
                    database_url: Some(url),
                    pg_admin_url: Some(admin),
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn db(&self) -> &Db {
        &self.app.db
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A second, independent App on the same store (another process, or the same one after a restart).
    pub async fn reopen(&self) -> App {
        App::open(self.database_url.as_deref(), self.data_dir())
            .await
            .unwrap()
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let (Some(admin), Some(name)) = (self.pg_admin_url.take(), self.pg_name.take()) else {
            return;
        };
        // Drop runs outside async context; a short-lived runtime on its own thread drops the database.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                if let Ok(admin_db) = store::connect(Some(&admin), std::path::Path::new(".")).await
                {
                    arriendo::on_pool!(&admin_db, pool => {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(pool)
                            .await;
                    });
                    admin_db.close().await;
                }
            });
        })
        .join();
    }
}

/// Declares an async test once per engine: `both_engines!(name, |engine| async { ... })` becomes
/// `name::sqlite` and `name::postgres`. With `ignore = "why"` both are `#[ignore]`d (tests that need a
/// peer only `scripts/test` starts; it runs ignored tests too).
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:path, ignore = $why:literal) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[ignore = $why]
            async fn sqlite() {
                $body($crate::common::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[ignore = $why]
            async fn postgres() {
                $body($crate::common::Engine::Postgres).await
            }
        }
    };
    ($name:ident, $body:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $body($crate::common::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                $body($crate::common::Engine::Postgres).await
            }
        }
    };
}

/// Every row of every read model as text, sorted: what "the same read models" means in tests.
pub async fn dump_read_models(db: &Db) -> Vec<String> {
    let mut rows = Vec::new();
    for table in arriendo::read_models::TABLES {
        let sql = format!("SELECT * FROM {table}");
        arriendo::on_pool!(db, pool => {
            use sqlx::{Column, Row};
            for row in sqlx::query(&sql).fetch_all(pool).await.unwrap() {
                let mut line = format!("{table}:");
                for (i, column) in row.columns().iter().enumerate() {
                    let value: Option<String> = row
                        .try_get::<Option<String>, _>(i)
                        .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| v.map(|v| v.to_string())))
                        .or_else(|_| row.try_get::<Option<bool>, _>(i).map(|v| v.map(|v| v.to_string())))
                        .unwrap_or_else(|_| Some("<binary>".into()));
                    line.push_str(&format!(" {}={:?}", column.name(), value));
                }
                rows.push(line);
            }
        });
    }
    rows.sort();
    rows
}

/// A mail as read from the SMTP sink, its body as written whatever encoding lettre chose:
/// quoted-printable soft breaks joined and escapes decoded.
pub fn unqp(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
