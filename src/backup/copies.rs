//! After a set is complete: its remote copies (the data files, then the manifest) and retention, in
//! the local folder and on every destination the set reached.

use std::path::Path;

use chrono::Utc;

use super::error::Result;
use super::manifest::Manifest;
use super::naming;
use super::retention::{self, Policy, Pruned};
use super::runs::TargetOutcome;
use super::targets::Target;

/// Copies the set to every target; one outcome per target, whatever happened to the others.
pub async fn copy(targets: &[Target], dir: &Path, manifest: &Manifest) -> Vec<TargetOutcome> {
    let mut outcomes = Vec::new();
    for target in targets {
        let result: Result<()> = async {
            for f in &manifest.files {
                target.upload(&dir.join(&f.name), &f.name).await?;
            }
            let manifest_name = naming::manifest_name(&manifest.name);
            target
                .upload(&dir.join(&manifest_name), &manifest_name)
                .await
        }
        .await;
        match &result {
            Ok(()) => {
                tracing::info!(target_name = %target.name, location = %target.location, "copied")
            }
            Err(e) => tracing::error!(target_name = %target.name, error = %e, "remote copy failed"),
        }
        outcomes.push(TargetOutcome {
            target: target.name.clone(),
            location: target.location.clone(),
            ok: result.is_ok(),
            error: result.err().map(|e| e.to_string()),
        });
    }
    outcomes
}

/// What retention did after a run: locally, and on each destination the set reached.
#[derive(Default)]
pub struct Retained {
    pub local: Pruned,
    pub remote: Vec<(String, Pruned)>,
}

/// Applies `policy` to the local folder and to every target whose copy succeeded (a failing remote
/// retention is logged: the set itself is safe).
pub async fn prune(
    dir: &Path,
    targets: &[Target],
    outcomes: &[TargetOutcome],
    policy: Policy,
) -> Result<Retained> {
    let local = retention::prune_local(dir, policy, false, Utc::now())?;
    let mut remote = Vec::new();
    for (target, outcome) in targets.iter().zip(outcomes) {
        if !outcome.ok {
            continue;
        }
        match retention::prune_remote(target, policy, false, Utc::now()).await {
            Ok(pruned) => remote.push((target.name.clone(), pruned)),
            Err(e) => {
                tracing::error!(target_name = %target.name, error = %e, "remote retention failed")
            }
        }
    }
    Ok(Retained { local, remote })
}
