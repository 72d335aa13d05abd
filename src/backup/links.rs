//! The files of a chain of sets (a full set and the incrementals after it, see
//! [`super::incremental`]) gathered on this machine — from the backup folder or downloaded from a
//! destination — each checked against its manifest before anything reads it. A missing or damaged
//! link is an error that names it.

use std::path::Path;

use super::chain::Link;
use super::error::{BackupError, Result};
use super::incremental;
use super::json::End;
use super::locate;
use super::manifest::{self, FileKind, Manifest, ManifestFile};
use super::targets::Target;

/// `e` with the name of the link it happened in.
pub fn in_link(link: &Link, e: BackupError) -> BackupError {
    let name = link
        .manifest
        .as_ref()
        .map_or_else(|| link.file.display().to_string(), |m| m.name.clone());
    match e {
        BackupError::Corrupt(what) => BackupError::Corrupt(format!("link {name}: {what}")),
        BackupError::Io { context, source } => BackupError::Io {
            context: format!("link {name}: {context}"),
            source,
        },
        BackupError::Encryption(what) => BackupError::Encryption(format!("link {name}: {what}")),
        other => other,
    }
}

/// The JSON read from a set must hold what its manifest states: the events, the last position and,
/// when the manifest seals it, the chain's digest there.
pub fn holds_what_it_states(m: &Manifest, end: &End) -> Result<()> {
    let json = m.file(FileKind::Json);
    let count = json.and_then(|f| f.event_count).unwrap_or(m.event_count);
    let last = json
        .and_then(|f| f.last_position)
        .unwrap_or(m.last_position);
    if (end.count, end.last_position) != (count, last) {
        return Err(BackupError::Corrupt(format!(
            "restored {} events up to position {}, the manifest says {count} up to {last}",
            end.count, end.last_position
        )));
    }
    if let Some(seal) = &m.chain
        && seal.position == end.last_position
        && end.digest.as_deref() != Some(seal.digest.as_str())
    {
        return Err(BackupError::Corrupt(format!(
            "the chain of digests of the file ends in {}, the manifest sealed {} at position {}",
            end.digest.as_deref().unwrap_or("nothing"),
            seal.digest,
            seal.position
        )));
    }
    Ok(())
}

fn json_of(m: &Manifest) -> Result<&ManifestFile> {
    m.file(FileKind::Json).ok_or_else(|| {
        BackupError::Config(format!(
            "{} has no JSON event log (taken with --format db): restore its database file with \
             --db-file, or choose a set with the event log",
            m.name
        ))
    })
}

fn named(m: &Manifest, e: BackupError) -> BackupError {
    in_link(
        &Link {
            file: Default::default(),
            manifest: Some(m.clone()),
        },
        e,
    )
}

/// The JSON files of `tip`'s chain in the folder `dir`, oldest first, each checked against its
/// manifest (size and SHA-256).
pub async fn local(dir: &Path, tip: &Manifest) -> Result<Vec<Link>> {
    let sets = manifest::list_local(dir)?;
    let mut links = Vec::new();
    for m in incremental::resolve(&sets, tip)? {
        let file = json_of(&m)?;
        let path = dir.join(&file.name);
        if !path.is_file() {
            return Err(named(
                &m,
                BackupError::Corrupt(format!(
                    "{} is listed in its manifest but is missing",
                    file.name
                )),
            ));
        }
        locate::check(&m, &path).await.map_err(|e| named(&m, e))?;
        links.push(Link {
            file: path,
            manifest: Some(m),
        });
    }
    Ok(links)
}

/// Downloads the JSON files of `tip`'s chain from `target` (whose sets are `sets`) to a scratch
/// folder, each checked against its manifest.
pub async fn download(
    target: &Target,
    sets: &[Manifest],
    tip: &Manifest,
) -> Result<(Vec<Link>, tempfile::TempDir)> {
    let scratch =
        tempfile::tempdir().map_err(|e| BackupError::io("cannot create a scratch folder", e))?;
    let mut links = Vec::new();
    for m in incremental::resolve(sets, tip)? {
        let file = json_of(&m)?;
        let local = scratch.path().join(&file.name);
        target
            .download(&file.name, file.size, &local)
            .await
            .map_err(|e| named(&m, e))?;
        locate::check(&m, &local).await.map_err(|e| named(&m, e))?;
        links.push(Link {
            file: local,
            manifest: Some(m),
        });
    }
    Ok((links, scratch))
}

/// The links to read for a located JSON file: its chain when its set is incremental (from the
/// folder it is in, or from destination `from`), the file alone otherwise.
pub async fn of_located(
    settings: &super::settings::BackupSettings,
    located: &locate::Located,
    from: Option<&str>,
) -> Result<(Vec<Link>, Option<tempfile::TempDir>)> {
    let alone = Link {
        file: located.file.clone(),
        manifest: located.manifest.clone(),
    };
    let Some(tip) = located
        .manifest
        .as_ref()
        .filter(|m| m.incremental.is_some())
    else {
        return Ok((vec![alone], None));
    };
    match from {
        Some(name) => {
            let config = settings.selected_targets(&[name.to_string()])?;
            let target = Target::open(&config[0], settings.remote_timeouts).await?;
            let sets = target.manifests().await?;
            let (links, scratch) = download(&target, &sets, tip).await?;
            Ok((links, Some(scratch)))
        }
        None => {
            let dir = located.file.parent().unwrap_or(Path::new("."));
            Ok((local(dir, tip).await?, None))
        }
    }
}
