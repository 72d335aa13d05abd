//! Finds a backup by file path or set name, locally or on a remote target (downloaded to a scratch
//! folder), and checks its files against the manifest before anything uses them.

use std::path::{Path, PathBuf};

use super::error::{BackupError, Result};
use super::manifest::{FileKind, Manifest};
use super::naming;
use super::pipeline;
use super::settings::BackupSettings;
use super::targets::Target;

pub struct Located {
    pub manifest: Option<Manifest>,
    /// The file to use.
    pub file: PathBuf,
    pub kind: FileKind,
    /// Keeps downloaded files alive.
    pub _scratch: Option<tempfile::TempDir>,
}

fn kind_of(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.contains(".json") {
        FileKind::Json
    } else {
        FileKind::Db
    }
}

/// Resolves `source` (a path, a set name or a file name) to a checked file. `prefer` picks the file of
/// a set (JSON unless the database file is asked for).
pub async fn locate(
    settings: &BackupSettings,
    source: &str,
    from: Option<&str>,
    output_dir: Option<&Path>,
    prefer: FileKind,
) -> Result<Located> {
    let set = naming::set_of_manifest(source)
        .map(str::to_string)
        .or_else(|| naming::parse_stamp(source).map(|_| source.to_string()))
        .or_else(|| {
            Path::new(source)
                .file_name()
                .and_then(|n| naming::set_of_file(&n.to_string_lossy()))
        });
    if let Some(target_name) = from {
        let set = set.ok_or_else(|| {
            BackupError::Config(format!(
                "{source:?} is not a backup name (backup_YYYYMMDD_HHMMSS)"
            ))
        })?;
        let config = settings.selected_targets(&[target_name.to_string()])?;
        let target = Target::open(&config[0], settings.remote_timeouts).await?;
        let manifest = target
            .manifests()
            .await?
            .into_iter()
            .find(|m| m.name == set)
            .ok_or_else(|| BackupError::NotFound(format!("{set} on target {target_name}")))?;
        let scratch = tempfile::tempdir()
            .map_err(|e| BackupError::io("cannot create a scratch folder", e))?;
        let wanted = explicit_kind(source).unwrap_or(prefer);
        let file = manifest
            .file(wanted)
            .or_else(|| manifest.files.first())
            .ok_or_else(|| BackupError::Corrupt(format!("{set} lists no file")))?
            .clone();
        let local = scratch.path().join(&file.name);
        target.download(&file.name, file.size, &local).await?;
        check(&manifest, &local).await?;
        return Ok(Located {
            manifest: Some(manifest),
            kind: file.kind,
            file: local,
            _scratch: Some(scratch),
        });
    }

    let path = Path::new(source);
    if path.is_file() && naming::set_of_manifest(&file_name(path)).is_none() {
        // A data file: its manifest, when beside it, must agree.
        let manifest = set
            .as_ref()
            .map(|s| path.with_file_name(naming::manifest_name(s)))
            .filter(|m| m.is_file())
            .map(|m| Manifest::load(&m))
            .transpose()?;
        if let Some(m) = &manifest {
            check(m, path).await?;
        }
        return Ok(Located {
            manifest,
            kind: kind_of(path),
            file: path.to_path_buf(),
            _scratch: None,
        });
    }
    let (dir, set) = if path.is_file() {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            set,
        )
    } else {
        (
            output_dir
                .map(Path::to_path_buf)
                .unwrap_or_else(|| settings.output_dir.clone()),
            set,
        )
    };
    let set = set.ok_or_else(|| {
        BackupError::NotFound(format!("{source} (neither a file nor a backup name)"))
    })?;
    let manifest_path = dir.join(naming::manifest_name(&set));
    if !manifest_path.is_file() {
        return Err(BackupError::NotFound(format!(
            "{} (no complete backup set of that name)",
            manifest_path.display()
        )));
    }
    let manifest = Manifest::load(&manifest_path)?;
    let file = manifest
        .file(prefer)
        .or_else(|| manifest.files.first())
        .ok_or_else(|| BackupError::Corrupt(format!("{set} lists no file")))?
        .clone();
    let local = dir.join(&file.name);
    check(&manifest, &local).await?;
    Ok(Located {
        manifest: Some(manifest),
        kind: file.kind,
        file: local,
        _scratch: None,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn explicit_kind(source: &str) -> Option<FileKind> {
    if source.starts_with("backup_db_") {
        Some(FileKind::Db)
    } else if source.contains(".json") && !source.ends_with(".manifest.json") {
        Some(FileKind::Json)
    } else {
        None
    }
}

/// The file's size and SHA-256 must be the manifest's.
pub async fn check(manifest: &Manifest, path: &Path) -> Result<()> {
    let name = file_name(path);
    let entry = manifest
        .files
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| {
            BackupError::Corrupt(format!(
                "{name} is not listed in the manifest of {}",
                manifest.name
            ))
        })?;
    let owned = path.to_path_buf();
    let (size, sha) = tokio::task::spawn_blocking(move || pipeline::hash_file(&owned))
        .await
        .map_err(|e| BackupError::Failed(e.to_string()))??;
    if size != entry.size || sha != entry.sha256 {
        return Err(BackupError::Corrupt(format!(
            "{name}: {size} bytes with SHA-256 {sha}, the manifest says {} bytes with {}",
            entry.size, entry.sha256
        )));
    }
    Ok(())
}
