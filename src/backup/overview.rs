//! What an administrador needs to know about how backups run, for the Respaldos page: the schedules
//! and their next run in the configured time zone, retention, destinations (where, never a
//! credential), encryption, and whether every copy lives on the database's own disk.

use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::settings::{BackupSettings, TargetConfig};
use super::targets;
use crate::store::Db;

/// A destination as people see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    pub name: String,
    /// `s3://bucket/prefix`, `sftp://user@host:22/path`, a folder: no credential.
    pub location: String,
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub schedule: String,
    pub next_backup: Option<DateTime<Tz>>,
    pub drill_schedule: String,
    pub next_drill: Option<DateTime<Tz>>,
    pub timezone: Tz,
    pub keep_days: u32,
    /// A scheduled full set every this many days, incrementals between (0: only full sets).
    pub full_every_days: u32,
    pub compress: bool,
    pub remote_enabled: bool,
    pub destinations: Vec<Destination>,
    /// Destinations named but not fully configured (their messages).
    pub destination_errors: Vec<String>,
    /// How many keys the files are encrypted to (0: not encrypted).
    pub encryption_recipients: usize,
    /// Every copy (the backup folder, and folder destinations) is on the database's disk, and no
    /// destination elsewhere is on: one failing disk takes the data and its backups.
    pub same_disk: bool,
    /// Seconds between shipments of new events to the destinations; `None`: shipping is off.
    pub ship_interval_secs: Option<u64>,
    /// How far behind each destination is (when shipping is on).
    pub shipping: Vec<super::shipping::Lag>,
}

/// The next time after `after` that `cron` (six fields, seconds first, as the scheduler reads it)
/// fires in `tz`; `None` for an expression the scheduler would refuse too.
pub fn next_run(cron: &str, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let parsed = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .dom_and_dow(true)
        .build()
        .parse(cron)
        .ok()?;
    parsed
        .find_next_occurrence(&after.with_timezone(&tz), false)
        .ok()
}

pub async fn overview(db: &Db, settings: &BackupSettings, now: DateTime<Utc>) -> Overview {
    let destinations = settings
        .targets
        .iter()
        .map(|t| Destination {
            name: t.name().to_string(),
            location: targets::describe(t).1,
        })
        .collect();
    let same_disk = match database_device(db).await {
        Some(device) => every_copy_on(device, settings),
        None => false,
    };
    let shipping_on = settings.remote_enabled && !settings.targets.is_empty();
    let ship_interval_secs = settings
        .ship_interval
        .filter(|_| shipping_on)
        .map(|i| i.as_secs());
    let shipping = if ship_interval_secs.is_some() {
        super::shipping::lags(db, settings, now)
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot read the log shipping lag");
                Vec::new()
            })
    } else {
        Vec::new()
    };
    Overview {
        ship_interval_secs,
        shipping,
        next_backup: next_run(&settings.schedule, settings.timezone, now),
        next_drill: next_run(&settings.drill_schedule, settings.timezone, now),
        schedule: settings.schedule.clone(),
        drill_schedule: settings.drill_schedule.clone(),
        timezone: settings.timezone,
        keep_days: settings.keep_days,
        full_every_days: settings.full_every_days,
        compress: settings.compress,
        remote_enabled: settings.remote_enabled,
        destinations,
        destination_errors: settings.target_errors.clone(),
        encryption_recipients: settings.encryption_recipients.len(),
        same_disk,
    }
}

/// Whether every copy of the backups is on `device`.
fn every_copy_on(device: u64, settings: &BackupSettings) -> bool {
    let mut copies = vec![settings.output_dir.clone()];
    if settings.remote_enabled {
        for target in &settings.targets {
            match target {
                TargetConfig::LocalCopy { path, .. } => copies.push(path.clone()),
                // A bucket or a server elsewhere.
                _ => return false,
            }
        }
    }
    copies.iter().all(|c| device_of(c) == Some(device))
}

/// The device of the database's files: the SQLite file's folder, or the data directory of a
/// PostgreSQL server on this machine (when the role may read it); `None` when unknown.
async fn database_device(db: &Db) -> Option<u64> {
    match db {
        Db::Sqlite(pool) => device_of(pool.connect_options().get_filename()),
        Db::Postgres(pool) => {
            let options = pool.connect_options();
            let host = options.get_host();
            let local = host.starts_with('/') || matches!(host, "localhost" | "127.0.0.1" | "::1");
            if !local {
                return None;
            }
            let dir: String = sqlx::query_scalar("SHOW data_directory")
                .fetch_one(pool)
                .await
                .ok()?;
            device_of(Path::new(&dir))
        }
    }
}

/// The device holding `path`, or its nearest existing folder (a backup folder not yet created).
#[cfg(unix)]
pub fn device_of(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    path.ancestors()
        .find_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.dev())
}

#[cfg(not(unix))]
pub fn device_of(_path: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn next_runs_are_read_in_the_schedule_time_zone() {
        let tz = chrono_tz::America::Bogota;
        // 2026-12-02 05:00 UTC is 00:00 in Bogotá: the next 02:00 there is 07:00 UTC the same day.
        let now = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 5, 0, 0).unwrap();
        let next = super::next_run("0 0 2 * * *", tz, now).unwrap();
        assert_eq!(
            next.format("%d/%m/%Y %H:%M").to_string(),
            "02/12/2026 02:00"
        );
        assert_eq!(
            next.with_timezone(&chrono::Utc),
            chrono::Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).unwrap()
        );
        // 2026-12-02 is a Wednesday: the Sunday drill is on the 6th.
        let drill = super::next_run("0 0 4 * * Sun", tz, now).unwrap();
        assert_eq!(
            drill.format("%d/%m/%Y %H:%M").to_string(),
            "06/12/2026 04:00"
        );
        assert!(super::next_run("every day at two", tz, now).is_none());
    }
}
