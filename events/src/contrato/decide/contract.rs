use chrono::NaiveDate;

use super::required_text;
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::{ContratoEvent, TermsUpdate};
use crate::contrato::seguimiento::{Seguimiento, Termination};
use crate::contrato::terms::ContractTerms;
use crate::{Actor, DomainError};

impl Contrato {
    pub(super) fn create(&self, terms: ContractTerms) -> Result<Vec<ContratoEvent>, DomainError> {
        if let Some(existing) = &self.terms {
            return Err(DomainError::ContractAlreadyExists(existing.number.clone()));
        }
        terms.validate()?;
        Ok(vec![ContratoEvent::ContractCreated(terms)])
    }

    /// An edit that changes nothing records nothing; one that changes the terms must say why.
    pub(super) fn update_terms(
        &self,
        terms: ContractTerms,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let current = self.active()?;
        terms.validate()?;
        if *current == terms {
            return Ok(vec![]);
        }
        let reason = required_text(&reason, "motivo")?;
        Ok(vec![ContratoEvent::ContractTermsUpdated(TermsUpdate {
            terms,
            reason,
        })])
    }

    pub(super) fn add_seguimiento(
        &self,
        actor: &Actor,
        date: NaiveDate,
        note: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::EmptyNote);
        }
        Ok(vec![ContratoEvent::SeguimientoAdded(Seguimiento {
            date,
            author: actor.username.clone(),
            note: note.to_string(),
        })])
    }

    pub(super) fn terminate(
        &self,
        actor: &Actor,
        date: NaiveDate,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let terms = self.active()?;
        if date < terms.start_date {
            return Err(DomainError::TerminationBeforeStart);
        }
        let reason = required_text(&reason, "motivo de la terminación")?;
        Ok(vec![ContratoEvent::ContractTerminated(Termination {
            date,
            reason,
            by: actor.username.clone(),
        })])
    }

    pub(super) fn delete(
        &self,
        actor: &Actor,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        actor.require_admin("eliminar un contrato")?;
        self.existing()?;
        let reason = required_text(&reason, "motivo de la eliminación")?;
        Ok(vec![ContratoEvent::ContractDeleted {
            reason,
            by: actor.username.clone(),
        }])
    }
}
