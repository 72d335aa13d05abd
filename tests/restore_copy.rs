//! How a restore writes the events: COPY (CSV) on PostgreSQL, multi-row INSERTs on SQLite. Payloads
//! and metadata with quotes, backslashes, tabs, newlines, unicode and `\u0000` escapes come back
//! byte-identical on both engines; and, ignored by default, COPY against INSERT on 100.000 events.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::time::Instant;

use arriendo::backup::batch;
use arriendo::store::Db;
use arriendo::store::event_log::{self, StoredEvent};
use backup_support::*;
use common::{Engine, TestStore};

/// What tries a text format: a quote, a doubled quote, a backslash before a quote and alone, `\N`
/// (PostgreSQL's NULL in text COPY), a tab, a newline, a carriage return, a comma, a NUL (written
/// as the JSON escape `\u0000`), astral unicode and right-to-left text.
const TRICKY: &str =
    "a \"quote\" \"\" \\\" \\ \\N \t tab\nnewline\r\n, comma \u{0} nul ñandú 🏠 עברית ''";

fn tricky_event(i: i64, sequence: i64) -> StoredEvent {
    let mut event = raw_event(i, sequence);
    event.metadata["nota"] = serde_json::json!(TRICKY);
    event.metadata["lista"] = serde_json::json!([TRICKY, {"\"k\\": "\t"}, null, 1.5e300]);
    event.event_version = "1.0".into();
    event
}

async fn seed_tricky(db: &Db, n: i64) {
    let mut tx = db.begin().await.unwrap();
    let mut sequences = [0i64; 7];
    for i in 1..=n {
        sequences[(i % 7) as usize] += 1;
        event_log::append_raw(&mut tx, &tricky_event(i, sequences[(i % 7) as usize]))
            .await
            .unwrap();
    }
    event_log::resync_position_sequence(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Payload and metadata as the database holds them (text).
async fn stored_texts(db: &Db) -> Vec<(i64, String, String)> {
    match db {
        Db::Sqlite(pool) => {
            sqlx::query_as("SELECT position, payload, metadata FROM events ORDER BY position")
                .fetch_all(pool)
                .await
                .unwrap()
        }
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT position, payload::text, metadata::text FROM events ORDER BY position",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}

async fn tricky_payloads_round_trip(engine: Engine) {
    let source = TestStore::new(engine).await;
    seed_tricky(source.db(), 40).await;
    let folder = tempfile::tempdir().unwrap();
    let settings = settings(folder.path());
    let report = json_backup(&source.app, &settings).await;
    for target_engine in [Engine::Postgres, Engine::Sqlite] {
        let target = TestStore::new(target_engine).await;
        restore_set(&target.app, &settings, &report.manifest.name).await;
        assert_eq!(all_events(target.db()).await, all_events(source.db()).await);
        let restored = stored_texts(target.db()).await;
        assert_eq!(restored.len(), 40);
        let nota = serde_json::to_string(TRICKY).unwrap();
        assert!(
            restored.iter().all(|(_, _, m)| m.contains(&nota)),
            "{restored:?}"
        );
        if matches!(
            (source.db(), target.db()),
            (Db::Postgres(_), Db::Postgres(_)) | (Db::Sqlite(_), Db::Sqlite(_))
        ) {
            assert_eq!(restored, stored_texts(source.db()).await, "byte-identical");
        }
    }
}
both_engines!(
    tricky_payloads_round_trip,
    super::tricky_payloads_round_trip
);

/// `cargo test --test restore_copy -- --ignored --nocapture copy_against_insert` (PostgreSQL): the
/// events of a restore written by COPY and by 500-row INSERTs, 100.000 of them, in a transaction
/// each on a fresh store.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a measurement: 100.000 events written twice"]
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
        eprintln!(
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
