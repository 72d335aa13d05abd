//! Faults of issue 14 around restores and the command line: `restore --until` reads Bogotá time and
//! refuses to keep nothing, `restore --db-file` on a JSON-only set refuses, a closed stdout does not
//! panic, a full disk is reported as such, `scripts/backup_daily.sh` leaves retention to the
//! settings, and remote destinations configured but switched off are pointed out.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::settings::TargetConfig;
use arriendo::backup::{BackupError, BackupOptions, Format, run_backup_with};
use backup_support::*;
use common::{Engine, TestStore};

fn arriendo(store: &TestStore) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arriendo"));
    cmd.args(["--data-dir", &store.data_dir().display().to_string()]);
    if let Some(url) = &store.database_url {
        cmd.args(["--database-url", url]);
    }
    cmd
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Raw events are one minute apart from 2025-01-01T00:00Z, that is from 2024-12-31 19:00 in Bogotá.
async fn until_is_bogota_time(engine: Engine) {
    let source = TestStore::new(Engine::Sqlite).await;
    seed_raw(source.db(), 100).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let name = run_backup_with(&source.app, &settings, BackupOptions::default())
        .await
        .unwrap()
        .manifest
        .name;
    let dir = backups.path().display().to_string();
    let fresh = || {
        TestStore::new(if matches!(engine, Engine::Sqlite) {
            Engine::Sqlite
        } else {
            Engine::Postgres
        })
    };

    // 19:40 in Bogotá is event 40 (00:40Z): position 80, and the command says when it was recorded.
    let target = fresh().await;
    let out = arriendo(&target)
        .args([
            "restore",
            &name,
            "--output-dir",
            &dir,
            "--until",
            "2024-12-31 19:40",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Restored 40 events (last position 80)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Last event kept: position 80, recorded 2024-12-31 19:40:00 (Bogotá)"),
        "{stdout}"
    );
    assert_eq!(all_events(target.db()).await.len(), 40);

    // An explicit offset is taken as given; a time without one is Bogotá (00:40 there is 05:40Z).
    for (until, kept) in [
        ("2025-01-01T00:40:00Z", 40),
        ("2024-12-31 19:40-05:00", 40),
        ("2025-01-01 00:40", 100),
    ] {
        let target = fresh().await;
        let restored = restore::restore(
            &target.app,
            &settings,
            &RestoreOptions {
                source: name.clone(),
                until: Some(arriendo::backup::cli::parse_until(until).unwrap()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(restored.events, kept, "--until {until}");
    }

    // Before the first event: refused (exit code 2), nothing changed, even with --force.
    let target = fresh().await;
    seed_raw(target.db(), 3).await;
    let out = arriendo(&target)
        .args(["restore", &name, "--output-dir", &dir, "--force"])
        .args(["--until", "2024-12-31 18:00"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("keeps no event") && stderr.contains("--allow-empty"),
        "{stderr}"
    );
    assert_eq!(
        all_events(target.db()).await.len(),
        3,
        "the store is untouched"
    );
    // Asked for on purpose, it empties the store.
    let out = arriendo(&target)
        .args([
            "restore",
            &name,
            "--output-dir",
            &dir,
            "--force",
            "--allow-empty",
        ])
        .args(["--until", "2024-12-31 18:00"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Restored 0 events"), "{stdout}");
    assert!(all_events(target.db()).await.is_empty());
}
both_engines!(until_is_bogota_time, super::until_is_bogota_time);

/// `restore --db-file` of a set taken with `--format json` refuses instead of restoring the JSON.
async fn db_file_restore_of_a_json_only_set(engine: Engine) {
    let source = TestStore::new(Engine::Sqlite).await;
    seed_raw(source.db(), 5).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Json,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let target = TestStore::new(engine).await;
    let err = restore::restore(
        &target.app,
        &settings,
        &RestoreOptions {
            source: report.manifest.name.clone(),
            from_db_file: true,
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(err.is_usage(), "{err}");
    assert!(err.to_string().contains("has no database file"), "{err}");
    assert!(all_events(target.db()).await.is_empty(), "nothing restored");
}
both_engines!(
    db_file_restore_of_a_json_only_set,
    super::db_file_restore_of_a_json_only_set
);

/// `arriendo backup prune | head`: stdout closed before the first line. No panic, exit code 0, and
/// the command still did its work.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn closed_stdout_ends_quietly() {
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), 5).await;
    let backups = tempfile::tempdir().unwrap();
    run_backup_with(
        &store.app,
        &settings(backups.path()),
        BackupOptions::default(),
    )
    .await
    .unwrap();
    for args in [
        vec!["backup", "prune", "--local", "--keep-days", "1"],
        vec!["backup", "list", "--local"],
    ] {
        let mut child = arriendo(&store)
            .args(&args)
            .args(["--output-dir", &backups.path().display().to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// No space left while the JSON is written: the error says so (the I/O error), not "the JSON writer
/// stopped", and no file is published.
async fn full_disk_is_reported_as_such(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 2_000).await;
    let dir = tempfile::tempdir().unwrap();
    let partial = dir.path().join(".backup_x.json.partial");
    // Writes through this link fail with ENOSPC; removing it on failure removes only the link.
    std::os::unix::fs::symlink("/dev/full", &partial).unwrap();
    let writer = arriendo::backup::pipeline::FileWriter::create(
        &partial,
        &dir.path().join("backup_x.json"),
        false,
        &[],
    )
    .unwrap();
    let err = arriendo::backup::json::write_log(
        store.db(),
        writer,
        &indicatif::ProgressBar::hidden(),
        None,
        arriendo::backup::json::Start::BEGINNING,
    )
    .await
    .unwrap_err();
    let BackupError::Io { source, .. } = &err else {
        panic!("an I/O error, got {err}");
    };
    assert_eq!(source.kind(), std::io::ErrorKind::StorageFull, "{err}");
    assert!(!dir.path().join("backup_x.json").exists());
}
both_engines!(
    full_disk_is_reported_as_such,
    super::full_disk_is_reported_as_such
);

/// The cron script passes no `--keep-days`: the setting in `.env` (read by arriendo) decides. It
/// does what the schedule does (`--auto`: a full set weekly, incrementals between), and a
/// database-only format, which cannot be incremental, writes full sets.
#[test]
fn daily_script_leaves_retention_to_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("args");
    let fake = dir.path().join("arriendo");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho \"$@\" > {}\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/backup_daily.sh");
    for keep in [None, Some("7")] {
        let mut cmd = Command::new(script);
        cmd.env("ARRIENDO_BIN", &fake)
            .env("ARRIENDO_HOME", dir.path())
            .env_remove("BACKUP_OUTPUT_DIR")
            .env_remove("BACKUP_FORMAT");
        match keep {
            Some(k) => cmd.env("BACKUP_KEEP_DAYS", k),
            None => cmd.env_remove("BACKUP_KEEP_DAYS"),
        };
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let args = std::fs::read_to_string(&seen).unwrap();
        assert_eq!(args.trim(), "backup --auto", "{keep:?}");
    }
    for (format, expected) in [
        ("json", "backup --auto --format json"),
        ("db", "backup --full --format db"),
    ] {
        let out = Command::new(script)
            .env("ARRIENDO_BIN", &fake)
            .env("ARRIENDO_HOME", dir.path())
            .env("BACKUP_FORMAT", format)
            .env_remove("BACKUP_OUTPUT_DIR")
            .output()
            .unwrap();
        assert!(out.status.success());
        let args = std::fs::read_to_string(&seen).unwrap();
        assert_eq!(args.trim(), expected);
    }
}

/// Destinations configured, remote copies off: the run says so (log and report), copies nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn configured_but_disabled_remote_is_pointed_out() {
    let store = TestStore::new(Engine::Sqlite).await;
    seed_raw(store.db(), 5).await;
    let backups = tempfile::tempdir().unwrap();
    let synced = tempfile::tempdir().unwrap();
    let mut settings = settings(backups.path());
    settings.targets = vec![TargetConfig::LocalCopy {
        name: "onedrive".into(),
        path: synced.path().to_path_buf(),
    }];
    let report = run_backup_with(&store.app, &settings, BackupOptions::default())
        .await
        .unwrap();
    assert!(report.targets.is_empty());
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains("BACKUP_REMOTE_ENABLED"));
    assert_eq!(std::fs::read_dir(synced.path()).unwrap().count(), 0);
    // Asked explicitly (--no-remote), it is no surprise: no warning.
    let report = run_backup_with(
        &store.app,
        &settings,
        BackupOptions {
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(report.warnings.is_empty());
}
