//! The restore drill: the newest set restored in full into a scratch store and checked (see
//! [`verify`]), from where a disaster would restore it.
//!
//! With remote destinations configured the drill restores the newest set of **each** destination,
//! downloaded from it: with several servers on one database the drill may run on a server whose own
//! folder holds no backup (another server wrote them), and what must be proven is that the copies
//! kept away from the servers restore. Without destinations only the server that wrote the newest
//! set holds it: the drill runs there (the scheduler lets that server claim the drill first, see
//! [`needs_writer`]), and a drill that lands elsewhere fails saying which server holds the set
//! rather than drilling an older copy. A failed drill is recorded with its error, mailed like a failed backup, and
//! raises the dashboard's «Respaldo» alert.

use super::runs::{self, RunOutcome, TargetOutcome};
use super::settings::BackupSettings;
use super::targets::Target;
use super::{manifest, naming, verify};
use crate::store::Db;

/// Without destinations: the newest set (recorded in the shared database) when this server's folder
/// does not hold it, with the server that wrote it. `None` when the drill can run here.
pub async fn needs_writer(db: &Db, settings: &BackupSettings) -> Option<(String, String)> {
    if !settings.targets.is_empty() {
        return None;
    }
    let (name, host) = match runs::newest_set(db).await {
        Ok(newest) => newest?,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the newest backup set");
            return None;
        }
    };
    let here = settings
        .output_dir
        .join(naming::manifest_name(&name))
        .is_file();
    (!here).then(|| (name, host.unwrap_or_else(|| "desconocido".into())))
}

/// What the drill checked at one place.
#[derive(Debug)]
pub struct DrillCheck {
    /// `local`, or the destination's name (`s3`, `sftp`, …).
    pub source: String,
    /// Where it is, for people (no credential).
    pub location: String,
    /// The set drilled there, when one was found.
    pub set: Option<String>,
    pub result: std::result::Result<verify::VerifyReport, String>,
}

/// Runs the drill; every place is checked even when an earlier one failed.
pub async fn drill(db: &Db, settings: &BackupSettings) -> Vec<DrillCheck> {
    if settings.targets.is_empty() {
        if let Some((set, host)) = needs_writer(db, settings).await {
            let location = settings.output_dir.display().to_string();
            return vec![DrillCheck {
                source: "local".into(),
                result: Err(format!(
                    "the newest backup set {set} was written by server {host}, and there is no backup \
                     set in this server's folder {location} with it: the drill runs on the server that \
                     wrote it, and that server did not take it (is it down?). With several servers, \
                     configure a remote destination (BACKUP_REMOTE_DESTINATION) so any server can drill it"
                )),
                location,
                set: Some(set),
            }];
        }
        return vec![drill_local(settings).await];
    }
    let mut checks = Vec::new();
    for config in &settings.targets {
        checks.push(drill_target(settings, config).await);
    }
    checks
}

async fn drill_local(settings: &BackupSettings) -> DrillCheck {
    let location = settings.output_dir.display().to_string();
    let newest = match manifest::list_local(&settings.output_dir) {
        Ok(sets) => sets.into_iter().next(),
        Err(e) => {
            return DrillCheck {
                source: "local".into(),
                location,
                set: None,
                result: Err(e.to_string()),
            };
        }
    };
    let Some(newest) = newest else {
        return DrillCheck {
            source: "local".into(),
            result: Err(format!(
                "no backup set in {location} (with several servers the sets may be in another \
                 server's folder: configure a remote destination, BACKUP_REMOTE_DESTINATION, so the \
                 drill restores from it)"
            )),
            location,
            set: None,
        };
    };
    let result = verify::verify_by_restoring(settings, &newest.name, None, None)
        .await
        .map_err(|e| e.to_string());
    DrillCheck {
        source: "local".into(),
        location,
        set: Some(newest.name),
        result,
    }
}

async fn drill_target(
    settings: &BackupSettings,
    config: &super::settings::TargetConfig,
) -> DrillCheck {
    let name = config.name().to_string();
    let target = match Target::open(config, settings.remote_timeouts).await {
        Ok(t) => t,
        Err(e) => {
            return DrillCheck {
                source: name,
                location: String::new(),
                set: None,
                result: Err(e.to_string()),
            };
        }
    };
    let location = target.location.clone();
    let newest = match target.manifests().await {
        Ok(sets) => sets.into_iter().next(),
        Err(e) => {
            return DrillCheck {
                source: name,
                location,
                set: None,
                result: Err(e.to_string()),
            };
        }
    };
    let Some(newest) = newest else {
        return DrillCheck {
            result: Err(format!(
                "destination {name} holds no backup set (are remote copies on? BACKUP_REMOTE_ENABLED)"
            )),
            source: name,
            location,
            set: None,
        };
    };
    let result = verify::verify_by_restoring(settings, &newest.name, Some(&name), None)
        .await
        .map_err(|e| e.to_string());
    DrillCheck {
        source: name,
        location,
        set: Some(newest.name),
        result,
    }
}

/// How a drill is recorded: the set and counts of the first place that restored, every place as a
/// destination outcome, and an error naming each place that failed.
pub fn outcome(checks: &[DrillCheck]) -> RunOutcome {
    let first_ok = checks.iter().find_map(|c| {
        c.result
            .as_ref()
            .ok()
            .map(|r| (c.set.clone(), r.events, r.last_position))
    });
    let failures: Vec<String> = checks
        .iter()
        .filter_map(|c| {
            c.result.as_ref().err().map(|e| {
                let set = c
                    .set
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                format!("{}{set}: {e}", c.source)
            })
        })
        .collect();
    RunOutcome {
        name: first_ok
            .as_ref()
            .and_then(|(set, ..)| set.clone())
            .or_else(|| checks.iter().find_map(|c| c.set.clone())),
        event_count: first_ok.as_ref().map(|(_, events, _)| *events),
        last_position: first_ok.as_ref().map(|(_, _, last)| *last),
        targets: checks
            .iter()
            .map(|c| TargetOutcome {
                target: c.source.clone(),
                location: c.location.clone(),
                ok: c.result.is_ok(),
                error: c.result.as_ref().err().cloned(),
            })
            .collect(),
        error: (!failures.is_empty())
            .then(|| format!("restore drill failed: {}", failures.join("; "))),
        ..Default::default()
    }
}
