//! Incremental sets on both engines, in a local folder: full → events → incremental → events →
//! incremental; the last one restored on the other engine (its whole chain), to a point inside the
//! second incremental, and as `latest`; retention keeping a chain restorable; verify finding a
//! damaged or missing link; an incremental with no new event; what the schedule (`Mode::Auto`)
//! writes; a chain and segments on a synced folder and, as a peer test, on moto S3
//! (`scripts/test --test backup_incremental`).
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use arriendo::backup::incremental::Mode;
use arriendo::backup::manifest::{self, FileKind, SetKind};
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::retention::{self, Policy};
use arriendo::backup::runs::RunStatus;
use arriendo::backup::settings::{BackupSettings, TargetConfig};
use arriendo::backup::shipping::Shipper;
use arriendo::backup::{BackupOptions, BackupReport, run_backup_with, verify};
use arriendo::store::event_log;
use backup_support::*;
use common::{Engine, TestStore};

fn other(engine: &Engine) -> Engine {
    match engine {
        Engine::Sqlite => Engine::Postgres,
        Engine::Postgres => Engine::Sqlite,
    }
}

/// A backup with the settings' remote copies (none unless the test configures a destination).
async fn backup(store: &TestStore, settings: &BackupSettings, mode: Mode) -> BackupReport {
    run_backup_with(
        &store.app,
        settings,
        BackupOptions {
            output_dir: Some(settings.output_dir.clone()),
            mode,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

fn source(name: &str) -> RestoreOptions {
    RestoreOptions {
        source: name.into(),
        ..Default::default()
    }
}

/// A full set of 100 events, an incremental of 50 more, another of 50 more (with a database file).
async fn chain_of_three(store: &TestStore, settings: &BackupSettings) -> [BackupReport; 3] {
    seed_raw(store.db(), 100).await;
    let full = backup(store, settings, Mode::Incremental).await;
    append_raw(store.db(), 101, 150).await;
    let first = backup(store, settings, Mode::Incremental).await;
    append_raw(store.db(), 151, 200).await;
    let second = run_backup_with(
        &store.app,
        settings,
        BackupOptions {
            output_dir: Some(settings.output_dir.clone()),
            remote: Some(false),
            mode: Mode::Incremental,
            incremental_db: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    [full, first, second]
}

/// A store of `engine`, a backup folder, its settings and [`chain_of_three`] in it.
async fn chain_fixture(
    engine: Engine,
) -> (
    TestStore,
    tempfile::TempDir,
    BackupSettings,
    [BackupReport; 3],
) {
    let store = TestStore::new(engine).await;
    let folder = tempfile::tempdir().unwrap();
    let settings = settings(folder.path());
    let sets = chain_of_three(&store, &settings).await;
    (store, folder, settings, sets)
}

async fn chain_restores_on_the_other_engine(engine: Engine) {
    let latest_engine = other(&engine);
    let store = TestStore::new(other(&engine)).await;
    let folder = tempfile::tempdir().unwrap();
    let settings = settings(folder.path());
    let [full, first, second] = chain_of_three(&store, &settings).await;

    // With nothing to continue, "incremental" wrote a full set and said why.
    assert_eq!(full.manifest.kind, SetKind::Full);
    assert!(full.manifest.incremental.is_none());
    assert!(full.note.as_deref().unwrap().contains("no earlier set"));
    assert_eq!(full.manifest.event_count, 100);
    // Each incremental holds only its new events and says what it continues.
    let link = first.manifest.incremental.as_ref().unwrap();
    assert_eq!(first.manifest.kind, SetKind::Incremental);
    assert_eq!(first.manifest.event_count, 50);
    assert_eq!((link.after, link.first_position), (200, Some(202)));
    assert_eq!(first.manifest.last_position, 300);
    assert_eq!(link.base, full.manifest.name);
    assert_eq!(link.full, full.manifest.name);
    assert_eq!(
        link.base_sha256,
        full.manifest.file(FileKind::Json).unwrap().sha256
    );
    assert_eq!(
        first.manifest.files.len(),
        1,
        "only the new events: {first:?}"
    );
    let link = second.manifest.incremental.as_ref().unwrap();
    assert_eq!(
        (link.base.as_str(), link.full.as_str()),
        (first.manifest.name.as_str(), full.manifest.name.as_str())
    );
    assert_eq!(second.manifest.event_count, 50);
    let db_file = second
        .manifest
        .file(FileKind::Db)
        .expect("a database file when asked");
    assert_eq!(
        db_file.event_count,
        Some(200),
        "the database file holds the whole log"
    );
    let json_size = |r: &BackupReport| r.manifest.file(FileKind::Json).unwrap().size;
    assert!(json_size(&first) < json_size(&full));

    // The last incremental restored on the other engine: its whole chain, exactly the log.
    let target = TestStore::new(engine).await;
    let restored = restore::restore(&target.app, &settings, &source(&second.manifest.name))
        .await
        .unwrap();
    assert_eq!((restored.events, restored.last_position), (200, 400));
    assert_eq!(all_events(target.db()).await, all_events(store.db()).await);

    // `latest` is the newest chain too.
    let latest = TestStore::new(latest_engine).await;
    let restored = restore::restore(&latest.app, &settings, &source(restore::LATEST))
        .await
        .unwrap();
    assert_eq!(restored.events, 200);

    // Verify reads the chain as one log and checks every file of every link.
    let report = verify::verify(&settings, &second.manifest.name, None, None)
        .await
        .unwrap();
    assert_eq!((report.events, report.last_position), (200, 400));
    assert_eq!(
        report.chain,
        vec![full.manifest.name.clone(), first.manifest.name.clone()]
    );
    assert!(
        report
            .other_files
            .iter()
            .any(|f| f.starts_with("backup_db_")),
        "{report:?}"
    );
    // The drill restores the chain into a scratch store and rebuilds its read models.
    let drilled = verify::verify_by_restoring(&settings, &second.manifest.name, None, None)
        .await
        .unwrap();
    assert_eq!(drilled.events, 200);
    assert!(drilled.read_model_events > 0, "{drilled:?}");
    // A JSON of an incremental set alone is not a log: it says to go through its chain.
    let alone = folder
        .path()
        .join(&second.manifest.file(FileKind::Json).unwrap().name);
    let err = restore::check_json(&alone, None, settings.restore_limits)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("through its chain"), "{err}");
}
both_engines!(
    chain_restores_on_the_other_engine,
    super::chain_restores_on_the_other_engine
);

async fn until_inside_the_second_incremental(engine: Engine) {
    let (store, _folder, settings, [_, _, second]) = chain_fixture(engine).await;
    let target = TestStore::new(Engine::Sqlite).await;
    let restored = restore::restore(
        &target.app,
        &settings,
        &RestoreOptions {
            until: Some(time_of(175)),
            ..source(&second.manifest.name)
        },
    )
    .await
    .unwrap();
    assert_eq!((restored.events, restored.last_position), (175, 350));
    assert_eq!(restored.last_recorded_at, Some(time_of(175)));
    let expected: Vec<_> = all_events(store.db())
        .await
        .into_iter()
        .filter(|e| e.position <= 350)
        .collect();
    assert_eq!(all_events(target.db()).await, expected);
}
both_engines!(
    until_inside_the_second_incremental,
    super::until_inside_the_second_incremental
);

async fn retention_keeps_every_chain_restorable(engine: Engine) {
    let (store, folder, settings, [full, first, second]) = chain_fixture(engine).await;
    let names = |d: &std::path::Path| -> Vec<String> {
        manifest::list_local(d)
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect()
    };
    // Ten days later, keep 1 day: every set is too old, but the newest (an incremental) stays, and
    // with it the sets its chain needs.
    let policy = Policy {
        keep_days: 1,
        ..Default::default()
    };
    let later = chrono::Utc::now() + chrono::Duration::days(10);
    let pruned = retention::prune_local(folder.path(), policy, false, later).unwrap();
    assert!(pruned.deleted.is_empty(), "{pruned:?}");
    assert_eq!(
        pruned.kept_for_chain,
        vec![
            (first.manifest.name.clone(), second.manifest.name.clone()),
            (full.manifest.name.clone(), second.manifest.name.clone()),
        ]
    );
    assert_eq!(names(folder.path()).len(), 3);
    let target = TestStore::new(Engine::Sqlite).await;
    restore::restore(&target.app, &settings, &source(&second.manifest.name))
        .await
        .unwrap();

    // A new full set starts a new chain: then the old one goes whole.
    let newer = backup(&store, &settings, Mode::Full).await;
    let pruned = retention::prune_local(folder.path(), policy, false, later).unwrap();
    assert_eq!(pruned.deleted.len(), 3, "{pruned:?}");
    assert!(pruned.kept_for_chain.is_empty());
    assert_eq!(names(folder.path()), vec![newer.manifest.name]);
}
both_engines!(
    retention_keeps_every_chain_restorable,
    super::retention_keeps_every_chain_restorable
);

async fn verify_names_a_damaged_or_missing_link(engine: Engine) {
    let (_store, folder, settings, [_, first, second]) = chain_fixture(engine).await;
    let middle = folder
        .path()
        .join(&first.manifest.file(FileKind::Json).unwrap().name);
    let original = std::fs::read(&middle).unwrap();

    // One byte flipped in the middle link.
    let mut flipped = original.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x01;
    std::fs::write(&middle, &flipped).unwrap();
    let err = verify::verify(&settings, &second.manifest.name, None, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("link {}", first.manifest.name)) && err.contains("SHA-256"),
        "{err}"
    );
    let target = TestStore::new(Engine::Sqlite).await;
    assert!(
        restore::restore(&target.app, &settings, &source(&second.manifest.name))
            .await
            .is_err()
    );
    assert_eq!(
        event_log::head(target.db()).await.unwrap().0,
        0,
        "nothing restored"
    );

    // The middle link's file gone, then its whole set (manifest included).
    std::fs::remove_file(&middle).unwrap();
    let err = verify::verify(&settings, &second.manifest.name, None, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("link {}", first.manifest.name)) && err.contains("missing"),
        "{err}"
    );
    std::fs::write(&middle, &original).unwrap();
    verify::verify(&settings, &second.manifest.name, None, None)
        .await
        .unwrap();
    std::fs::remove_file(folder.path().join(arriendo::backup::naming::manifest_name(
        &first.manifest.name,
    )))
    .unwrap();
    let err = verify::verify(&settings, &second.manifest.name, None, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "link {} (the set {} continues) is missing",
            first.manifest.name, second.manifest.name
        )),
        "{err}"
    );
}
both_engines!(
    verify_names_a_damaged_or_missing_link,
    super::verify_names_a_damaged_or_missing_link
);

/// With no new event an incremental set is still written: empty, it keeps the chain going (the run
/// is recorded like any other, so the dashboard shows today's backup). The sets are encrypted and
/// compressed: incrementals go through the same pipeline as full sets.
async fn an_incremental_without_new_events_is_written_empty(engine: Engine) {
    use age::secrecy::ExposeSecret;
    let target_engine = other(&engine);
    let store = TestStore::new(engine).await;
    let folder = tempfile::tempdir().unwrap();
    let mut settings = settings(folder.path());
    let identity = age::x25519::Identity::generate();
    let key = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(key.path(), identity.to_string().expose_secret()).unwrap();
    settings.encryption_recipients = vec![identity.to_public().to_string()];
    settings.encryption_identity_file = Some(key.path().to_path_buf());
    settings.compress = true;
    seed_raw(store.db(), 30).await;
    let full = backup(&store, &settings, Mode::Full).await;
    let empty = backup(&store, &settings, Mode::Incremental).await;
    let link = empty.manifest.incremental.as_ref().unwrap();
    assert_eq!(empty.manifest.event_count, 0);
    assert_eq!(link.first_position, None);
    assert_eq!(link.after, 60);
    assert_eq!(empty.manifest.last_position, 60);
    assert_eq!(
        empty.manifest.chain.as_ref().map(|c| c.position),
        Some(60),
        "it seals the head it continues from"
    );
    append_raw(store.db(), 31, 40).await;
    let next = backup(&store, &settings, Mode::Incremental).await;
    let link = next.manifest.incremental.as_ref().unwrap();
    assert_eq!(
        (link.base.as_str(), link.full.as_str()),
        (empty.manifest.name.as_str(), full.manifest.name.as_str())
    );
    assert!(
        next.manifest.files[0].name.ends_with(".json.gz.age"),
        "{next:?}"
    );
    assert!(next.manifest.files[0].encrypted);
    verify::verify(&settings, &next.manifest.name, None, None)
        .await
        .unwrap();
    let target = TestStore::new(target_engine).await;
    let restored = restore::restore(&target.app, &settings, &source(&next.manifest.name))
        .await
        .unwrap();
    assert_eq!((restored.events, restored.last_position), (40, 80));
    assert_eq!(all_events(target.db()).await, all_events(store.db()).await);
}
both_engines!(
    an_incremental_without_new_events_is_written_empty,
    super::an_incremental_without_new_events_is_written_empty
);

/// The schedule: incremental while the chain's full set is younger than BACKUP_FULL_EVERY_DAYS, full
/// with 0; and a log restored since the newest set is never continued.
async fn the_schedule_starts_a_chain_every_n_days(engine: Engine) {
    let store = TestStore::new(engine).await;
    let folder = tempfile::tempdir().unwrap();
    let mut settings = settings(folder.path());
    seed_raw(store.db(), 20).await;
    assert_eq!(
        backup(&store, &settings, Mode::Auto).await.manifest.kind,
        SetKind::Full
    );
    append_raw(store.db(), 21, 25).await;
    let auto = backup(&store, &settings, Mode::Auto).await;
    assert_eq!(auto.manifest.kind, SetKind::Incremental);
    settings.full_every_days = 0;
    assert_eq!(
        backup(&store, &settings, Mode::Auto).await.manifest.kind,
        SetKind::Full
    );

    // Restored to an earlier point, the store's history is not the one the newest set holds.
    settings.full_every_days = 7;
    restore::restore(
        &store.app,
        &settings,
        &RestoreOptions {
            until: Some(time_of(22)),
            force: true,
            ..source(&auto.manifest.name)
        },
    )
    .await
    .unwrap();
    append_raw(store.db(), 23, 23).await;
    let after_restore = backup(&store, &settings, Mode::Incremental).await;
    assert_eq!(after_restore.manifest.kind, SetKind::Full);
    assert!(
        after_restore
            .warnings
            .iter()
            .any(|w| w.contains("not the one")),
        "{after_restore:?}"
    );
}
both_engines!(
    the_schedule_starts_a_chain_every_n_days,
    super::the_schedule_starts_a_chain_every_n_days
);

/// Incrementals through the same pipeline as full sets: compressed, copied to a destination, then
/// restored from the destination alone on the other engine — `latest`: the chain, then the segments
/// shipped after it — verified there, and drilled by a server whose own folder is empty.
async fn incrementals_on(engine: Engine, target: TargetConfig) {
    let fresh = TestStore::new(other(&engine)).await;
    let store = TestStore::new(engine).await;
    let folder = tempfile::tempdir().unwrap();
    let mut settings = settings(folder.path());
    let name = target.name().to_string();
    settings.targets = vec![target];
    settings.remote_enabled = true;
    settings.compress = true;
    seed_raw(store.db(), 60).await;
    let full = backup(&store, &settings, Mode::Full).await;
    append_raw(store.db(), 61, 90).await;
    let inc = backup(&store, &settings, Mode::Incremental).await;
    assert_eq!(inc.targets.len(), 1);
    assert!(inc.targets[0].ok, "{inc:?}");
    assert!(inc.manifest.files[0].name.ends_with(".json.gz"), "{inc:?}");
    // Events after the incremental set go out as a segment.
    append_raw(store.db(), 91, 100).await;
    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    shipper.tick(store.db()).await.unwrap().unwrap();
    // The local folder is gone: the destination alone restores the chain and the segment.
    drop(folder);
    let restored = restore::restore(
        &fresh.app,
        &settings,
        &RestoreOptions {
            from: Some(name.clone()),
            ..source(restore::LATEST)
        },
    )
    .await
    .unwrap();
    assert_eq!((restored.events, restored.last_position), (100, 200));
    assert_eq!(all_events(fresh.db()).await, all_events(store.db()).await);
    let report = verify::verify(&settings, &inc.manifest.name, Some(&name), None)
        .await
        .unwrap();
    assert_eq!(report.chain, vec![full.manifest.name]);
    assert_eq!(report.events, 90);
    // The weekly drill on a server whose own folder holds no set restores the chain from the
    // destination alone.
    let empty = tempfile::tempdir().unwrap();
    let mut driller = settings.clone();
    driller.output_dir = empty.path().to_path_buf();
    let drill = drill_now(&store.app, &driller, chrono::Utc::now()).await;
    assert_eq!(drill.status, RunStatus::Success, "{:?}", drill.error);
    assert_eq!(drill.name.as_deref(), Some(inc.manifest.name.as_str()));
    assert_eq!(drill.targets.len(), 1, "{:?}", drill.targets);
    assert!(drill.targets[0].ok && drill.targets[0].target == name);
}

async fn incrementals_on_a_synced_folder(engine: Engine) {
    let synced = tempfile::tempdir().unwrap();
    let target = TargetConfig::LocalCopy {
        name: "onedrive".into(),
        path: synced.path().join("Respaldos"),
    };
    incrementals_on(engine, target).await;
}
both_engines!(
    incrementals_on_a_synced_folder,
    super::incrementals_on_a_synced_folder
);

async fn incrementals_on_s3(engine: Engine) {
    let Some(target) = s3_target().await else {
        return skip("moto (S3)");
    };
    incrementals_on(engine, target).await;
}
both_engines!(
    incrementals_on_s3,
    super::incrementals_on_s3,
    ignore = "needs moto (S3): scripts/test --test backup_incremental"
);
