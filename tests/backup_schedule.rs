//! Encrypted backups (age) and scheduled runs: one server claims each scheduled slot, the restore
//! drill verifies the newest backup, and runs are recorded for the web page.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use age::secrecy::ExposeSecret;
use arriendo::backup::manifest::FileKind;
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::runs::{self, RunKind, RunStatus};
use arriendo::backup::{BackupOptions, run_backup_with, schedule, verify};
use backup_support::*;
use common::{Engine, TestStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn encrypted_backup_restores_only_with_the_identity() {
    let source = TestStore::new(Engine::Sqlite).await;
    seed_raw(source.db(), 90).await;
    let backups = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let identity_file = backups.path().join("key.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let mut settings = settings(backups.path());
    settings.encryption_recipient = Some(identity.to_public().to_string());
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            compress: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let json = report.manifest.file(FileKind::Json).unwrap();
    assert!(json.name.ends_with(".json.gz.age") && json.encrypted);
    assert!(
        report
            .manifest
            .file(FileKind::Db)
            .unwrap()
            .name
            .ends_with(".sqlite3.age")
    );
    let bytes = std::fs::read(report.dir.join(&json.name)).unwrap();
    assert!(
        bytes.starts_with(b"age-encryption.org/v1"),
        "encrypted on disk"
    );

    let target = TestStore::new(Engine::Postgres).await;
    let options = RestoreOptions {
        source: report.manifest.name.clone(),
        ..Default::default()
    };
    let err = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("BACKUP_ENCRYPTION_IDENTITY_FILE"),
        "{err}"
    );
    settings.encryption_identity_file = Some(identity_file);
    restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert_eq!(all_events(target.db()).await, all_events(source.db()).await);
    assert_eq!(
        verify::verify(&settings, &report.manifest.name, None, None)
            .await
            .unwrap()
            .events,
        90
    );
}

async fn one_server_per_scheduled_slot(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 30).await;
    let second_server = store.reopen().await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let fired = chrono::Utc::now();
    let (a, b) = tokio::join!(
        schedule::run_scheduled(&store.app, &settings, RunKind::Backup, fired),
        schedule::run_scheduled(
            &second_server,
            &settings,
            RunKind::Backup,
            fired + chrono::Duration::milliseconds(300)
        ),
    );
    let ran = [a.unwrap(), b.unwrap()];
    assert_eq!(
        ran.iter().filter(|r| **r).count(),
        1,
        "exactly one server ran it: {ran:?}"
    );
    assert_eq!(
        arriendo::backup::manifest::list_local(backups.path())
            .unwrap()
            .len(),
        1
    );
    // Even after the first one finished, the slot stays taken.
    assert!(
        !schedule::run_scheduled(&second_server, &settings, RunKind::Backup, fired)
            .await
            .unwrap()
    );

    // The weekly drill verifies the newest backup and records it.
    assert!(
        schedule::run_scheduled(&store.app, &settings, RunKind::Drill, fired)
            .await
            .unwrap()
    );
    let drill = runs::latest_of(store.db(), RunKind::Drill)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drill.status, RunStatus::Success, "{:?}", drill.error);
    assert_eq!(drill.event_count, Some(30));
    let latest = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(
        (latest.kind, latest.status),
        (RunKind::Backup, RunStatus::Success)
    );
    assert_eq!(latest.event_count, Some(30));
    assert!(latest.files.len() == 2 && latest.total_bytes.unwrap() > 0);
}
both_engines!(
    one_server_per_scheduled_slot,
    super::one_server_per_scheduled_slot
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduler_starts_with_the_default_schedule() {
    let store = TestStore::new(Engine::Sqlite).await;
    let backups = tempfile::tempdir().unwrap();
    let mut scheduler = schedule::spawn(store.app.clone(), settings(backups.path()))
        .await
        .unwrap();
    scheduler.shutdown().await.unwrap();
    let mut bad = settings(backups.path());
    bad.schedule = "every day at two".into();
    let Err(err) = schedule::spawn(store.app.clone(), bad).await else {
        panic!("a bad schedule must be refused")
    };
    assert!(err.is_usage(), "{err}");
}
