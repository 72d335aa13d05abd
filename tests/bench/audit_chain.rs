//! `cargo bench --bench audit_chain`: sealing and verifying the chain of 50 000 events on SQLite and,
//! when PostgreSQL answers at TEST_DATABASE_URL (or 127.0.0.1:5432), on PostgreSQL. Figures for
//! docs/performance.md. A bench, not an ignored test, so `scripts/test` (which runs ignored tests)
//! never spends CI time on it.
#![allow(clippy::unwrap_used, dead_code)]

#[path = "../backup_support/mod.rs"]
mod backup_support;
#[path = "../common/mod.rs"]
mod common;

use arriendo::audit;
use common::{Engine, TestStore};

async fn figures(engine: Engine) {
    let store = TestStore::new(engine).await;
    backup_support::seed_raw(store.db(), 50_000).await;
    let started = std::time::Instant::now();
    assert_eq!(audit::seal(store.db()).await.unwrap(), 50_000);
    let sealed = started.elapsed();
    let started = std::time::Instant::now();
    let report = audit::verify(store.db()).await.unwrap();
    assert!(report.is_intact());
    println!(
        "FIGURE chain on {:?}: sealing 50000 events {:.2} s, verifying them {:.2} s",
        store.db().engine(),
        sealed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    figures(Engine::Sqlite).await;
    let url = common::postgres_base_url();
    match arriendo::store::connect(Some(&url), std::path::Path::new(".")).await {
        Ok(db) => {
            db.close().await;
            figures(Engine::Postgres).await;
        }
        Err(err) => println!("PostgreSQL skipped: {err}"),
    }
}
