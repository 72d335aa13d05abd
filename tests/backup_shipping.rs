//! Continuous log shipping: new events leave for the remote destinations as segments between the
//! nightly sets, and a restore from a destination alone takes its latest full set plus the segments
//! after it. The folder destination runs everywhere; S3 needs moto (`scripts/test`).
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::time::Duration;

use arriendo::backup::restore::{self, LATEST, RestoreOptions};
use arriendo::backup::segments;
use arriendo::backup::settings::TargetConfig;
use arriendo::backup::shipping::{self, Shipper};
use arriendo::backup::targets::Target;
use arriendo::backup::{BackupError, BackupOptions, BackupSettings, run_backup_with};
use arriendo::store::event_log::StoredEvent;
use backup_support::*;
use chrono::SubsecRound;
use common::{Engine, TestStore};

fn other(engine: &Engine) -> Engine {
    match engine {
        Engine::Sqlite => Engine::Postgres,
        Engine::Postgres => Engine::Sqlite,
    }
}

/// Settings that ship to `target` every 200 ms, with the backup folder in `dir`.
fn shipping_to(dir: &std::path::Path, target: TargetConfig) -> BackupSettings {
    let mut s = settings(dir);
    s.targets = vec![target];
    s.remote_enabled = true;
    s.ship_interval = Some(Duration::from_millis(200));
    s
}

fn folder(path: &std::path::Path) -> TargetConfig {
    TargetConfig::LocalCopy {
        name: "local_copy".into(),
        path: path.to_path_buf(),
    }
}

fn copy(engine: &Engine) -> Engine {
    other(&other(engine))
}

/// The events as `to` keeps them (SQLite records times to the millisecond).
fn as_kept_by(to: &Engine, mut events: Vec<StoredEvent>) -> Vec<StoredEvent> {
    if matches!(to, Engine::Sqlite) {
        for e in &mut events {
            e.recorded_at = e.recorded_at.trunc_subsecs(3);
        }
    }
    events
}

async fn restore_latest(
    into: &TestStore,
    settings: &BackupSettings,
    from: &str,
) -> Result<restore::RestoreReport, BackupError> {
    restore::restore(
        &into.app,
        settings,
        &RestoreOptions {
            source: LATEST.into(),
            from: Some(from.into()),
            ..Default::default()
        },
    )
    .await
}

/// A nightly set, then commands shipped in two ticks: the other engine restores all of it from the
/// folder destination alone, and the lag reads zero once everything is shipped.
async fn set_and_segments_restore_everything(engine: Engine) {
    let restored_on = other(&engine);
    let source = TestStore::new(engine).await;
    seed_raw(source.db(), 40).await;
    let backups = tempfile::tempdir().unwrap();
    let remote = tempfile::tempdir().unwrap();
    let settings = shipping_to(backups.path(), folder(remote.path()));
    let set = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            remote: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(set.targets[0].ok, "{:?}", set.targets);

    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    for i in 0..5 {
        write(source.db(), &format!("nuevo{i}"), i).await;
    }
    let first = shipper.tick(source.db()).await.unwrap().unwrap();
    let head = all_events(source.db()).await.last().unwrap().position;
    assert_eq!(first[0].0, "local_copy");
    assert_eq!(*first[0].1.as_ref().unwrap(), head);
    for i in 0..3 {
        write(source.db(), "nuevo0", 10 + i).await;
    }
    let second = shipper.tick(source.db()).await.unwrap().unwrap();
    let head = all_events(source.db()).await.last().unwrap().position;
    assert_eq!(*second[0].1.as_ref().unwrap(), head);

    let target = Target::open(&settings.targets[0], settings.remote_timeouts)
        .await
        .unwrap();
    let shipped = segments::list(&target).await.unwrap();
    assert_eq!(shipped.len(), 2, "one segment per tick with new events");
    assert_eq!(
        shipped[0].after, 0,
        "the first shipment starts at the log's start"
    );
    assert_eq!(
        shipped[1].after, shipped[0].last,
        "segments follow each other"
    );
    let lags = shipping::lags(source.db(), &settings, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!((lags[0].pending, lags[0].seconds), (0, 0), "{lags:?}");

    // The local folder is gone with the server: the restore reads the destination alone.
    drop(backups);
    let fresh = TestStore::new(copy(&restored_on)).await;
    let report = restore_latest(&fresh, &settings, "local_copy")
        .await
        .unwrap();
    assert_eq!(report.last_position, head);
    assert_eq!(report.hole, None);
    assert_eq!(
        all_events(fresh.db()).await,
        as_kept_by(&restored_on, all_events(source.db()).await)
    );

    // One more command not shipped yet: the page shows it pending.
    write(source.db(), "nuevo1", 20).await;
    let lags = shipping::lags(source.db(), &settings, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(lags[0].pending, 1);
}
both_engines!(
    set_and_segments_restore_everything_engines,
    super::set_and_segments_restore_everything
);

/// A segment changed on the destination is refused by its checksum and nothing is restored; a lost
/// segment ends the restore before it, and the report says where.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn damaged_and_missing_segments() {
    let source = TestStore::new(Engine::Sqlite).await;
    let backups = tempfile::tempdir().unwrap();
    let remote = tempfile::tempdir().unwrap();
    let settings = shipping_to(backups.path(), folder(remote.path()));
    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    for round in 0..3 {
        write(source.db(), &format!("local{round}"), round).await;
        shipper.tick(source.db()).await.unwrap().unwrap();
    }
    let target = Target::open(&settings.targets[0], settings.remote_timeouts)
        .await
        .unwrap();
    let shipped = segments::list(&target).await.unwrap();
    assert_eq!(shipped.len(), 3);
    let path_of = |s: &segments::Segment| remote.path().join("segmentos").join(&s.file_name);

    let mut bytes = std::fs::read(path_of(&shipped[1])).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(path_of(&shipped[1]), &bytes).unwrap();
    let fresh = TestStore::new(Engine::Sqlite).await;
    let err = restore_latest(&fresh, &settings, "local_copy")
        .await
        .expect_err("a changed segment");
    assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
    assert!(all_events(fresh.db()).await.is_empty(), "nothing restored");

    std::fs::remove_file(path_of(&shipped[1])).unwrap();
    let report = restore_latest(&fresh, &settings, "local_copy")
        .await
        .unwrap();
    assert_eq!(report.hole, Some(shipped[0].last));
    assert_eq!(report.last_position, shipped[0].last);
}

/// With encryption on, segments are age files: the identity restores them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn encrypted_segments() {
    use age::secrecy::ExposeSecret;
    let source = TestStore::new(Engine::Postgres).await;
    let backups = tempfile::tempdir().unwrap();
    let remote = tempfile::tempdir().unwrap();
    let mut settings = shipping_to(backups.path(), folder(remote.path()));
    let identity = age::x25519::Identity::generate();
    let identity_file = remote.path().join("key.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    settings.encryption_recipients = vec![identity.to_public().to_string()];
    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    write(source.db(), "cifrado", 1).await;
    shipper.tick(source.db()).await.unwrap().unwrap();
    let target = Target::open(&settings.targets[0], settings.remote_timeouts)
        .await
        .unwrap();
    let shipped = segments::list(&target).await.unwrap();
    assert!(shipped[0].encrypted && shipped[0].file_name.ends_with(".jsonl.gz.age"));

    let fresh = TestStore::new(Engine::Sqlite).await;
    let err = restore_latest(&fresh, &settings, "local_copy")
        .await
        .expect_err("no identity configured");
    assert!(err.is_usage(), "{err}");
    settings.encryption_identity_file = Some(identity_file);
    restore_latest(&fresh, &settings, "local_copy")
        .await
        .unwrap();
    assert_eq!(
        all_events(fresh.db()).await,
        as_kept_by(&Engine::Sqlite, all_events(source.db()).await)
    );
}

/// The Done-when of issue 14: commands stream in while the shipper runs against moto S3; the server
/// dies mid-stream (its tasks aborted, nothing flushed); the other engine, from S3 alone, holds every
/// event that reached S3 before the kill.
async fn killed_mid_stream(engine: Engine) {
    let restored_on = other(&engine);
    let Some(target) = s3_target().await else {
        eprintln!("moto_server is not running: skipped");
        return;
    };
    let source = TestStore::new(engine).await;
    seed_raw(source.db(), 30).await;
    let backups = tempfile::tempdir().unwrap();
    let mut settings = shipping_to(backups.path(), target);
    // The measurement in docs/performance.md runs this at the default interval (10 000 ms).
    let interval_ms: u64 = env("BACKUP_TEST_SHIP_INTERVAL_MS").map_or(200, |v| v.parse().unwrap());
    settings.ship_interval = Some(Duration::from_millis(interval_ms));
    run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            remote: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    let (db, interval) = (source.db().clone(), settings.ship_interval.unwrap());
    let shipping = tokio::spawn(async move { shipping::run(&db, &shipper, interval).await });
    let db = source.db().clone();
    let commands = tokio::spawn(async move {
        for i in 0.. {
            write(&db, &format!("flujo{}", i % 5), i).await;
        }
    });
    // A moment the test does not choose: between 1.5 and 3 intervals into the stream, at random.
    let random = u64::from(u16::from_le_bytes([
        uuid::Uuid::new_v4().as_bytes()[0],
        uuid::Uuid::new_v4().as_bytes()[1],
    ]));
    let millis = interval_ms * 3 / 2 + random * (interval_ms * 3 / 2) / 65_535;
    tokio::time::sleep(Duration::from_millis(millis)).await;
    shipping.abort();
    commands.abort();
    let killed_at = chrono::Utc::now();
    let _ = shipping.await;
    let _ = commands.await;

    let remote = Target::open(&settings.targets[0], settings.remote_timeouts)
        .await
        .unwrap();
    let reached = segments::list(&remote)
        .await
        .unwrap()
        .iter()
        .map(|s| s.last)
        .max()
        .expect("segments were shipped before the kill");
    let fresh = TestStore::new(copy(&restored_on)).await;
    let report = restore_latest(&fresh, &settings, "s3").await.unwrap();
    assert_eq!(report.last_position, reached);
    let shipped: Vec<StoredEvent> = all_events(source.db())
        .await
        .into_iter()
        .filter(|e| e.position <= reached)
        .collect();
    assert!(
        shipped.len() > 30,
        "commands were shipped, not only the set"
    );
    // The loss window: acknowledged events (committed) that had not reached S3 at the kill.
    let lost: Vec<StoredEvent> = all_events(source.db())
        .await
        .into_iter()
        .filter(|e| e.position > reached)
        .collect();
    let window = lost.first().map_or(0.0, |e| {
        (killed_at - e.recorded_at).num_milliseconds() as f64 / 1000.0
    });
    eprintln!(
        "loss window: interval {interval_ms} ms, killed after {millis} ms, {} events committed, \
         {} not on the remote, the oldest of them {window:.1} s old at the kill",
        shipped.len() + lost.len(),
        lost.len()
    );
    assert_eq!(
        all_events(fresh.db()).await,
        as_kept_by(&restored_on, shipped),
        "every event shipped before the kill, and nothing else"
    );
}
both_engines!(
    killed_mid_stream_engines,
    super::killed_mid_stream,
    ignore = "needs moto_server: scripts/test starts it and runs ignored tests"
);

/// Retention removes the segments that end before the oldest set kept: no restore reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn segments_before_the_oldest_set_kept_are_pruned() {
    let source = TestStore::new(Engine::Sqlite).await;
    let backups = tempfile::tempdir().unwrap();
    let remote = tempfile::tempdir().unwrap();
    let settings = shipping_to(backups.path(), folder(remote.path()));
    let shipper = Shipper::open(&settings).await.unwrap().unwrap();
    write(source.db(), "antes", 1).await;
    shipper.tick(source.db()).await.unwrap().unwrap();
    run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            remote: Some(true),
            skip_retention: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    write(source.db(), "despues", 2).await;
    shipper.tick(source.db()).await.unwrap().unwrap();
    let target = Target::open(&settings.targets[0], settings.remote_timeouts)
        .await
        .unwrap();
    assert_eq!(segments::list(&target).await.unwrap().len(), 2);

    arriendo::backup::retention::prune_remote(
        &target,
        arriendo::backup::retention::Policy {
            keep_days: 30,
            ..Default::default()
        },
        false,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let left = segments::list(&target).await.unwrap();
    assert_eq!(left.len(), 1, "the segment before the set is gone");
    let fresh = TestStore::new(Engine::Sqlite).await;
    restore_latest(&fresh, &settings, "local_copy")
        .await
        .unwrap();
    assert_eq!(
        all_events(fresh.db()).await,
        all_events(source.db()).await,
        "the set and the segment after it still restore everything"
    );
}
