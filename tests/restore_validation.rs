//! Issue 9, item 4: a restore checks every event before it writes anything. A backup whose checksum
//! passes (the manifest recomputed after the edit) but which holds one event this application would
//! never have written is refused with the position and the reason, and the store keeps exactly its
//! previous events and read models, with and without --force. The reader is bounded: a gzip bomb is
//! an error, not a blow-up.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use arriendo::backup::manifest::{FileKind, Manifest};
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::{BackupError, BackupOptions, BackupSettings, Format, run_backup_with};
use arriendo::backup::{naming, pipeline, verify};
use arriendo::store::event_log;
use backup_support::*;
use common::{Engine, TestStore, dump_read_models};
use serde_json::Value;

fn again(engine: &Engine) -> Engine {
    match engine {
        Engine::Sqlite => Engine::Sqlite,
        Engine::Postgres => Engine::Postgres,
    }
}

/// A JSON backup of `n` seeded events, in its own folder.
struct Backup {
    _source: TestStore,
    dir: tempfile::TempDir,
    settings: BackupSettings,
    name: String,
    json: PathBuf,
}

async fn backup_of(engine: Engine, n: i64) -> Backup {
    let source = TestStore::new(engine).await;
    seed_raw(source.db(), n).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Json,
            output_dir: Some(dir.path().to_path_buf()),
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let json = report.path_of(FileKind::Json).unwrap();
    Backup {
        _source: source,
        dir,
        settings,
        name: report.manifest.name,
        json,
    }
}

impl Backup {
    /// Edits event `index` (0-based, in file order) and recomputes the manifest so the checksum passes:
    /// only the restore's own checks stand between this file and the store.
    fn edit_event(&self, index: usize, edit: impl FnOnce(&mut Value)) {
        let text = std::fs::read_to_string(&self.json).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let line = &mut lines[index + 1];
        let comma = line.ends_with(',');
        let mut event: Value = serde_json::from_str(line.trim_end_matches(',')).unwrap();
        edit(&mut event);
        *line = serde_json::to_string(&event).unwrap() + if comma { "," } else { "" };
        std::fs::write(&self.json, lines.join("\n") + "\n").unwrap();
        self.recompute_manifest();
    }

    fn recompute_manifest(&self) {
        let path = self.dir.path().join(naming::manifest_name(&self.name));
        let mut manifest = Manifest::load(&path).unwrap();
        let (size, sha256) = pipeline::hash_file(&self.json).unwrap();
        for file in &mut manifest.files {
            if file.kind == FileKind::Json {
                file.size = size;
                file.sha256 = sha256.clone();
            }
        }
        manifest.write(self.dir.path()).unwrap();
    }

    fn options(&self, force: bool) -> RestoreOptions {
        RestoreOptions {
            source: self.name.clone(),
            force,
            output_dir: Some(self.dir.path().to_path_buf()),
            ..Default::default()
        }
    }
}

/// A store in use: its own locales, projected.
async fn store_in_use(engine: Engine) -> TestStore {
    let store = TestStore::new(engine).await;
    for i in 0..5 {
        write(store.db(), &format!("propio{}", i % 2), i).await;
    }
    store.app.projector.catch_up().await.unwrap();
    store
}

fn assert_names(err: &BackupError, position: i64, reason: &str) {
    let message = err.to_string();
    assert!(matches!(err, BackupError::Corrupt(_)), "{message}");
    assert!(
        message.contains(&format!("position {position}")) && message.contains(reason),
        "the message names position {position} and {reason:?}: {message}"
    );
}

/// The restore refuses `backup` (damaged at `position`) on an empty store, on a store in use, and on
/// that store with --force, through the library and through the CLI; nothing changes anywhere.
async fn refused_and_untouched(engine: Engine, backup: &Backup, position: i64, reason: &str) {
    let empty = TestStore::new(again(&engine)).await;
    let nothing = dump_read_models(empty.db()).await;
    let err = restore::restore(&empty.app, &backup.settings, &backup.options(false))
        .await
        .unwrap_err();
    assert_names(&err, position, reason);
    assert_eq!(event_log::head(empty.db()).await.unwrap(), (0, 0));
    assert_eq!(dump_read_models(empty.db()).await, nothing);

    let target = store_in_use(engine).await;
    let events = all_events(target.db()).await;
    let read_models = dump_read_models(target.db()).await;
    for force in [false, true] {
        let err = restore::restore(&target.app, &backup.settings, &backup.options(force))
            .await
            .unwrap_err();
        assert_names(&err, position, reason);
        assert_eq!(all_events(target.db()).await, events, "force={force}");
        assert_eq!(
            dump_read_models(target.db()).await,
            read_models,
            "force={force}"
        );
    }

    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"));
    cli.args(["--data-dir", &target.data_dir().display().to_string()]);
    if let Some(url) = &target.database_url {
        cli.args(["--database-url", url]);
    }
    let out = cli
        .args(["restore", &backup.name, "--force", "--output-dir"])
        .arg(backup.dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("position {position}")) && stderr.contains(reason),
        "{stderr}"
    );
    assert_eq!(all_events(target.db()).await, events, "CLI");
    assert_eq!(dump_read_models(target.db()).await, read_models, "CLI");
}

/// The case: one payload in the middle that is valid JSON but not its event.
async fn corrupt_payload_in_the_middle(engine: Engine) {
    let backup = backup_of(again(&engine), 1000).await;
    backup.edit_event(510, |e| {
        e["payload"]["LocalUpdated"]["area_m2"] = "ochenta".into();
    });
    refused_and_untouched(engine, &backup, 1022, "does not decode as LocalUpdated").await;
}
both_engines!(
    corrupt_payload_in_the_middle,
    super::corrupt_payload_in_the_middle
);

async fn duplicate_positions(engine: Engine) {
    let backup = backup_of(again(&engine), 1000).await;
    backup.edit_event(510, |e| e["position"] = 1020.into());
    refused_and_untouched(engine, &backup, 1020, "appears twice").await;
}
both_engines!(duplicate_positions, super::duplicate_positions);

async fn sequence_gaps(engine: Engine) {
    let backup = backup_of(again(&engine), 1000).await;
    backup.edit_event(510, |e| {
        let sequence = e["sequence"].as_i64().unwrap();
        e["sequence"] = (sequence + 1).into();
    });
    refused_and_untouched(engine, &backup, 1022, "leaves a gap").await;
}
both_engines!(sequence_gaps, super::sequence_gaps);

async fn unknown_event_type(engine: Engine) {
    let backup = backup_of(again(&engine), 1000).await;
    backup.edit_event(510, |e| e["event_type"] = "LocalDemolished".into());
    refused_and_untouched(
        engine,
        &backup,
        1022,
        "unknown event type \"LocalDemolished\"",
    )
    .await;
}
both_engines!(unknown_event_type, super::unknown_event_type);

/// A valid backup's first line followed by 50 MB of zeros on one line, gzipped (about 50 KB).
fn gzip_bomb(header_from: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(header_from).unwrap();
    let header = text.lines().next().unwrap();
    let path = dir.join("bomba.json.gz");
    let file = std::fs::File::create(&path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    writeln!(gz, "{header}").unwrap();
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..50 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap();
    path
}

async fn a_gzip_bomb_is_an_error(engine: Engine) {
    let backup = backup_of(again(&engine), 3).await;
    let loose = tempfile::tempdir().unwrap();
    let bomb = gzip_bomb(&backup.json, loose.path());
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    let target = store_in_use(engine).await;
    let events = all_events(target.db()).await;
    let options = RestoreOptions {
        source: bomb.display().to_string(),
        force: true,
        ..Default::default()
    };
    let err = restore::restore(&target.app, &backup.settings, &options)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, BackupError::Corrupt(_)) && message.contains("line 2: longer than 4096 KiB"),
        "{message}"
    );
    assert_eq!(all_events(target.db()).await, events);
    // `backup verify` (and so the weekly drill) reads through the same bounded reader.
    let err = verify::verify(&backup.settings, &bomb.display().to_string(), None, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("longer than"), "{err}");
}
both_engines!(a_gzip_bomb_is_an_error, super::a_gzip_bomb_is_an_error);

/// The total inflated size is bounded too (BACKUP_RESTORE_MAX_MIB); here a tiny bound on a normal file.
async fn the_total_size_is_bounded(engine: Engine) {
    let mut backup = backup_of(again(&engine), 1000).await;
    backup.settings.restore_limits.max_total_bytes = 64 * 1024;
    let target = TestStore::new(engine).await;
    let err = restore::restore(&target.app, &backup.settings, &backup.options(false))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("holds more than 65536 bytes"),
        "{err}"
    );
    assert_eq!(event_log::head(target.db()).await.unwrap(), (0, 0));
}
both_engines!(the_total_size_is_bounded, super::the_total_size_is_bounded);

/// After the checks, a good backup still restores and the read models are rebuilt from it.
async fn a_good_backup_still_restores_over_a_store_in_use(engine: Engine) {
    let backup = backup_of(again(&engine), 1000).await;
    backup._source.app.projector.catch_up().await.unwrap();
    let target = store_in_use(engine).await;
    let done = restore::restore(&target.app, &backup.settings, &backup.options(true))
        .await
        .unwrap();
    assert_eq!((done.events, done.last_position), (1000, 2000));
    assert!(done.safety_backup.is_some());
    let status = target.app.projector.status().await.unwrap();
    assert_eq!((status.events, status.lag()), (1000, 0));
    assert_eq!(
        dump_read_models(target.db()).await,
        dump_read_models(backup._source.db()).await
    );
}
both_engines!(
    a_good_backup_still_restores_over_a_store_in_use,
    super::a_good_backup_still_restores_over_a_store_in_use
);

/// The checks accept everything the application writes: the demo (every event of the domain) and a
/// user's events back up and restore into an empty store with the same read models.
async fn every_event_the_app_writes_passes_the_checks(engine: Engine) {
    let source = TestStore::new(again(&engine)).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    arriendo::demo::load(&source.app, today).await.unwrap();
    let username = arriendo::auth::users::create(
        &source.app,
        "auditora",
        arriendo_events::Role::Auditor,
        "Contraseña-larga-2025".into(),
        meta(),
    )
    .await
    .unwrap();
    arriendo::auth::users::end_sessions(&source.app, &username, meta())
        .await
        .unwrap();
    source.app.projector.catch_up().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(dir.path());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            format: Format::Json,
            output_dir: Some(dir.path().to_path_buf()),
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let target = TestStore::new(engine).await;
    let done = restore::restore(
        &target.app,
        &settings,
        &RestoreOptions {
            source: report.manifest.name.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(done.events, report.manifest.event_count);
    assert_eq!(
        dump_read_models(target.db()).await,
        dump_read_models(source.db()).await
    );
}
both_engines!(
    every_event_the_app_writes_passes_the_checks,
    super::every_event_the_app_writes_passes_the_checks
);
