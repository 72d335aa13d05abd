//! Which backup sets to keep: the last N days (`--keep-days`, 30 by default, 0 keeps everything),
//! plus the newest set of each of the last N days, weeks and months (`--keep-daily/weekly/monthly`).
//! The newest set is never deleted, nor any set a kept incremental set needs to be restored (its
//! full set and the incrementals between): every chain kept stays restorable.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::{DateTime, Datelike, Utc};

use super::error::{BackupError, Result};
use super::manifest::{self, Manifest};
use super::naming;
use super::targets::Target;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub keep_days: u32,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
}

/// What retention deleted (or would, in a dry run), and what it kept only because a kept incremental
/// set needs it: `(set, the kept set that needs it)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Pruned {
    pub deleted: Vec<String>,
    pub kept_for_chain: Vec<(String, String)>,
}

/// [`expired`] over complete sets, keeping every link a kept set's chain needs.
fn expired_sets(manifests: &[Manifest], policy: Policy, now: DateTime<Utc>) -> Pruned {
    let names: Vec<String> = manifests.iter().map(|m| m.name.clone()).collect();
    let (deleted, kept_for_chain) =
        super::incremental::keep_chains(manifests, expired(&names, policy, now));
    for (set, by) in &kept_for_chain {
        tracing::info!(set = %set, needed_by = %by, "kept by retention: a kept incremental set needs it");
    }
    Pruned {
        deleted,
        kept_for_chain,
    }
}

impl Policy {
    fn keeps_everything(&self) -> bool {
        self.keep_days == 0
            && self.keep_daily == 0
            && self.keep_weekly == 0
            && self.keep_monthly == 0
    }
}

/// The names (of `sets`, any order) to delete under `policy` at `now`.
pub fn expired(sets: &[String], policy: Policy, now: DateTime<Utc>) -> Vec<String> {
    if policy.keeps_everything() {
        return Vec::new();
    }
    let mut dated: Vec<(DateTime<Utc>, &String)> = sets
        .iter()
        .filter_map(|s| naming::parse_stamp(s).map(|t| (t, s)))
        .collect();
    dated.sort_by_key(|d| std::cmp::Reverse(d.0)); // newest first
    let mut keep: HashSet<&String> = HashSet::new();
    if let Some((_, newest)) = dated.first() {
        keep.insert(newest);
    }
    if policy.keep_days > 0 {
        let limit = now - chrono::Duration::days(i64::from(policy.keep_days));
        keep.extend(dated.iter().filter(|(t, _)| *t >= limit).map(|(_, s)| *s));
    }
    let mut bucket = |count: u32, key: &dyn Fn(&DateTime<Utc>) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for (t, s) in &dated {
            if seen.len() >= count as usize {
                break;
            }
            if seen.insert(key(t)) {
                keep.insert(s);
            }
        }
    };
    bucket(policy.keep_daily, &|t| (t.year(), t.ordinal()));
    bucket(policy.keep_weekly, &|t| {
        (t.iso_week().year(), t.iso_week().week())
    });
    bucket(policy.keep_monthly, &|t| (t.year(), t.month()));
    dated
        .iter()
        .filter(|(_, s)| !keep.contains(s))
        .map(|(_, s)| (*s).clone())
        .collect()
}

/// Applies the policy to a local folder; returns the sets deleted (or that would be, with `dry_run`)
/// and those kept for a chain.
/// Also removes files of killed runs: hidden `.partial` files and files of sets without a manifest
/// that are older than an hour (the caller holds the folder's backup lock).
pub fn prune_local(
    dir: &Path,
    policy: Policy,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Pruned> {
    let manifests = manifest::list_local(dir)?;
    let names: Vec<String> = manifests.iter().map(|m| m.name.clone()).collect();
    let pruned = expired_sets(&manifests, policy, now);
    let expired = &pruned.deleted;
    let complete: HashSet<&String> = names.iter().collect();
    let mut orphans = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().to_string();
            if naming::is_partial(&file_name) {
                orphans.push(entry.path());
            } else if let Some(set) = naming::set_of_file(&file_name)
                && !complete.contains(&set)
                && naming::parse_stamp(&set).is_some_and(|t| now - t > chrono::Duration::hours(1))
            {
                orphans.push(entry.path());
            }
        }
    }
    if dry_run {
        return Ok(pruned);
    }
    for path in orphans {
        tracing::info!(file = %path.display(), "removing an incomplete backup file");
        let _ = std::fs::remove_file(path);
    }
    for name in expired {
        if let Some(m) = manifests.iter().find(|m| &m.name == name) {
            delete_local_set(dir, m)?;
        }
    }
    Ok(pruned)
}

/// Removes what killed runs left in `dir`: hidden `.partial` files (plaintext snapshots included) and
/// the `-journal` files SQLite leaves beside them, when older than `before` (the start of the run
/// that calls this while holding the folder's backup lock). Returns the files removed.
pub fn remove_stale_partials(dir: &Path, before: std::time::SystemTime) -> Vec<std::path::PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let partial = naming::is_partial(&name)
            || (name.starts_with('.')
                && name
                    .strip_suffix("-journal")
                    .is_some_and(|n| n.ends_with(naming::PARTIAL_SUFFIX)));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < before);
        if partial && old {
            let path = entry.path();
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    tracing::warn!(file = %path.display(), "removed a partial file left by a killed backup");
                    removed.push(path);
                }
                Err(e) => {
                    tracing::error!(file = %path.display(), error = %e, "cannot remove a partial file")
                }
            }
        }
    }
    removed
}

/// Deletes a local set, its manifest first so a half-deleted set never looks complete.
pub fn delete_local_set(dir: &Path, m: &Manifest) -> Result<()> {
    let manifest_path = dir.join(naming::manifest_name(&m.name));
    std::fs::remove_file(&manifest_path)
        .map_err(|e| BackupError::io(format!("cannot delete {}", manifest_path.display()), e))?;
    for f in &m.files {
        match std::fs::remove_file(dir.join(&f.name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(BackupError::io(format!("cannot delete {}", f.name), e)),
        }
    }
    Ok(())
}

/// Applies the policy to a remote target.
pub async fn prune_remote(
    target: &Target,
    policy: Policy,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Pruned> {
    let manifests = target.manifests().await?;
    let pruned = expired_sets(&manifests, policy, now);
    let expired = &pruned.deleted;
    if !dry_run {
        for name in expired {
            if let Some(m) = manifests.iter().find(|m| &m.name == name) {
                target.delete_set(m).await?;
            }
        }
        // Shipped segments that end before the oldest set kept serve no restore any more.
        let oldest_kept = manifests
            .iter()
            .filter(|m| !expired.contains(&m.name))
            .filter(|m| m.file(super::manifest::FileKind::Json).is_some())
            .map(|m| m.last_position)
            .min();
        if let Some(floor) = oldest_kept {
            let mut removed = 0;
            for segment in super::segments::list(target).await? {
                if segment.last <= floor {
                    super::segments::delete(target, &segment).await?;
                    removed += 1;
                }
            }
            if removed > 0 {
                tracing::info!(target_name = %target.name, removed, floor,
                    "shipped segments older than the oldest set kept removed");
            }
        }
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn set(days_ago: i64, now: DateTime<Utc>) -> String {
        naming::set_name(now - chrono::Duration::days(days_ago))
    }

    #[test]
    fn keeps_days_and_never_the_newest() {
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 7, 0, 0).unwrap();
        let sets: Vec<String> = (0..40).map(|d| set(d, now)).collect();
        let gone = expired(
            &sets,
            Policy {
                keep_days: 30,
                ..Default::default()
            },
            now,
        );
        assert_eq!(gone.len(), 9, "{gone:?}");
        assert!(!gone.contains(&set(30, now)));
        let old_only = vec![set(100, now), set(200, now)];
        let gone = expired(
            &old_only,
            Policy {
                keep_days: 30,
                ..Default::default()
            },
            now,
        );
        assert_eq!(gone, vec![set(200, now)], "the newest good backup stays");
        assert!(
            expired(&sets, Policy::default(), now).is_empty(),
            "0 days keeps everything"
        );
    }

    #[test]
    fn long_term_plan() {
        let now = Utc.with_ymd_and_hms(2025, 12, 31, 7, 0, 0).unwrap();
        let sets: Vec<String> = (0..365).map(|d| set(d, now)).collect();
        let policy = Policy {
            keep_days: 7,
            keep_daily: 0,
            keep_weekly: 8,
            keep_monthly: 12,
        };
        let kept = sets.len() - expired(&sets, policy, now).len();
        // 7 days + up to 8 weekly + 12 monthly, overlapping.
        assert!((20..=27).contains(&kept), "kept {kept}");
    }
}
