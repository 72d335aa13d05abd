//! Attaching and withdrawing documents.

use uuid::Uuid;

use super::required_text;
use crate::contrato::aggregate::Contrato;
use crate::contrato::documents::{Attachment, AttachmentSubject};
use crate::contrato::event::ContratoEvent;
use crate::{Actor, DomainError, StoredFile};

impl Contrato {
    /// A document for the contract, one of its Otro Sí or one of its pólizas (which must exist).
    /// The same file twice on the same subject is refused: it is already there.
    pub(super) fn attach_document(
        &self,
        actor: &Actor,
        id: Uuid,
        subject: AttachmentSubject,
        file: StoredFile,
        description: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        match subject {
            AttachmentSubject::Contrato => {}
            AttachmentSubject::OtroSi { number } => {
                self.find_otro_si(number)
                    .ok_or_else(|| DomainError::OtroSiNotFound(number.to_string()))?;
            }
            AttachmentSubject::Poliza { id } => {
                self.find_poliza(id).ok_or(DomainError::PolizaNotFound)?;
            }
        }
        if self.documents.iter().any(|d| d.attachment.id == id) {
            return Err(DomainError::DocumentAlreadyAttached);
        }
        let duplicate = self.documents.iter().any(|d| {
            d.removed.is_none()
                && d.attachment.subject == subject
                && d.attachment.file.sha256 == file.sha256
        });
        if duplicate {
            return Err(DomainError::DocumentAlreadyAttached);
        }
        Ok(vec![ContratoEvent::DocumentAttached(Attachment {
            id,
            subject,
            file,
            description: description.trim().to_string(),
            by: actor.username.clone(),
        })])
    }

    /// Withdraws a document with a reason: it stays in the history and the store.
    pub(super) fn remove_document(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let document = self
            .documents
            .iter()
            .find(|d| d.attachment.id == id)
            .ok_or(DomainError::DocumentNotFound)?;
        if document.removed.is_some() {
            return Err(DomainError::DocumentAlreadyRemoved);
        }
        Ok(vec![ContratoEvent::DocumentRemoved {
            id,
            file_name: document.attachment.file.file_name.clone(),
            reason: required_text(&reason, "motivo")?,
            by: actor.username.clone(),
        }])
    }
}
