//! After a crash: a run killed with SIGKILL is marked interrupted (not "running" for a day), its
//! partial files and plaintext snapshot are removed by the next run, a live run is never taken for a
//! dead one, and a database file restored from a set brings no "running" record back. The database
//! snapshot that waits to be encrypted is private (0600) and never outlives a failed run.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant, SystemTime};

use arriendo::backup::liveness;
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::runs::{self, RunKind, RunOutcome, RunStatus, Trigger};
use arriendo::backup::{BackupOptions, Format, run_backup_with};
use backup_support::*;
use common::{Engine, TestStore};

fn names(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect()
}

fn age_recipient() -> String {
    age::x25519::Identity::generate().to_public().to_string()
}

/// `arriendo backup` killed with SIGKILL while it writes: its record stays "running" until the next
/// start looks at it, which marks it interrupted because its lock is gone; the next run removes the
/// partial files (the private plaintext snapshot included) and completes.
async fn killed_run_is_marked_interrupted(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 60_000).await;
    let backups = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"));
    cmd.args(["--data-dir", &store.data_dir().display().to_string()]);
    if let Some(url) = &store.database_url {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd
        .args(["backup", "--format", "both", "--no-remote", "--output-dir"])
        .arg(backups.path())
        .env("BACKUP_ENCRYPTION_RECIPIENT", age_recipient())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its run is recorded and it has started writing.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let running = runs::latest(store.db())
            .await
            .unwrap()
            .is_some_and(|r| r.status == RunStatus::Running);
        let writing = names(backups.path())
            .iter()
            .any(|f| f.ends_with(".partial"));
        if (running && writing) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Running, "killed before it finished");
    let left = names(backups.path());
    eprintln!("left behind: {left:?}");
    for f in left.iter().filter(|f| f.contains(".raw.partial")) {
        let mode = std::fs::metadata(backups.path().join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "plaintext snapshot {f} is private");
    }

    // What the Respaldos page and every new run do first: the dead run is found and marked.
    let app = store.reopen().await;
    assert_eq!(liveness::reap(&app.db).await.unwrap(), 1);
    let run = runs::latest(&app.db).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Interrupted);
    assert!(run.error.unwrap().contains("interrumpido"));
    assert!(run.finished_at.is_some());

    // The next run clears what the killed one left and completes.
    let settings = settings(backups.path());
    let report = run_backup_with(
        &app,
        &settings,
        BackupOptions {
            format: Format::Json,
            output_dir: Some(backups.path().to_path_buf()),
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let left: Vec<String> = names(backups.path())
        .into_iter()
        .filter(|f| f.starts_with('.') && !f.ends_with(".lock"))
        .collect();
    assert!(left.is_empty(), "partial files removed: {left:?}");
    assert_eq!(report.manifest.event_count, 60_000);
    let runs = runs::list(&app.db, 10).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![RunStatus::Success, RunStatus::Interrupted]
    );
}
both_engines!(
    killed_run_is_marked_interrupted,
    super::killed_run_is_marked_interrupted
);

/// A run that is alive (its lock held, here or by another process on the same store) is never
/// marked interrupted, and ends with its own outcome.
async fn live_runs_are_left_alone(engine: Engine) {
    let store = TestStore::new(engine).await;
    let started = runs::start(store.db(), RunKind::Backup, Trigger::Web, None)
        .await
        .unwrap()
        .unwrap();
    let other_process = store.reopen().await;
    assert_eq!(liveness::reap(&other_process.db).await.unwrap(), 0);
    assert_eq!(liveness::reap(store.db()).await.unwrap(), 0);
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Running);
    runs::finish(store.db(), &started.id, &RunOutcome::default())
        .await
        .unwrap();
    started.lock.release().await;
    assert_eq!(liveness::reap(&other_process.db).await.unwrap(), 0);
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Success);
    // A run whose future is dropped (cancelled) lets go of its lock with it.
    let dropped = runs::start(store.db(), RunKind::Backup, Trigger::Web, None)
        .await
        .unwrap()
        .unwrap();
    drop(dropped);
    let until = Instant::now() + Duration::from_secs(10);
    while liveness::reap(&other_process.db).await.unwrap() == 0 {
        assert!(Instant::now() < until, "the dropped run's lock was freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Interrupted);
}
both_engines!(live_runs_are_left_alone, super::live_runs_are_left_alone);

/// The database file of a set was taken while its own run was "running": restored, that record is
/// interrupted, not running.
async fn restored_database_file_has_no_running_run(engine: Engine) {
    let source = TestStore::new(engine).await;
    seed_raw(source.db(), 30).await;
    let backups = tempfile::tempdir().unwrap();
    let mut settings = settings(backups.path());
    settings.database_url = source
        .database_url
        .clone()
        .map(arriendo::backup::settings::Secret::new);
    let report = run_backup_with(&source.app, &settings, BackupOptions::default())
        .await
        .unwrap();
    let target = TestStore::new(if source.database_url.is_some() {
        Engine::Postgres
    } else {
        Engine::Sqlite
    })
    .await;
    settings.database_url = target
        .database_url
        .clone()
        .map(arriendo::backup::settings::Secret::new);
    restore::restore(
        &target.app,
        &settings,
        &RestoreOptions {
            source: report.manifest.name.clone(),
            from_db_file: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let app = target.reopen().await;
    let restored = runs::list(&app.db, 10).await.unwrap();
    assert_eq!(restored.len(), 1, "the set's own run came with the file");
    assert_eq!(restored[0].status, RunStatus::Interrupted);
    assert!(
        restored[0]
            .error
            .as_deref()
            .unwrap()
            .contains("interrumpido")
    );
}
both_engines!(
    restored_database_file_has_no_running_run,
    super::restored_database_file_has_no_running_run
);

/// Plaintext and journal files a killed run left (older than the next run) are removed by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stale_plaintext_is_removed_at_the_next_start() {
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), 10).await;
    let backups = tempfile::tempdir().unwrap();
    let stale = [
        ".backup_db_20250101_000000.sqlite3.age.raw.partial",
        ".backup_db_20250101_000000.sqlite3.age.raw.partial-journal",
        ".backup_20250101_000000.json.age.partial",
    ];
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for name in stale {
        let path = backups.path().join(name);
        std::fs::write(&path, b"plaintext contract data").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let mut settings = settings(backups.path());
    settings.encryption_recipients = vec![age_recipient()];
    run_backup_with(&store.app, &settings, BackupOptions::default())
        .await
        .unwrap();
    let left = names(backups.path());
    for name in stale {
        assert!(
            !left.contains(&name.to_string()),
            "{name} removed: {left:?}"
        );
    }
    assert!(
        left.iter().all(|f| !f.contains(".raw")),
        "no plaintext snapshot left: {left:?}"
    );
}

/// pg_dump fails half-way through writing the (plaintext) snapshot: the file it wrote was private
/// while it existed and is gone after the failed run.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_snapshot_leaves_no_plaintext() {
    let store = TestStore::new(Engine::Postgres).await;
    seed_raw(store.db(), 10).await;
    let backups = tempfile::tempdir().unwrap();
    let tools = tempfile::tempdir().unwrap();
    let seen_mode = tools.path().join("mode");
    let fake = tools.path().join("pg_dump");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\n\
             [ \"$1\" = --version ] && {{ echo 'pg_dump (PostgreSQL) 99.0'; exit 0; }}\n\
             while [ $# -gt 0 ]; do [ \"$1\" = --file ] && out=$2; shift; done\n\
             stat -c %a \"$out\" > {mode}\n\
             echo 'PGDMP plaintext contract data' > \"$out\"\n\
             echo 'connection lost' >&2\n\
             exit 1\n",
            mode = seen_mode.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut settings = settings(backups.path());
    settings.pg_dump = fake;
    settings.database_url = store
        .database_url
        .clone()
        .map(arriendo::backup::settings::Secret::new);
    settings.encryption_recipients = vec![age_recipient()];
    let err = run_backup_with(&store.app, &settings, BackupOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("connection lost"), "{err}");
    assert_eq!(std::fs::read_to_string(&seen_mode).unwrap().trim(), "600");
    let left = names(backups.path());
    assert!(
        left.iter().all(|f| !f.contains(".raw")),
        "the plaintext snapshot is removed: {left:?}"
    );
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Failed);
}

/// Killed while the database snapshot waits to be encrypted: the plaintext file is private (0600)
/// while it exists, and the next run removes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_during_the_snapshot_leaves_only_private_plaintext() {
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), 60_000).await;
    let backups = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args(["--data-dir", &store.data_dir().display().to_string()])
        .args(["backup", "--format", "db", "--no-remote", "--output-dir"])
        .arg(backups.path())
        .env("BACKUP_ENCRYPTION_RECIPIENT", age_recipient())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let seen = loop {
        let raw = names(backups.path())
            .into_iter()
            .find(|f| f.ends_with(".raw.partial"));
        if let Some(raw) = raw {
            // Its mode while the run is alive: it was created private, before any byte went in.
            if let Ok(meta) = std::fs::metadata(backups.path().join(&raw)) {
                break Some((raw, meta.permissions().mode() & 0o777));
            }
        }
        if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            break None;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let (raw, mode) = seen.expect("the run was seen writing its snapshot");
    assert_eq!(mode, 0o600, "{raw} is private");

    let app = store.reopen().await;
    let settings = settings(backups.path());
    run_backup_with(
        &app,
        &settings,
        BackupOptions {
            format: Format::Json,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let left = names(backups.path());
    assert!(
        left.iter().all(|f| !f.contains(".raw")),
        "the plaintext snapshot is removed: {left:?}"
    );
    let run = runs::list(&app.db, 10).await.unwrap();
    assert_eq!(run[1].status, RunStatus::Interrupted);
}
