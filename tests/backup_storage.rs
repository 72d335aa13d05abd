//! What incremental sets save: 30 days of backups of a growing store, full every day against a full
//! set a week and incrementals in between (a measurement, ignored by default; the figures are in
//! docs/performance.md).
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use arriendo::backup::incremental::Mode;
use arriendo::backup::manifest;
use arriendo::backup::{BackupOptions, run_backup_with};
use backup_support::*;
use common::{Engine, TestStore};

/// `cargo test --test backup_storage -- --ignored --nocapture storage_over_30_days`: 30 days of
/// a store of 10.000 events growing by 100 a day, one set a day: all full, or a full set every 7
/// days and incrementals in between; the bytes of every JSON written, plain and gzip (the figures in
/// docs/performance.md, scaled to 100.000 + 1.000 a day: the sizes grow linearly with the events).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a measurement: 120 backups"]
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
        eprintln!(
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
