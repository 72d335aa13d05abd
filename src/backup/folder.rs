//! The output folder during a run: one backup at a time per folder, and the progress bar.

use std::io::IsTerminal;
use std::path::Path;

use super::error::{BackupError, Result};

/// Holds the output folder's lock file: one backup at a time per folder, across processes.
pub struct FolderLock {
    _file: std::fs::File,
}

pub fn lock(dir: &Path) -> Result<FolderLock> {
    let path = dir.join(".arriendo-backup.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| BackupError::io(format!("cannot open {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => Ok(FolderLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::Failed(format!(
            "another backup is running in {}",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(BackupError::io(
            format!("cannot lock {}", path.display()),
            e,
        )),
    }
}

pub fn progress_bar(progress: bool, total: u64) -> indicatif::ProgressBar {
    if progress && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} eventos ({eta})")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    }
}
