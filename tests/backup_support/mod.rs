//! Shared by the backup tests: a small event generator (a Counter aggregate through the real command
//! path, and raw events with known times), settings pointing at a temporary folder, peers' settings.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use arriendo::backup::settings::{BackupSettings, SftpConfig, TargetConfig};
use arriendo::store::event_log::{self, StoredEvent};
use arriendo::store::{Db, Framework, Metadata};
use chrono::{DateTime, TimeZone, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

#[derive(Default, Serialize, Deserialize)]
pub struct Counter {
    total: i64,
}

#[derive(Debug)]
pub struct Add(pub i64);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CounterEvent {
    Added { amount: i64 },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        "Added".into()
    }
    fn event_version(&self) -> String {
        "1.0".into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CounterError(String);

impl Aggregate for Counter {
    const TYPE: &'static str = "counter";
    type Command = Add;
    type Event = CounterEvent;
    type Error = CounterError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Add,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), CounterError> {
        sink.write(CounterEvent::Added { amount: command.0 }, self)
            .await;
        Ok(())
    }

    fn apply(&mut self, event: CounterEvent) {
        let CounterEvent::Added { amount } = event;
        self.total += amount;
    }
}

pub fn counters(db: &Db) -> Framework<Counter> {
    Framework::new(db, (), Vec::new)
}

pub fn meta() -> Metadata {
    Metadata::new("tester", "req-backup")
}

/// The time of raw event `i` (one minute apart from 2025-01-01T00:00Z).
pub fn time_of(i: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(i)
}

/// `n` raw events over 7 aggregates with known positions (gaps included) and times.
pub async fn seed_raw(db: &Db, n: i64) {
    let mut tx = db.begin().await.unwrap();
    let mut sequences = [0i64; 7];
    for i in 1..=n {
        let agg = (i % 7) as usize;
        sequences[agg] += 1;
        let event = StoredEvent {
            position: i * 2, // gaps, as a PostgreSQL sequence leaves after rollbacks
            aggregate_type: "counter".into(),
            aggregate_id: format!("c{agg}"),
            sequence: sequences[agg],
            event_type: "Added".into(),
            event_version: "1.0".into(),
            payload: serde_json::json!({"Added": {"amount": i, "nota": "año ñandú \"comillas\"\n"}}),
            metadata: serde_json::json!({"user": format!("user{}", i % 3), "request_id": format!("r{i}")}),
            recorded_at: time_of(i),
        };
        event_log::append_raw(&mut tx, &event).await.unwrap();
    }
    event_log::resync_position_sequence(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

pub async fn all_events(db: &Db) -> Vec<StoredEvent> {
    event_log::read_after(db, 0, i64::MAX).await.unwrap()
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

/// Outside `scripts/test` a missing peer skips the test with a message; under `scripts/test`
/// (which sets `ARRIENDO_REQUIRE_PEERS`) a missing peer is a failure, so CI never passes by skipping.
pub fn skip(peer: &str) {
    assert!(
        std::env::var_os("ARRIENDO_REQUIRE_PEERS").is_none(),
        "{peer} is not running although scripts/test should have started it"
    );
    eprintln!("SKIPPED: {peer} is not running (start the tests with scripts/test)");
}
