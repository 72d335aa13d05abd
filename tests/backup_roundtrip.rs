//! Backups and restores on both engines and across them: identical event log and read models,
//! point-in-time restores, refusal of non-empty targets and of damaged files, database-file snapshots,
//! consistency while commands are written, and a run killed with SIGKILL.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::time::{Duration, Instant};

use chrono::SubsecRound;

use arriendo::backup::manifest::{self, FileKind};
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::{BackupError, BackupOptions, Format, run_backup_with, verify};
use backup_support::*;
use common::{Engine, TestStore, dump_read_models};

/// `common::Engine` is not `Copy`.
fn again(engine: &Engine) -> Engine {
    match engine {
        Engine::Sqlite => Engine::Sqlite,
        Engine::Postgres => Engine::Postgres,
    }
}

fn opts(dir: &std::path::Path) -> BackupOptions {
    BackupOptions {
        output_dir: Some(dir.to_path_buf()),
        remote: Some(false),
        ..Default::default()
    }
}

fn restore_opts(source: impl Into<String>) -> RestoreOptions {
    RestoreOptions {
        source: source.into(),
        ..Default::default()
    }
}

async fn round_trip(from: Engine, to: Engine) {
    let source = TestStore::new(from).await;
    seed_raw(source.db(), 300).await;
    for i in 0..20 {
        write(source.db(), &format!("k{}", i % 4), i).await;
    }
    source.app.projector.catch_up().await.unwrap();
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&source.app, &settings, opts(backups.path()))
        .await
        .unwrap();
    assert_eq!(report.manifest.event_count, 320);
    assert_eq!(report.manifest.files.len(), 2);

    let to_sqlite = matches!(to, Engine::Sqlite);
    let target = TestStore::new(to).await;
    let restored = restore::restore(
        &target.app,
        &settings,
        &restore_opts(report.manifest.name.clone()),
    )
    .await
    .unwrap();
    assert_eq!(restored.events, 320);
    let mut expected = all_events(source.db()).await;
    if to_sqlite {
        // SQLite keeps recorded_at to the millisecond (its column's format); PostgreSQL to the microsecond.
        for e in &mut expected {
            e.recorded_at = e.recorded_at.trunc_subsecs(3);
        }
    }
    assert_eq!(
        all_events(target.db()).await,
        expected,
        "identical event log"
    );
    assert_eq!(
        dump_read_models(target.db()).await,
        dump_read_models(source.db()).await,
        "identical read models"
    );
    // The restored store goes on: new commands get positions after the restored head.
    write(target.db(), "k0", 1).await;
    let events = all_events(target.db()).await;
    assert!(events[events.len() - 1].position > events[events.len() - 2].position);
}

mod round_trips {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_to_sqlite() {
        round_trip(Engine::Sqlite, Engine::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_to_postgres() {
        round_trip(Engine::Postgres, Engine::Postgres).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_to_postgres() {
        round_trip(Engine::Sqlite, Engine::Postgres).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_to_sqlite() {
        round_trip(Engine::Postgres, Engine::Sqlite).await
    }
}

async fn point_in_time(engine: Engine) {
    let source = TestStore::new(again(&engine)).await;
    seed_raw(source.db(), 100).await;
    let earlier = TestStore::new(Engine::Sqlite).await;
    seed_raw(earlier.db(), 40).await;
    earlier.app.projector.catch_up().await.unwrap();

    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&source.app, &settings, opts(backups.path()))
        .await
        .unwrap();
    let target = TestStore::new(engine).await;
    let options = RestoreOptions {
        until: Some(time_of(40)),
        ..restore_opts(report.manifest.name)
    };
    let restored = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert_eq!(restored.events, 40);
    assert_eq!(
        all_events(target.db()).await,
        all_events(earlier.db()).await
    );
    assert_eq!(
        dump_read_models(target.db()).await,
        dump_read_models(earlier.db()).await
    );
}
both_engines!(point_in_time, super::point_in_time);

async fn non_empty_target_needs_force(engine: Engine) {
    let source = TestStore::new(again(&engine)).await;
    seed_raw(source.db(), 50).await;
    source.app.projector.catch_up().await.unwrap();
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&source.app, &settings, opts(backups.path()))
        .await
        .unwrap();

    let target = TestStore::new(engine).await;
    write(target.db(), "other", 7).await;
    let before = all_events(target.db()).await;
    let options = RestoreOptions {
        output_dir: Some(backups.path().into()),
        ..restore_opts(report.manifest.name.clone())
    };
    let refused = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, BackupError::NotEmpty { events: 1 }),
        "{refused}"
    );
    assert_eq!(all_events(target.db()).await, before, "untouched");

    let forced = RestoreOptions {
        force: true,
        ..options
    };
    let done = restore::restore(&target.app, &settings, &forced)
        .await
        .unwrap();
    let safety = done.safety_backup.expect("a safety backup first");
    assert!(std::path::Path::new(&safety).is_file(), "{safety}");
    assert_eq!(all_events(target.db()).await, all_events(source.db()).await);
    assert_eq!(
        dump_read_models(target.db()).await,
        dump_read_models(source.db()).await
    );
}
both_engines!(
    non_empty_target_needs_force,
    super::non_empty_target_needs_force
);

async fn damaged_files_are_refused(engine: Engine) {
    let source = TestStore::new(again(&engine)).await;
    seed_raw(source.db(), 120).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Json,
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();
    let json = report.path_of(FileKind::Json).unwrap();
    let text = std::fs::read_to_string(&json).unwrap();

    let target = TestStore::new(engine).await;
    // Truncated, without its manifest: the closing line is missing.
    let loose = tempfile::tempdir().unwrap();
    let truncated = loose.path().join("copy.json");
    std::fs::write(&truncated, &text[..text.len() * 2 / 3]).unwrap();
    let err = restore::restore(
        &target.app,
        &settings,
        &restore_opts(truncated.display().to_string()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
    // A line removed, closing line intact: the count does not match.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(5);
    let missing = loose.path().join("missing.json");
    std::fs::write(&missing, lines.join("\n")).unwrap();
    let err = restore::restore(
        &target.app,
        &settings,
        &restore_opts(missing.display().to_string()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
    // One byte changed in place: the manifest's checksum refuses it.
    let mut bytes = text.into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
    std::fs::write(&json, bytes).unwrap();
    let err = restore::restore(
        &target.app,
        &settings,
        &restore_opts(report.manifest.name.clone()),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    let err = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
    assert_eq!(
        arriendo::store::event_log::head(target.db()).await.unwrap(),
        (0, 0),
        "nothing written"
    );
}
both_engines!(damaged_files_are_refused, super::damaged_files_are_refused);

async fn verify_and_database_file(engine: Engine) {
    let source = TestStore::new(again(&engine)).await;
    seed_raw(source.db(), 80).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            compress: Some(true),
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();
    let json = report.manifest.file(FileKind::Json).unwrap();
    assert!(json.name.ends_with(".json.gz") && json.compressed);
    let db = report.manifest.file(FileKind::Db).unwrap();
    match engine {
        Engine::Sqlite => {
            assert!(db.name.starts_with("backup_db_") && db.name.ends_with(".sqlite3"))
        }
        Engine::Postgres => assert!(db.name.ends_with(".pgdump")),
    }
    let checked = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap();
    assert_eq!((checked.events, checked.last_position), (80, 160));
    assert!(checked.checked_against_manifest);
    let db_path = report.dir.join(&db.name);
    let checked = verify::verify(&settings, &db_path.display().to_string(), None, None)
        .await
        .unwrap();
    assert_eq!(checked.kind, FileKind::Db);
    assert_eq!(manifest::list_local(backups.path()).unwrap().len(), 1);

    // Verifying the set checks every file of it: one flipped byte in the database file fails,
    // though the JSON restores perfectly (issue 14, fault 4).
    let by_set = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap();
    assert_eq!(by_set.other_files, vec![db.name.clone()]);
    let mut bytes = std::fs::read(&db_path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&db_path, &bytes).unwrap();
    let err = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, BackupError::Corrupt(m) if m.contains(&db.name) && m.contains("SHA-256")),
        "{err}"
    );
    // A file of the set that is gone fails too.
    std::fs::remove_file(&db_path).unwrap();
    let err = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, BackupError::Corrupt(m) if m.contains("missing")),
        "{err}"
    );
}
both_engines!(verify_and_database_file, super::verify_and_database_file);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_database_file_restore_swaps_atomically() {
    let source = TestStore::new(Engine::Sqlite).await;
    seed_raw(source.db(), 60).await;
    source.app.projector.catch_up().await.unwrap();
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Db,
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();

    let target = TestStore::new(Engine::Sqlite).await;
    write(target.db(), "x", 1).await;
    let options = RestoreOptions {
        force: true,
        from_db_file: true,
        output_dir: Some(backups.path().into()),
        ..restore_opts(report.manifest.name.clone())
    };
    let done = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert!(done.restart_needed && done.safety_backup.is_some());
    let reopened = target.reopen().await;
    assert_eq!(
        all_events(&reopened.db).await,
        all_events(source.db()).await
    );
    assert_eq!(
        dump_read_models(&reopened.db).await,
        dump_read_models(source.db()).await
    );
}

/// PostgreSQL: a pg_dump archive restored with pg_restore into another database (after a safety
/// backup of what was there) gives the source's event log and read models.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_database_file_restore_round_trip() {
    let source = TestStore::new(Engine::Postgres).await;
    seed_raw(source.db(), 40).await;
    source.app.projector.catch_up().await.unwrap();
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Db,
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();
    assert!(
        report
            .manifest
            .file(FileKind::Db)
            .unwrap()
            .name
            .ends_with(".pgdump")
    );

    let target = TestStore::new(Engine::Postgres).await;
    write(target.db(), "x", 1).await;
    let options = RestoreOptions {
        force: true,
        from_db_file: true,
        output_dir: Some(backups.path().into()),
        ..restore_opts(report.manifest.name.clone())
    };
    let done = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert!(
        done.safety_backup.is_some(),
        "the replaced data is kept first"
    );
    let reopened = target.reopen().await;
    assert_eq!(
        all_events(&reopened.db).await,
        all_events(source.db()).await
    );
    assert_eq!(
        dump_read_models(&reopened.db).await,
        dump_read_models(source.db()).await
    );
}

async fn consistent_while_commands_are_written(engine: Engine) {
    let store = TestStore::new(again(&engine)).await;
    seed_raw(store.db(), 2000).await;
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let db = store.db().clone();
            tokio::spawn(async move {
                for i in 0..60 {
                    write(&db, &format!("live{w}"), i).await;
                }
            })
        })
        .collect();
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&store.app, &settings, opts(backups.path()))
        .await
        .unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let target = TestStore::new(engine).await;
    let restored = restore::restore(
        &target.app,
        &settings,
        &restore_opts(report.manifest.name.clone()),
    )
    .await
    .unwrap();
    assert_eq!(restored.events, report.manifest.event_count);
    // What was restored is exactly the prefix of the live log up to the manifest's position.
    let live: Vec<_> = all_events(store.db())
        .await
        .into_iter()
        .filter(|e| e.position <= report.manifest.last_position)
        .collect();
    assert_eq!(all_events(target.db()).await, live);
    // Every aggregate's stream is contiguous (no half command), and the read models rebuild cleanly.
    let status = target.app.projector.status().await.unwrap();
    assert_eq!(status.lag(), 0);
    assert!(
        verify::verify(&settings, &report.manifest.name, None, None)
            .await
            .is_ok()
    );
}
both_engines!(
    consistent_while_commands_are_written,
    super::consistent_while_commands_are_written
);

/// A large JSON backup (50 000 events) round-trips: every event is in the file, passes the restore
/// checks and comes back, identical, into an empty store whose read models then catch up. The
/// timings are printed as `FIGURE` lines for whoever watches throughput; they are never asserted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn large_json_backup_round_trips() {
    const EVENTS: i64 = 50_000;
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), EVENTS).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let started = Instant::now();
    let report = run_backup_with(
        &store.app,
        &settings,
        BackupOptions {
            format: Format::Json,
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(report.manifest.event_count, EVENTS);
    let size = report.manifest.total_size();
    eprintln!(
        "FIGURE json backup: {} events, {:.1} MiB in {:.2} s = {:.0} events/s, {:.1} MiB/s",
        report.manifest.event_count,
        size as f64 / 1048576.0,
        elapsed.as_secs_f64(),
        report.manifest.event_count as f64 / elapsed.as_secs_f64(),
        size as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
    let started = Instant::now();
    let json = report.path_of(FileKind::Json).unwrap();
    let checked = restore::check_json(&json, None, settings.restore_limits)
        .await
        .unwrap();
    assert_eq!(checked.events, EVENTS);
    eprintln!(
        "FIGURE json restore checks alone (read, decode, validate): {EVENTS} events in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let target = TestStore::new(Engine::Sqlite).await;
    let started = Instant::now();
    let restored = restore::restore(&target.app, &settings, &restore_opts(report.manifest.name))
        .await
        .unwrap();
    eprintln!(
        "FIGURE json restore (with rebuild): {EVENTS} events in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(restored.events, EVENTS);
    assert_eq!(all_events(target.db()).await, all_events(store.db()).await);
    assert_eq!(target.app.projector.status().await.unwrap().lag(), 0);
}

/// A run killed with SIGKILL half-way leaves nothing that looks like a backup.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_run_leaves_no_complete_looking_file() {
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), 150_000).await;
    store.db().close().await;
    let backups = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args([
            "--data-dir",
            &store.data_dir().display().to_string(),
            "backup",
            "--format",
            "both",
            "--no-remote",
        ])
        .args(["--output-dir", &backups.path().display().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as it has started writing.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let started = std::fs::read_dir(backups.path())
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            })
            .unwrap_or(false);
        if started || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    eprintln!("killed backup exited with {status:?}");
    let left: Vec<String> = std::fs::read_dir(backups.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    eprintln!("left behind: {left:?}");
    assert!(
        manifest::list_local(backups.path()).unwrap().is_empty(),
        "no set looks complete: {left:?}"
    );
    assert!(
        left.iter().all(|f| f.starts_with('.')),
        "only hidden temporary files remain: {left:?}"
    );
    // The next run clears them and completes.
    let app = store.reopen().await;
    let settings = settings(backups.path());
    run_backup_with(
        &app,
        &settings,
        BackupOptions {
            format: Format::Json,
            ..opts(backups.path())
        },
    )
    .await
    .unwrap();
    let left: Vec<String> = std::fs::read_dir(backups.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|f| f.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
