//! One set, one moment (issue 14, fault 6): under concurrent writes the JSON and the database file
//! of one set held 100,312 and 100,315 events. Now the database file is taken first, the events it
//! holds are read from the snapshot itself, the JSON stops at the same position, and the manifest
//! states each file's count and position. Commands keep committing through the whole backup here.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use arriendo::backup::manifest::FileKind;
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::{BackupOptions, run_backup_with, verify};
use arriendo::store::event_log;
use backup_support::*;
use common::{Engine, TestStore};

async fn both_files_of_a_set_hold_the_same_events(engine: Engine) {
    let pg = matches!(engine, Engine::Postgres);
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 3000).await;
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicI64::new(0));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let db = store.db().clone();
            let stop = stop.clone();
            let written = written.clone();
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    write(&db, &format!("live{w}"), i).await;
                    written.fetch_add(1, Ordering::SeqCst);
                    i += 1;
                }
            })
        })
        .collect();
    // The writers are running before the backup starts…
    while written.load(Ordering::SeqCst) < 20 {
        tokio::task::yield_now().await;
    }
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&store.app, &settings, BackupOptions::default())
        .await
        .unwrap();
    // …and still after it ends: they wrote through all of it.
    let after_backup = written.load(Ordering::SeqCst);
    while written.load(Ordering::SeqCst) < after_backup + 4 {
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }

    let m = &report.manifest;
    let json = m.file(FileKind::Json).unwrap();
    let db = m.file(FileKind::Db).unwrap();
    assert_eq!(json.event_count, Some(m.event_count), "{m:?}");
    assert_eq!(json.last_position, Some(m.last_position), "{m:?}");
    assert_eq!(db.event_count, Some(m.event_count), "{m:?}");
    assert_eq!(db.last_position, Some(m.last_position), "{m:?}");
    let (live_count, live_head) = event_log::head(store.db()).await.unwrap();
    assert!(
        live_head > m.last_position && live_count > m.event_count,
        "commands committed after the set's moment ({live_count} events up to {live_head}; set {} up to {})",
        m.event_count,
        m.last_position
    );

    // The JSON as written holds exactly that.
    let (_, end, events) = arriendo::backup::json::read_all(
        &backups.path().join(&json.name),
        None,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        (end.count, end.last_position),
        (m.event_count, m.last_position)
    );
    assert_eq!(events.len() as i64, m.event_count);

    // The database file too: opened as is on SQLite, restored with pg_restore on PostgreSQL.
    let (db_count, db_head) = if pg {
        let target = TestStore::new(Engine::Postgres).await;
        let options = RestoreOptions {
            source: m.name.clone(),
            force: true,
            from_db_file: true,
            output_dir: Some(backups.path().into()),
            ..Default::default()
        };
        restore::restore(&target.app, &settings, &options)
            .await
            .unwrap();
        let reopened = target.reopen().await;
        let head = event_log::head(&reopened.db).await.unwrap();
        // Event for event, the restored database is the JSON.
        assert_eq!(all_events(&reopened.db).await, events);
        reopened.db.close().await;
        head
    } else {
        restore::check_sqlite_file(&backups.path().join(&db.name))
            .await
            .unwrap()
    };
    assert_eq!((db_count, db_head), (m.event_count, m.last_position));

    // Verify holds the database file to the position its manifest states.
    let checked = verify::verify(&settings, &m.name, None, None)
        .await
        .unwrap();
    assert_eq!(checked.events, m.event_count);
    assert_eq!(checked.other_files, vec![db.name.clone()]);
}
both_engines!(
    both_files_of_a_set_hold_the_same_events,
    super::both_files_of_a_set_hold_the_same_events
);
