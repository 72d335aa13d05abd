//! Byte pipelines for backup files: content → (gzip) → (age) → file, hashed as written; and back.
//! Everything here is blocking I/O, run on a blocking thread.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::{BackupError, Result};

/// Counts and hashes what goes through to the inner writer.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Encrypted {
    Plain(HashingWriter<File>),
    Age(age::stream::StreamWriter<HashingWriter<File>>),
}

impl Write for Encrypted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encrypted::Plain(w) => w.write(buf),
            Encrypted::Age(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encrypted::Plain(w) => w.flush(),
            Encrypted::Age(w) => w.flush(),
        }
    }
}

enum Top {
    // Both boxed: the encoder's state is hundreds of bytes more than the plain writer's.
    Raw(Box<BufWriter<Encrypted>>),
    Gz(Box<flate2::write::GzEncoder<BufWriter<Encrypted>>>),
}

/// A file being written under its temporary name; [`FileWriter::commit`] finishes every layer, syncs
/// and renames it to its final name. Dropped without commit, the temporary file is removed.
pub struct FileWriter {
    top: Option<Top>,
    partial: PathBuf,
    final_path: PathBuf,
}

/// What was written: final path, size and SHA-256 of the bytes on disk.
#[derive(Clone, Debug)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// One recipient of the encrypted files: an age public key (`age1…`) or an SSH public key
/// (`ssh-ed25519 AAAA…` or `ssh-rsa AAAA…`, as in `~/.ssh/id_ed25519.pub`, comment allowed).
pub fn parse_recipient(recipient: &str) -> Result<Box<dyn age::Recipient + Send>> {
    let text = recipient.trim();
    if text.starts_with("ssh-") {
        return text
            .parse::<age::ssh::Recipient>()
            .map(|r| Box::new(r) as Box<dyn age::Recipient + Send>)
            .map_err(|e| {
                BackupError::Config(format!(
                    "encryption recipient {}: not a usable SSH public key (ssh-ed25519 or ssh-rsa): {e:?}",
                    shorten(text)
                ))
            });
    }
    text.parse::<age::x25519::Recipient>()
        .map(|r| Box::new(r) as Box<dyn age::Recipient + Send>)
        .map_err(|e| {
            BackupError::Config(format!(
                "encryption recipient {}: not an age public key (age1…) nor an SSH public key: {e}",
                shorten(text)
            ))
        })
}

/// Every recipient parsed; the first bad one is the error.
pub fn parse_recipients(recipients: &[String]) -> Result<Vec<Box<dyn age::Recipient + Send>>> {
    recipients.iter().map(|r| parse_recipient(r)).collect()
}

/// A key shown in an error: its start, enough to tell which one.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        short.push('…');
    }
    format!("{short:?}")
}

impl FileWriter {
    pub fn create(
        partial: &Path,
        final_path: &Path,
        gzip: bool,
        recipients: &[String],
    ) -> Result<Self> {
        let file = File::create(partial)
            .map_err(|e| BackupError::io(format!("cannot create {}", partial.display()), e))?;
        let hashing = HashingWriter {
            inner: file,
            hasher: Sha256::new(),
            bytes: 0,
        };
        let encrypted = if recipients.is_empty() {
            Encrypted::Plain(hashing)
        } else {
            let parsed = parse_recipients(recipients)?;
            let encryptor = age::Encryptor::with_recipients(
                parsed.iter().map(|r| r.as_ref() as &dyn age::Recipient),
            )
            .map_err(|e| BackupError::Encryption(e.to_string()))?;
            Encrypted::Age(
                encryptor
                    .wrap_output(hashing)
                    .map_err(|e| BackupError::io("cannot start encryption", e))?,
            )
        };
        let buffered = BufWriter::with_capacity(256 * 1024, encrypted);
        let top = if gzip {
            Top::Gz(Box::new(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::default(),
            )))
        } else {
            Top::Raw(Box::new(buffered))
        };
        Ok(Self {
            top: Some(top),
            partial: partial.to_path_buf(),
            final_path: final_path.to_path_buf(),
        })
    }

    pub fn commit(mut self) -> Result<WrittenFile> {
        let ctx = |e| BackupError::io(format!("cannot finish {}", self.partial.display()), e);
        let top = self
            .top
            .take()
            .ok_or_else(|| BackupError::Failed("file already committed".into()))?;
        let buffered = match top {
            Top::Raw(b) => *b,
            Top::Gz(g) => (*g).finish().map_err(ctx)?,
        };
        let encrypted = buffered.into_inner().map_err(|e| ctx(e.into_error()))?;
        let mut hashing = match encrypted {
            Encrypted::Plain(h) => h,
            Encrypted::Age(w) => w.finish().map_err(ctx)?,
        };
        hashing.flush().map_err(ctx)?;
        hashing.inner.sync_all().map_err(ctx)?;
        let written = WrittenFile {
            path: self.final_path.clone(),
            size: hashing.bytes,
            sha256: hex::encode(hashing.hasher.finalize()),
        };
        std::fs::rename(&self.partial, &self.final_path).map_err(|e| {
            BackupError::io(
                format!(
                    "cannot rename {} to {}",
                    self.partial.display(),
                    self.final_path.display()
                ),
                e,
            )
        })?;
        sync_dir(&self.final_path);
        Ok(written)
    }
}

impl Write for FileWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.top {
            Some(Top::Raw(w)) => w.write(buf),
            Some(Top::Gz(w)) => w.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.top {
            Some(Top::Raw(w)) => w.flush(),
            Some(Top::Gz(w)) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for FileWriter {
    fn drop(&mut self) {
        if self.top.is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// A file that may hold plaintext (the database snapshot before it is encrypted): created empty with
/// mode 0600 so only the application's user can read it, and removed when dropped, on every exit
/// path (errors, a cancelled run). A killed process leaves it behind under its hidden `.partial`
/// name; the next run in the folder removes it ([`super::retention::remove_stale_partials`]).
pub struct PrivateFile {
    path: Option<PathBuf>,
}

impl PrivateFile {
    pub fn create(path: &Path) -> Result<Self> {
        let _ = std::fs::remove_file(path);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(path)
            .map_err(|e| BackupError::io(format!("cannot create {}", path.display()), e))?;
        Ok(Self {
            path: Some(path.to_path_buf()),
        })
    }

    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Renames it to `to` and stops removing it (an unencrypted set keeps the snapshot as is).
    pub fn persist(mut self, to: &Path) -> Result<()> {
        if let Some(path) = self.path.take() {
            if let Err(e) = std::fs::rename(&path, to) {
                self.path = Some(path);
                return Err(BackupError::io(
                    format!("cannot rename to {}", to.display()),
                    e,
                ));
            }
            sync_dir(to);
        }
        Ok(())
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(&path);
            // SQLite's VACUUM INTO may leave its journal beside the target.
            let _ = std::fs::remove_file(format!("{}-journal", path.display()));
        }
    }
}

/// Makes a rename durable (best effort: not every platform can sync a directory).
pub fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// SHA-256 and size of a file as it is on disk.
pub fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut file = File::open(path)
        .map_err(|e| BackupError::io(format!("cannot open {}", path.display()), e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| BackupError::io(format!("cannot read {}", path.display()), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(hasher.finalize())))
}

fn load_identities(identity_file: Option<&Path>) -> Result<Vec<Box<dyn age::Identity>>> {
    let path = identity_file.ok_or_else(|| {
        BackupError::Config(
            "the backup is encrypted: set BACKUP_ENCRYPTION_IDENTITY_FILE to the age identity file"
                .into(),
        )
    })?;
    let text = std::fs::read(path)
        .map_err(|e| BackupError::io(format!("cannot read identity file {}", path.display()), e))?;
    if text.starts_with(b"-----BEGIN OPENSSH PRIVATE KEY-----")
        || text.starts_with(b"-----BEGIN RSA PRIVATE KEY-----")
    {
        // The private half of an SSH recipient (ssh-ed25519 or ssh-rsa).
        let identity = age::ssh::Identity::from_buffer(
            std::io::Cursor::new(text),
            Some(path.display().to_string()),
        )
        .map_err(|e| BackupError::io(format!("cannot read SSH key {}", path.display()), e))?;
        return match identity {
            age::ssh::Identity::Unencrypted(_) => Ok(vec![Box::new(identity)]),
            age::ssh::Identity::Encrypted(_) => Err(BackupError::Config(format!(
                "the SSH key {} is protected by a passphrase: give an unprotected copy kept offline",
                path.display()
            ))),
            age::ssh::Identity::Unsupported(k) => Err(BackupError::Config(format!(
                "the SSH key {} is of an unsupported kind ({k:?}): use ssh-ed25519 or ssh-rsa",
                path.display()
            ))),
        };
    }
    age::IdentityFile::from_buffer(std::io::Cursor::new(text))
        .map_err(|e| BackupError::io(format!("cannot read identity file {}", path.display()), e))?
        .into_identities()
        .map_err(|e| BackupError::Encryption(e.to_string()))
}

/// `reader` (an age file named `what`) decrypted with the identities of `identity_file`.
pub fn decrypting<'a, R: Read + Send + 'a>(
    reader: R,
    identity_file: Option<&Path>,
    what: &str,
) -> Result<Box<dyn Read + Send + 'a>> {
    let identities = load_identities(identity_file)?;
    let decryptor = age::Decryptor::new(reader)
        .map_err(|e| BackupError::Corrupt(format!("not an age file: {e}")))?;
    Ok(Box::new(
        decryptor
            .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
            .map_err(|e| BackupError::Encryption(format!("cannot decrypt {what}: {e}")))?,
    ))
}

/// Opens a backup file for reading its content: age-decrypted when it ends in `.age`, gunzipped when
/// (then) it ends in `.gz`.
pub fn open_content(path: &Path, identity_file: Option<&Path>) -> Result<Box<dyn Read + Send>> {
    let file = File::open(path)
        .map_err(|e| BackupError::io(format!("cannot open {}", path.display()), e))?;
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut reader: Box<dyn Read + Send> = Box::new(BufReader::with_capacity(256 * 1024, file));
    if let Some(stripped) = name.strip_suffix(".age") {
        reader = decrypting(reader, identity_file, &path.display().to_string())?;
        name = stripped.to_string();
    }
    if name.ends_with(".gz") {
        reader = Box::new(flate2::read::GzDecoder::new(reader));
    }
    Ok(reader)
}

#[cfg(test)]
mod tests {
    use super::PrivateFile;

    #[test]
    fn private_files_are_0600_and_gone_when_dropped() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join(".snapshot.raw.partial");
        let file = PrivateFile::create(&path).expect("created");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        std::fs::write(file.path(), b"plaintext").expect("writable");
        drop(file);
        assert!(!path.exists(), "removed on drop");

        let kept = dir.path().join("kept");
        let file = PrivateFile::create(&path).expect("created again");
        file.persist(&kept).expect("renamed");
        assert!(kept.exists() && !path.exists());
    }
}
