//! How a restore writes the events: COPY (CSV) on PostgreSQL, multi-row INSERTs on SQLite. Payloads
//! and metadata with quotes, backslashes, tabs, newlines, unicode and `\u0000` escapes come back
//! byte-identical on both engines (COPY against INSERT on 100.000 events: `cargo bench --profile dev
//! --bench backup_figures`).
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

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
