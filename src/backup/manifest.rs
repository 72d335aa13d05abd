//! The manifest written beside a backup set, last: it is what makes a set complete. Never holds a
//! credential.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{BackupError, Result};
use super::naming;
use crate::store::Engine;

pub const MANIFEST_FORMAT: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// The event log in global order (JSON).
    Json,
    /// The database file (SQLite snapshot or pg_dump archive).
    Db,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    pub sha256: String,
    pub compressed: bool,
    pub encrypted: bool,
    /// How many events this file holds and the last one's position: the JSON and the database
    /// file of one set hold the same events (absent in manifests written before this was stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_position: Option<i64>,
}

/// Whether a set holds the whole log or only the events after the set it follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SetKind {
    /// Every event from the first (manifests written before incrementals are all full).
    #[default]
    Full,
    /// Only the events after its base set (see [`Increment`]).
    Incremental,
}

/// What an incremental set continues: restoring it means restoring its chain, the full set and every
/// incremental after it in order (see [`super::incremental`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Increment {
    /// The set it follows (a full set or another incremental).
    pub base: String,
    /// The SHA-256 of the base's JSON file as its manifest states it: a base replaced by another set
    /// of the same name is not the base.
    pub base_sha256: String,
    /// The full set its chain starts from.
    pub full: String,
    /// It holds the events after this position (the base's last position)…
    pub after: i64,
    /// …from this one (absent when no event was recorded since the base) up to the manifest's
    /// `last_position`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_position: Option<i64>,
    /// The chain's digest at `after`: where the digests of its events continue from.
    pub start_digest: String,
}

/// The head of the chain of event digests the set seals (see [`crate::audit`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainSeal {
    /// The last position the set holds.
    pub position: i64,
    /// The chain's digest there (64 hex digits).
    pub digest: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub manifest_format: u32,
    pub name: String,
    pub app_version: String,
    pub engine: Engine,
    pub created_at: DateTime<Utc>,
    pub event_count: i64,
    pub last_position: i64,
    pub duration_ms: u64,
    pub files: Vec<ManifestFile>,
    /// Absent in manifests written before the chain existed, and when the store had no sealed event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainSeal>,
    /// Full or incremental; in an incremental set `event_count` counts the events it holds, not the
    /// whole log's.
    #[serde(default)]
    pub kind: SetKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental: Option<Increment>,
}

impl Manifest {
    pub fn file(&self, kind: FileKind) -> Option<&ManifestFile> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// The set an incremental follows, `None` for a full set.
    pub fn base(&self) -> Option<&str> {
        self.incremental.as_ref().map(|i| i.base.as_str())
    }

    /// Where the events of the set start after: 0 for a full set.
    pub fn after(&self) -> i64 {
        self.incremental.as_ref().map_or(0, |i| i.after)
    }

    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| BackupError::Corrupt(format!("invalid manifest: {e}")))?;
        if manifest.manifest_format != MANIFEST_FORMAT {
            return Err(BackupError::Corrupt(format!(
                "manifest format {} is not supported (expected {MANIFEST_FORMAT})",
                manifest.manifest_format
            )));
        }
        Ok(manifest)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|e| BackupError::io(format!("cannot read {}", path.display()), e))?;
        Self::parse(&bytes)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self)
            .map_err(|e| BackupError::Failed(format!("cannot encode manifest: {e}")))
    }

    /// Writes the manifest under a temporary name and renames it: the set becomes visible at once.
    pub fn write(&self, dir: &Path) -> Result<std::path::PathBuf> {
        let name = naming::manifest_name(&self.name);
        let final_path = dir.join(&name);
        let partial = dir.join(naming::partial_name(&name));
        let bytes = self.to_bytes()?;
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&partial)
                .map_err(|e| BackupError::io(format!("cannot create {}", partial.display()), e))?;
            f.write_all(&bytes)
                .map_err(|e| BackupError::io("cannot write manifest", e))?;
            f.sync_all()
                .map_err(|e| BackupError::io("cannot sync manifest", e))?;
        }
        std::fs::rename(&partial, &final_path)
            .map_err(|e| BackupError::io(format!("cannot rename {}", partial.display()), e))?;
        super::pipeline::sync_dir(&final_path);
        Ok(final_path)
    }
}

/// Every complete set in a local folder, newest first.
pub fn list_local(dir: &Path) -> Result<Vec<Manifest>> {
    let mut manifests = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(manifests),
        Err(e) => return Err(BackupError::io(format!("cannot list {}", dir.display()), e)),
    };
    for entry in entries {
        let entry =
            entry.map_err(|e| BackupError::io(format!("cannot list {}", dir.display()), e))?;
        let file_name = entry.file_name().to_string_lossy().to_string();
        if naming::set_of_manifest(&file_name).is_none() {
            continue;
        }
        match Manifest::load(&entry.path()) {
            Ok(m) => manifests.push(m),
            Err(e) => {
                tracing::warn!(file = %entry.path().display(), error = %e, "skipping unreadable manifest")
            }
        }
    }
    manifests.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(manifests)
}
