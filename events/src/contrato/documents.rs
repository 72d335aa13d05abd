//! Documents attached to a contract: the signed contract, an Otro Sí, a póliza. The event records
//! the file's digest and what it belongs to; the bytes live in the document store.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::otro_si::OtroSiNumber;
use crate::bounds::check_line;
use crate::{DomainError, MAX_DOCUMENT_BYTES, StoredFile};

/// What a document is the paper of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttachmentSubject {
    /// The contract itself (the signed contract, its annexes).
    Contrato,
    OtroSi {
        number: OtroSiNumber,
    },
    Poliza {
        id: Uuid,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: Uuid,
    pub subject: AttachmentSubject,
    pub file: StoredFile,
    /// What it is, in the user's words («Contrato firmado», «Póliza RCE 2025»).
    pub description: String,
    pub by: String,
}

impl Attachment {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("descripción", &self.description)?;
        self.file.check(MAX_DOCUMENT_BYTES)
    }
}

/// An attachment as the contract keeps it: removed ones stay, marked, for the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub attachment: Attachment,
    /// Why it was withdrawn, and by whom.
    pub removed: Option<(String, String)>,
}
