//! Shared by the backup tests: events of a real aggregate (locales, which a restore accepts) written
//! through the command path or raw with known positions and times, settings pointing at a temporary
//! folder, peers' settings.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use arriendo::backup::settings::{BackupSettings, SftpConfig, TargetConfig};
use arriendo::store::event_log::{self, StoredEvent};
use arriendo::store::{Db, Framework, Metadata};
use arriendo_events::{Actor, Local, LocalCommand, LocalData, Role};
use chrono::{DateTime, TimeZone, Utc};

pub fn meta() -> Metadata {
    Metadata::new("tester", "req-backup")
}

fn data(key: &str, i: i64) -> LocalData {
    serde_json::from_value(local_payload(key, i)).unwrap()
}

/// A local's data as stored: one name per key (names are unique), location and area varying with `i`.
pub fn local_payload(key: &str, i: i64) -> serde_json::Value {
    serde_json::json!({
        "name": format!("Local {key}"),
        "location": format!("Piso {i}, año ñandú \"comillas\""),
        "area_m2": format!("{}.5", 10 + i % 90),
    })
}

/// One command through the real command path on local `key`: registered the first time, then updated.
pub async fn write(db: &Db, key: &str, i: i64) {
    let framework: Framework<Local> = Framework::new(db, (), arriendo_events::upcasters);
    let actor = Actor::new("tester", Role::Gestor);
    let data = data(key, i);
    // A local is one part: its version is the length of its stream.
    let seen = event_log::read_stream(db, "local", key)
        .await
        .unwrap()
        .len() as u64;
    let command = if seen > 0 {
        LocalCommand::UpdateLocal {
            actor,
            data,
            expected_version: seen,
        }
    } else {
        LocalCommand::RegisterLocal { actor, data }
    };
    framework.execute(key, command, meta()).await.unwrap();
}

/// The time of raw event `i` (one minute apart from 2025-01-01T00:00Z).
pub fn time_of(i: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(i)
}

/// Raw event `i` of a seed: local `c{i % 7}` at `sequence`, position `2 i`.
pub fn raw_event(i: i64, sequence: i64) -> StoredEvent {
    let key = format!("c{}", i % 7);
    let event_type = if sequence == 1 {
        "LocalRegistered"
    } else {
        "LocalUpdated"
    };
    StoredEvent {
        position: i * 2, // gaps, as a PostgreSQL sequence leaves after rollbacks
        aggregate_type: "local".into(),
        aggregate_id: key.clone(),
        sequence,
        event_type: event_type.into(),
        event_version: "1.0".into(),
        payload: serde_json::json!({ event_type: local_payload(&key, i) }),
        metadata: serde_json::json!({
            "user": format!("user{}", i % 3),
            "request_id": format!("r{i}"),
            "nota": "año ñandú \"comillas\"\n",
        }),
        recorded_at: time_of(i),
    }
}

/// `n` raw events over 7 locals with known positions (gaps included) and times.
pub async fn seed_raw(db: &Db, n: i64) {
    let mut tx = db.begin().await.unwrap();
    let mut sequences = [0i64; 7];
    for i in 1..=n {
        let agg = (i % 7) as usize;
        sequences[agg] += 1;
        event_log::append_raw(&mut tx, &raw_event(i, sequences[agg]))
            .await
            .unwrap();
    }
    event_log::resync_position_sequence(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Raw events `from..=to` continuing [`seed_raw`]: same locals, sequences, positions `2 i` and times.
pub async fn append_raw(db: &Db, from: i64, to: i64) {
    let mut tx = db.begin().await.unwrap();
    for i in from..=to {
        let sequence = (1..=i).filter(|j| j % 7 == i % 7).count() as i64;
        event_log::append_raw(&mut tx, &raw_event(i, sequence))
            .await
            .unwrap();
    }
    event_log::resync_position_sequence(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

pub async fn all_events(db: &Db) -> Vec<StoredEvent> {
    event_log::read_after(db, 0, i64::MAX).await.unwrap()
}

/// A JSON-only backup of `app` into the folder of `settings`, without remote copies.
pub async fn json_backup(
    app: &arriendo::App,
    settings: &BackupSettings,
) -> arriendo::backup::BackupReport {
    arriendo::backup::run_backup_with(
        app,
        settings,
        arriendo::backup::BackupOptions {
            format: arriendo::backup::Format::Json,
            output_dir: Some(settings.output_dir.clone()),
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

/// The set `name` of the folder of `settings` restored into `app` (an empty store).
pub async fn restore_set(
    app: &arriendo::App,
    settings: &BackupSettings,
    name: &str,
) -> arriendo::backup::restore::RestoreReport {
    let options = arriendo::backup::restore::RestoreOptions {
        source: name.to_string(),
        ..Default::default()
    };
    arriendo::backup::restore::restore(app, settings, &options)
        .await
        .unwrap()
}

/// Settings whose backup folder is `dir` itself.
pub fn settings(dir: &Path) -> BackupSettings {
    let mut s = BackupSettings::defaults(dir);
    s.output_dir = dir.to_path_buf();
    s
}

pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// An S3 target on the moto server the test command started, in a fresh bucket.
pub async fn s3_target() -> Option<TargetConfig> {
    let endpoint = env("BACKUP_TEST_S3_ENDPOINT")?;
    let bucket = format!("arriendo-{}", uuid::Uuid::new_v4().simple());
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    Some(TargetConfig::S3 {
        bucket,
        access_key: Some(arriendo::backup::settings::Secret::new("testing")),
        secret_key: Some(arriendo::backup::settings::Secret::new("testing")),
        region: "us-east-1".into(),
        endpoint: Some(endpoint),
        prefix: "arriendo/respaldos".into(),
    })
}

/// The sshd the test command started: key-only user, pinned host key, a fresh folder.
pub fn sftp_config() -> Option<SftpConfig> {
    Some(SftpConfig {
        host: "127.0.0.1".into(),
        port: env("BACKUP_TEST_SFTP_PORT")?.parse().unwrap(),
        user: env("BACKUP_TEST_SFTP_USER")?,
        password: None,
        key_file: Some(env("BACKUP_TEST_SFTP_KEY")?.into()),
        host_key_fingerprint: Some(env("BACKUP_TEST_SFTP_HOST_KEY_FINGERPRINT")?),
        known_hosts_file: None,
        path: format!(
            "{}/{}",
            env("BACKUP_TEST_SFTP_PATH")?,
            uuid::Uuid::new_v4().simple()
        ),
    })
}

/// The tests that need a peer are `#[ignore]`d, so a plain `cargo test` shows them as ignored;
/// `scripts/test` starts the peers, runs ignored tests and sets `ARRIENDO_REQUIRE_PEERS`, so there a
/// missing peer is a failure and CI never passes by skipping. Elsewhere (`--include-ignored` without
/// the peers) a missing peer skips the test with this message.
pub fn skip(peer: &str) {
    assert!(
        std::env::var_os("ARRIENDO_REQUIRE_PEERS").is_none(),
        "{peer} is not running although scripts/test should have started it"
    );
    eprintln!("SKIPPED: {peer} is not running (start the tests with scripts/test)");
}

/// Fires the scheduled restore drill on `app` now and returns the drill's run record.
pub async fn drill_now(
    app: &arriendo::app::App,
    settings: &BackupSettings,
    fired: DateTime<Utc>,
) -> arriendo::backup::runs::BackupRun {
    use arriendo::backup::runs::{self, RunKind};
    assert!(
        arriendo::backup::schedule::run_scheduled(app, settings, RunKind::Drill, fired)
            .await
            .unwrap()
    );
    runs::latest_of(&app.db, RunKind::Drill)
        .await
        .unwrap()
        .unwrap()
}
