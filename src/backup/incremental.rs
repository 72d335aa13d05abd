//! Incremental sets. The event log only grows, so a set after a full one can hold only the events
//! recorded since the set before it (its *base*): a chain is one full set and the incrementals after
//! it, each continuing where the one before ends — in positions (no gap, no overlap) and in the chain
//! of digests. Restoring or verifying an incremental set reads its whole chain; retention never
//! deletes a link a kept set needs.
//!
//! Which kind a run writes: `--full` (the CLI's default), `--incremental`, or what the schedule does
//! (`Mode::Auto`): a full set when the newest chain's full set is `BACKUP_FULL_EVERY_DAYS` old (7 by
//! default; 0 writes only full sets), an incremental one otherwise. A run that cannot continue the
//! newest set (none yet, a broken chain, a log restored or changed since) writes a full set and says
//! why.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::{BackupError, Result};
use super::json::Start;
use super::manifest::{self, FileKind, Manifest};
use crate::audit::canonical;
use crate::store::Db;

/// What kind of set a run writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Full,
    /// Continue the newest set whenever it can be continued.
    Incremental,
    /// Incremental until the chain's full set is `full_every_days` old, then full (the schedule).
    Auto,
}

/// The set a run continues.
#[derive(Clone, Debug)]
pub struct Base {
    pub manifest: Manifest,
    /// The full set of its chain.
    pub full: String,
    /// Where the new events continue from: the base's last position and digest.
    pub start: Start,
}

/// The base a run continues, or why it writes a full set (`None` when a full set was asked).
pub enum Plan {
    Incremental(Box<Base>),
    Full(Option<String>),
}

/// Chooses what a run in `dir` writes. The base is the newest complete set with a JSON file; it is
/// continued only when its whole chain is in `dir` and the store still holds the history it sealed
/// (same digest at its last position).
pub async fn plan(
    db: &Db,
    dir: &Path,
    mode: Mode,
    full_every_days: u32,
    now: DateTime<Utc>,
) -> Result<Plan> {
    if mode == Mode::Full || (mode == Mode::Auto && full_every_days == 0) {
        return Ok(Plan::Full(None));
    }
    let sets = manifest::list_local(dir)?;
    let Some(base) = sets.iter().find(|m| m.file(FileKind::Json).is_some()) else {
        return Ok(Plan::Full(Some(
            "no earlier set with the event log in the folder: a full set is written".into(),
        )));
    };
    let links = match resolve(&sets, base) {
        Ok(links) => links,
        Err(e) => {
            return Ok(Plan::Full(Some(format!(
                "the newest set cannot be continued ({e}): a full set is written"
            ))));
        }
    };
    let full = &links[0];
    let age = now - full.created_at;
    if mode == Mode::Auto && age >= chrono::Duration::days(i64::from(full_every_days)) {
        return Ok(Plan::Full(Some(format!(
            "the full set {} is {} day(s) old (BACKUP_FULL_EVERY_DAYS={full_every_days}): a new chain starts",
            full.name,
            age.num_days()
        ))));
    }
    let digest = match &base.chain {
        Some(seal) if seal.position == base.last_position => canonical::from_hex(&seal.digest),
        None if base.last_position == 0 => Some(canonical::GENESIS),
        _ => None,
    };
    let Some(digest) = digest else {
        return Ok(Plan::Full(Some(format!(
            "{} has no seal of the chain of digests at its last position: a full set is written",
            base.name
        ))));
    };
    if base.last_position > 0 {
        let stored = crate::audit::seal::digest_at(db, base.last_position).await?;
        if stored.as_deref().and_then(canonical::from_hex) != Some(digest) {
            return Ok(Plan::Full(Some(format!(
                "the log here is not the one {} holds at position {} (restored or changed since): a \
                 full set is written",
                base.name, base.last_position
            ))));
        }
    }
    Ok(Plan::Incremental(Box::new(Base {
        manifest: base.clone(),
        full: full.name.clone(),
        start: Start {
            after: base.last_position,
            digest,
        },
    })))
}

/// What an incremental set states about its place in the chain.
pub async fn increment(
    db: &Db,
    base: &Base,
    last_position: i64,
) -> Result<super::manifest::Increment> {
    let first = crate::store::event_log::read_after(db, base.start.after, 1)
        .await?
        .first()
        .map(|e| e.position)
        .filter(|p| *p <= last_position);
    Ok(super::manifest::Increment {
        base: base.manifest.name.clone(),
        base_sha256: base
            .manifest
            .file(FileKind::Json)
            .map(|f| f.sha256.clone())
            .unwrap_or_default(),
        full: base.full.clone(),
        after: base.start.after,
        first_position: first,
        start_digest: crate::audit::canonical::to_hex(&base.start.digest),
    })
}

fn broken(tip: &Manifest, what: String) -> BackupError {
    BackupError::Corrupt(format!("the chain of {} is broken: {what}", tip.name))
}

/// The chain of `tip` among `sets` (any order): its full set first, `tip` last. Every link must be
/// there, be the set its follower was taken after (the SHA-256 of its JSON), and end at the position
/// where its follower starts.
pub fn resolve(sets: &[Manifest], tip: &Manifest) -> Result<Vec<Manifest>> {
    let mut chain = vec![tip.clone()];
    let mut current = tip;
    while let Some(link) = &current.incremental {
        let base = sets.iter().find(|m| m.name == link.base).ok_or_else(|| {
            broken(
                tip,
                format!(
                    "link {} (the set {} continues) is missing",
                    link.base, current.name
                ),
            )
        })?;
        if base.name >= current.name {
            return Err(broken(
                tip,
                format!("link {} is not older than {}", base.name, current.name),
            ));
        }
        let sha = base.file(FileKind::Json).map(|f| f.sha256.as_str());
        if sha != Some(link.base_sha256.as_str()) {
            return Err(broken(
                tip,
                format!(
                    "link {}: its JSON's SHA-256 is {}, {} was taken after one whose SHA-256 is {}: \
                     it is not the same set",
                    base.name,
                    sha.unwrap_or("absent"),
                    current.name,
                    link.base_sha256
                ),
            ));
        }
        if base.last_position != link.after {
            return Err(broken(
                tip,
                format!(
                    "link {} ends at position {}, {} continues after position {}: a gap or an overlap",
                    base.name, base.last_position, current.name, link.after
                ),
            ));
        }
        chain.push(base.clone());
        current = base;
    }
    chain.reverse();
    if let Some(link) = &tip.incremental
        && chain[0].name != link.full
    {
        return Err(broken(
            tip,
            format!(
                "it starts at {}, its manifest says at the full set {}",
                chain[0].name, link.full
            ),
        ));
    }
    Ok(chain)
}

/// Retention over chains: of the names `expired` would delete among `sets`, those a kept set's chain
/// needs stay. Returns what is still deleted and, for each set kept for that reason, the kept set
/// that needs it.
pub fn keep_chains(
    sets: &[Manifest],
    expired: Vec<String>,
) -> (Vec<String>, Vec<(String, String)>) {
    let by_name: HashMap<&str, &Manifest> = sets.iter().map(|m| (m.name.as_str(), m)).collect();
    let doomed: HashSet<&str> = expired.iter().map(String::as_str).collect();
    let mut needed: Vec<(String, String)> = Vec::new();
    let mut needed_names: HashSet<String> = HashSet::new();
    let mut kept: Vec<&Manifest> = sets
        .iter()
        .filter(|m| !doomed.contains(m.name.as_str()))
        .collect();
    kept.sort_by(|a, b| b.name.cmp(&a.name));
    for set in kept {
        let mut current = set;
        while let Some(base) = current.base().and_then(|b| by_name.get(b)) {
            if doomed.contains(base.name.as_str()) && needed_names.insert(base.name.clone()) {
                needed.push((base.name.clone(), set.name.clone()));
            }
            current = base;
        }
    }
    let still = expired
        .into_iter()
        .filter(|n| !needed_names.contains(n))
        .collect();
    (still, needed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::manifest::{Increment, ManifestFile, SetKind};

    fn set(name: &str, last: i64, base: Option<(&str, &str, i64)>) -> Manifest {
        Manifest {
            manifest_format: 1,
            name: name.into(),
            app_version: "0".into(),
            engine: crate::store::Engine::Sqlite,
            created_at: Utc::now(),
            event_count: 1,
            last_position: last,
            duration_ms: 0,
            files: vec![ManifestFile {
                name: format!("{name}.json"),
                kind: FileKind::Json,
                size: 1,
                sha256: format!("sha-{name}"),
                compressed: false,
                encrypted: false,
                event_count: None,
                last_position: None,
            }],
            chain: None,
            kind: if base.is_some() {
                SetKind::Incremental
            } else {
                SetKind::Full
            },
            incremental: base.map(|(base, full, after)| Increment {
                base: base.into(),
                base_sha256: format!("sha-{base}"),
                full: full.into(),
                after,
                first_position: Some(after + 1),
                start_digest: "0".repeat(64),
            }),
        }
    }

    fn chain() -> Vec<Manifest> {
        vec![
            set("backup_20250101_000000", 10, None),
            set(
                "backup_20250102_000000",
                20,
                Some(("backup_20250101_000000", "backup_20250101_000000", 10)),
            ),
            set(
                "backup_20250103_000000",
                30,
                Some(("backup_20250102_000000", "backup_20250101_000000", 20)),
            ),
        ]
    }

    #[test]
    fn a_chain_resolves_from_its_full_set() {
        let sets = chain();
        let links = resolve(&sets, &sets[2]).unwrap();
        let names: Vec<&str> = links.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "backup_20250101_000000",
                "backup_20250102_000000",
                "backup_20250103_000000"
            ]
        );
        assert_eq!(resolve(&sets, &sets[0]).unwrap().len(), 1);
    }

    #[test]
    fn a_missing_changed_or_misplaced_link_is_named() {
        let mut sets = chain();
        sets.remove(1);
        let err = resolve(&sets, &sets[1]).unwrap_err().to_string();
        assert!(
            err.contains("link backup_20250102_000000") && err.contains("missing"),
            "{err}"
        );
        let mut sets = chain();
        sets[1].files[0].sha256 = "other".into();
        let err = resolve(&sets, &sets[2]).unwrap_err().to_string();
        assert!(err.contains("not the same set"), "{err}");
        let mut sets = chain();
        sets[1].last_position = 25;
        let err = resolve(&sets, &sets[2]).unwrap_err().to_string();
        assert!(err.contains("a gap or an overlap"), "{err}");
    }

    #[test]
    fn retention_keeps_what_a_kept_incremental_needs() {
        let sets = chain();
        let expired = vec![
            "backup_20250101_000000".to_string(),
            "backup_20250102_000000".to_string(),
        ];
        let (gone, kept) = keep_chains(&sets, expired);
        assert!(gone.is_empty(), "{gone:?}");
        assert_eq!(kept.len(), 2);
        assert!(kept.iter().all(|(_, by)| by == "backup_20250103_000000"));
        // Without the incrementals, the full set goes.
        let (gone, kept) = keep_chains(&sets[..1], vec!["backup_20250101_000000".into()]);
        assert_eq!(gone.len(), 1);
        assert!(kept.is_empty());
    }
}
