//! `cargo bench --profile dev --bench backup_figures`: what incremental sets save (30 days of backups
//! of a growing store, full every day against a full set a week and incrementals in between) and how
//! fast a restore writes events into PostgreSQL with COPY against 500-row INSERTs (when PostgreSQL
//! answers at TEST_DATABASE_URL or 127.0.0.1:5432). Figures for docs/performance.md. A bench, not an
//! ignored test, so `scripts/test` (which runs ignored tests) never spends CI time on it.
#![allow(clippy::unwrap_used, dead_code)]

#[path = "../backup_support/mod.rs"]
mod backup_support;
#[path = "../common/mod.rs"]
mod common;

use std::time::Instant;

use arriendo::backup::incremental::Mode;
use arriendo::backup::{BackupOptions, batch, manifest, run_backup_with};
use arriendo::store::event_log::{self, StoredEvent};
use backup_support::*;
use common::{Engine, TestStore};

async fn storage_over_30_days() {
    const START: i64 = 10_000;
    const DAILY: i64 = 100;
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), START).await;
    let folders: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut last = START;
    for day in 0..30 {
        if day > 0 {
            append_raw(store.db(), last + 1, last + DAILY).await;
            last += DAILY;
        }
        for (i, folder) in folders.iter().enumerate() {
            let weekly = i % 2 == 1;
            let mut s = settings(folder.path());
            s.compress = i >= 2;
            let mode = if weekly && day % 7 != 0 {
                Mode::Incremental
            } else {
                Mode::Full
            };
            run_backup_with(
                &store.app,
                &s,
                BackupOptions {
                    format: arriendo::backup::Format::Json,
                    output_dir: Some(folder.path().to_path_buf()),
                    remote: Some(false),
                    skip_retention: true,
                    quiet: true,
                    mode,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
    }
    for (i, folder) in folders.iter().enumerate() {
        let sets = manifest::list_local(folder.path()).unwrap();
        let bytes: u64 = sets.iter().map(|m| m.total_size()).sum();
        let incrementals = sets.iter().filter(|m| m.incremental.is_some()).count();
        println!(
            "FIGURE storage {} {}: {} sets ({incrementals} incremental), {bytes} bytes",
            if i % 2 == 1 {
                "weekly full + incrementals"
            } else {
                "daily full"
            },
            if i >= 2 { "gzip" } else { "plain" },
            sets.len()
        );
    }
}

/// The events of a restore written by COPY and by 500-row INSERTs on PostgreSQL, 100.000 of them,
/// in a transaction each on a fresh store.
async fn copy_against_insert() {
    const N: i64 = 100_000;
    let mut sequences = [0i64; 7];
    let events: Vec<StoredEvent> = (1..=N)
        .map(|i| {
            sequences[(i % 7) as usize] += 1;
            raw_event(i, sequences[(i % 7) as usize])
        })
        .collect();
    for copy in [false, true] {
        let store = TestStore::new(Engine::Postgres).await;
        let started = Instant::now();
        let mut tx = store.db().begin().await.unwrap();
        for chunk in events.chunks(1000) {
            if copy {
                batch::insert(&mut tx, chunk).await.unwrap();
            } else {
                batch::insert_values(&mut tx, chunk).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(event_log::head(store.db()).await.unwrap().0, N);
        println!(
            "FIGURE {}: {N} events in {secs:.2} s = {:.0} events/s",
            if copy {
                "COPY (csv)"
            } else {
                "INSERT (500 rows)"
            },
            N as f64 / secs
        );
    }
}

#[tokio::main]
async fn main() {
    storage_over_30_days().await;
    let url = common::postgres_base_url();
    match arriendo::store::connect(Some(&url), std::path::Path::new(".")).await {
        Ok(db) => {
            db.close().await;
            copy_against_insert().await;
        }
        Err(err) => println!("PostgreSQL skipped: {err}"),
    }
}
