//! Files kept beside the event log (attachments, the company's logo): the event records what the
//! file is — its SHA-256, size, type and the name it was uploaded with — never its bytes.

use serde::{Deserialize, Serialize};

use super::bounds::check_line;
use crate::DomainError;

/// The largest attachment accepted (signed contracts are scanned PDFs of a few MB).
pub const MAX_DOCUMENT_BYTES: u64 = 10 * 1024 * 1024;
/// The largest logo accepted: it is embedded in every printed page.
pub const MAX_LOGO_BYTES: u64 = 512 * 1024;

const KB: u64 = 1024;
const MB: u64 = 1024 * 1024;

/// A size as people read it, in es-CO: `512 B`, `245 KB`, `1,5 MB`, `10 MB`.
pub fn format_size(bytes: u64) -> String {
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        let tenths = bytes.saturating_mul(10).div_ceil(MB);
        match tenths % 10 {
            0 => format!("{} MB", super::thousands(tenths / 10)),
            decimal => format!("{},{decimal} MB", super::thousands(tenths / 10)),
        }
    }
}

/// The only kinds of file kept: what the first bytes say, never what the browser or the name claim.
/// No HTML, SVG or office formats: nothing that a browser could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Pdf,
    Png,
    Jpeg,
}

impl MediaType {
    /// The type the content's first bytes announce, if it is one of those kept.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Png => "imagen PNG",
            MediaType::Jpeg => "imagen JPEG",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, MediaType::Png | MediaType::Jpeg)
    }
}

/// A file as the event log knows it. The bytes live in the document store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Lower-case hex SHA-256 of the content: its address in the store and its proof.
    pub sha256: String,
    pub size_bytes: u64,
    pub media_type: MediaType,
    /// The name it was uploaded with (shown, and offered when downloading).
    pub file_name: String,
}

impl StoredFile {
    /// A 64-hex digest, a size within `max_bytes`, a file name on one line.
    pub fn check(&self, max_bytes: u64) -> Result<(), DomainError> {
        check_line("nombre del archivo", &self.file_name)?;
        if self.file_name.trim().is_empty() {
            return Err(DomainError::Required("nombre del archivo"));
        }
        let digest_ok = self.sha256.len() == 64
            && self
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !digest_ok {
            return Err(DomainError::InvalidDigest);
        }
        if self.size_bytes == 0 {
            return Err(DomainError::EmptyFile);
        }
        if self.size_bytes > max_bytes {
            return Err(DomainError::FileTooLarge { max_bytes });
        }
        Ok(())
    }

    /// The name to offer when downloading: the uploaded name without path or quoting characters,
    /// ending in the extension of its real type.
    pub fn download_name(&self) -> String {
        let base: String = self
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
            .collect();
        let extension = self.media_type.extension();
        let stem = match base.rsplit_once('.') {
            Some((stem, _)) => stem.trim(),
            None => base.trim(),
        };
        let stem = if stem.is_empty() { "documento" } else { stem };
        format!("{stem}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size: u64) -> StoredFile {
        StoredFile {
            sha256: "a".repeat(64),
            size_bytes: size,
            media_type: MediaType::Pdf,
            file_name: name.into(),
        }
    }

    #[test]
    fn sizes_read_in_es_co() {
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(245_000), "240 KB");
        assert_eq!(format_size(MAX_LOGO_BYTES), "512 KB");
        assert_eq!(format_size(MAX_DOCUMENT_BYTES), "10 MB");
        assert_eq!(format_size(3 * MB / 2), "1,5 MB");
        assert_eq!(format_size(2_000 * MB), "2.000 MB");
    }

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(MediaType::Png)
        );
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(MediaType::sniff(b"<html><script>"), None);
        assert_eq!(MediaType::sniff(b"<svg xmlns="), None);
        assert_eq!(MediaType::sniff(b""), None);
    }

    #[test]
    fn a_file_over_the_limit_or_empty_is_refused() {
        assert!(
            file("contrato.pdf", MAX_DOCUMENT_BYTES)
                .check(MAX_DOCUMENT_BYTES)
                .is_ok()
        );
        assert_eq!(
            file("contrato.pdf", MAX_DOCUMENT_BYTES + 1).check(MAX_DOCUMENT_BYTES),
            Err(DomainError::FileTooLarge {
                max_bytes: MAX_DOCUMENT_BYTES
            })
        );
        assert_eq!(
            file("contrato.pdf", 0).check(MAX_DOCUMENT_BYTES),
            Err(DomainError::EmptyFile)
        );
        let mut bad = file("contrato.pdf", 10);
        bad.sha256 = "../../etc/passwd".into();
        assert_eq!(
            bad.check(MAX_DOCUMENT_BYTES),
            Err(DomainError::InvalidDigest)
        );
    }

    #[test]
    fn the_download_name_has_no_path_and_the_real_extension() {
        assert_eq!(
            file("C:\\scan\\firmado.html", 1).download_name(),
            "firmado.pdf"
        );
        assert_eq!(file("../x\";.pdf", 1).download_name(), "x.pdf");
        assert_eq!(file(".pdf", 1).download_name(), "documento.pdf");
        assert_eq!(
            file("Contrato ARR-1", 1).download_name(),
            "Contrato ARR-1.pdf"
        );
    }
}
