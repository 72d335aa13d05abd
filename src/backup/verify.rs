//! Verify a backup: checksums, then every event read and checked as a restore would (domain checks,
//! positions, sequences, the chain of digests), and the event count, last position and digest compared
//! with the manifest. `backup verify` streams the file and touches no database, so it runs at the
//! speed of the disk; the weekly drill ([`verify_by_restoring`]) also restores the set into a scratch
//! store and rebuilds its read models.

use std::path::PathBuf;

use serde::Serialize;

use super::chain::{self, Pieces};
use super::error::{BackupError, Result};
use super::locate;
use super::manifest::{FileKind, Manifest};
use super::settings::BackupSettings;
use super::{dbfile, restore};
use crate::App;

#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub file: PathBuf,
    pub kind: FileKind,
    pub events: i64,
    pub last_position: i64,
    pub read_model_events: usize,
    pub checked_against_manifest: bool,
    /// The chain's digest after the file's last event (JSON files), checked against the digests the
    /// file carries and against its manifest's seal when there is one.
    pub chain_digest: Option<String>,
    /// The set's other files, each checked against the manifest's size and SHA-256 (and a plain
    /// database file opened and counted): a flipped byte in any file of a set fails the verify.
    #[serde(default)]
    pub other_files: Vec<String>,
    /// For an incremental set, the sets of its chain before it (its full set first), each read and
    /// checked as one log with it.
    #[serde(default)]
    pub chain: Vec<String>,
}

/// Checks a set without writing anything: the files against the manifest, and every event of the
/// JSON through the checking reader (`read_model_events` is 0).
pub async fn verify(
    settings: &BackupSettings,
    source: &str,
    from: Option<&str>,
    output_dir: Option<&std::path::Path>,
) -> Result<VerifyReport> {
    verify_with(settings, source, from, output_dir, false).await
}

/// [`verify`], with the JSON restored in full into a scratch store and its read models rebuilt:
/// what the restore drill proves.
pub async fn verify_by_restoring(
    settings: &BackupSettings,
    source: &str,
    from: Option<&str>,
    output_dir: Option<&std::path::Path>,
) -> Result<VerifyReport> {
    verify_with(settings, source, from, output_dir, true).await
}

async fn verify_with(
    settings: &BackupSettings,
    source: &str,
    from: Option<&str>,
    output_dir: Option<&std::path::Path>,
    by_restoring: bool,
) -> Result<VerifyReport> {
    let located = locate::locate(settings, source, from, output_dir, FileKind::Json).await?;
    let identity = settings.encryption_identity_file.as_deref();
    let limits = settings.restore_limits;
    let mut digest = None;
    let mut links = Vec::new();
    let (events, last_position, rebuilt) = match located.kind {
        FileKind::Json => {
            // An incremental set is checked with its whole chain, as one log: every link's files,
            // positions continuing from link to link, and the chain of digests across them.
            let (found, scratch) = super::links::of_located(settings, &located, from).await?;
            links = found;
            let pieces = Pieces {
                manifest: located.manifest.clone(),
                links: links.clone(),
                segments: Vec::new(),
                hole: None,
                _scratch: scratch,
            };
            let (summary, rebuilt) = if by_restoring {
                let scratch = tempfile::tempdir()
                    .map_err(|e| BackupError::io("cannot create a scratch folder", e))?;
                let app = App::open(None, scratch.path().to_path_buf())
                    .await
                    .map_err(|e| {
                        BackupError::Failed(format!("cannot open a scratch store: {e}"))
                    })?;
                let loaded = chain::load(&app.db, &pieces, identity, limits, None, false).await?;
                let rebuilt = app.projector.rebuild().await?;
                app.db.close().await;
                (loaded, rebuilt)
            } else {
                (chain::check(&pieces, identity, limits, None).await?.0, 0)
            };
            digest = summary.digest;
            (summary.events, summary.last_position, rebuilt)
        }
        FileKind::Db => {
            let name = located.file.to_string_lossy().to_string();
            let plain = name.strip_suffix(".age").unwrap_or(&name);
            if plain.ends_with(".pgdump") {
                dbfile::pg_list(settings, &located.file).await?;
                let m = located.manifest.as_ref();
                (
                    m.map_or(0, |m| m.event_count),
                    m.map_or(0, |m| m.last_position),
                    0,
                )
            } else if name.ends_with(".age") {
                return Err(BackupError::Config(
                    "verify an encrypted database file through its set's JSON".into(),
                ));
            } else {
                let (events, last) = restore::check_sqlite_file(&located.file).await?;
                (events, last, 0)
            }
        }
    };
    if let Some(m) = &located.manifest {
        // The JSON of every link was matched with its manifest as it was read.
        let consistent = located.kind == FileKind::Json
            || holds_what_it_states(m, located.kind, events, last_position);
        if !consistent {
            return Err(BackupError::Corrupt(format!(
                "restored {events} events up to position {last_position}, the manifest says {} up to {}",
                m.event_count, m.last_position
            )));
        }
    }
    let mut other_files = Vec::new();
    let mut chain = Vec::new();
    for link in links.iter().take(links.len().saturating_sub(1)) {
        let Some(m) = &link.manifest else { continue };
        let base = locate::Located {
            manifest: Some(m.clone()),
            file: link.file.clone(),
            kind: FileKind::Json,
            _scratch: None,
        };
        let checked = check_rest_of_set(settings, &base, from)
            .await
            .map_err(|e| super::links::in_link(link, e))?;
        other_files.extend(checked);
        chain.push(m.name.clone());
    }
    other_files.extend(check_rest_of_set(settings, &located, from).await?);
    Ok(VerifyReport {
        other_files,
        file: located.file.clone(),
        kind: located.kind,
        events,
        last_position,
        read_model_events: rebuilt,
        checked_against_manifest: located.manifest.is_some(),
        chain_digest: digest,
        chain,
    })
}

/// Whether a file of `kind` holding `events` up to `last` is what the manifest says. Since the
/// manifest states each file's position, the database file must hold exactly the set's events; in
/// older manifests it was taken after the JSON and may hold more, never fewer.
fn holds_what_it_states(manifest: &Manifest, kind: FileKind, events: i64, last: i64) -> bool {
    match manifest
        .file(kind)
        .and_then(|f| f.event_count.zip(f.last_position))
    {
        Some((count, position)) => events == count && last == position,
        None => events >= manifest.event_count && last >= manifest.last_position,
    }
}

/// Every file of the set besides the one verified above: present, with the manifest's size and
/// SHA-256, and a plain SQLite file opened with at least the manifest's events (it is taken after the
/// JSON). Remote sets are downloaded file by file to a scratch folder, under the targets' deadlines.
async fn check_rest_of_set(
    settings: &BackupSettings,
    located: &locate::Located,
    from: Option<&str>,
) -> Result<Vec<String>> {
    let Some(manifest) = &located.manifest else {
        return Ok(Vec::new());
    };
    let used = located
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let target = match from {
        Some(name) => {
            let config = settings.selected_targets(&[name.to_string()])?;
            Some(super::targets::Target::open(&config[0], settings.remote_timeouts).await?)
        }
        None => None,
    };
    let scratch =
        tempfile::tempdir().map_err(|e| BackupError::io("cannot create a scratch folder", e))?;
    let mut checked = Vec::new();
    for file in manifest.files.iter().filter(|f| f.name != used) {
        let path = match &target {
            Some(target) => {
                let local = scratch.path().join(&file.name);
                target.download(&file.name, file.size, &local).await?;
                local
            }
            None => located.file.with_file_name(&file.name),
        };
        if !path.is_file() {
            return Err(BackupError::Corrupt(format!(
                "{} is listed in the manifest of {} but is missing",
                file.name, manifest.name
            )));
        }
        locate::check(manifest, &path).await?;
        let plain_sqlite = file.kind == FileKind::Db
            && !file.name.ends_with(".age")
            && !file.name.ends_with(".pgdump");
        if plain_sqlite {
            let (events, last) = restore::check_sqlite_file(&path).await?;
            if !holds_what_it_states(manifest, file.kind, events, last) {
                return Err(BackupError::Corrupt(format!(
                    "{} holds {events} events up to position {last}, the manifest says {} up to {}",
                    file.name,
                    file.event_count.unwrap_or(manifest.event_count),
                    file.last_position.unwrap_or(manifest.last_position)
                )));
            }
        }
        checked.push(file.name.clone());
    }
    Ok(checked)
}
