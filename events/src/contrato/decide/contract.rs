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
        follow_up: Option<NaiveDate>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::EmptyNote);
        }
        if follow_up.is_some_and(|f| f < date) {
            return Err(DomainError::FollowUpBeforeNote);
        }
        Ok(vec![ContratoEvent::SeguimientoAdded(Seguimiento::new(
            date,
            actor.username.clone(),
            note.to_string(),
            follow_up,
        ))])
    }

    /// The note `index` if it can still change: it exists and is not withdrawn.
    fn open_seguimiento(&self, index: u32) -> Result<&Seguimiento, DomainError> {
        let note = usize::try_from(index)
            .ok()
            .and_then(|i| self.seguimientos.get(i))
            .ok_or(DomainError::NoSuchNote(index.saturating_add(1)))?;
        if note.retracted.is_some() {
            return Err(DomainError::NoteRetracted(index.saturating_add(1)));
        }
        Ok(note)
    }

    pub(super) fn correct_seguimiento(
        &self,
        actor: &Actor,
        index: u32,
        note: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let current = self.open_seguimiento(index)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::EmptyNote);
        }
        if note == current.note {
            return Ok(vec![]);
        }
        Ok(vec![ContratoEvent::SeguimientoCorrected {
            index,
            note: note.to_string(),
            by: actor.username.clone(),
        }])
    }

    pub(super) fn retract_seguimiento(
        &self,
        actor: &Actor,
        index: u32,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.open_seguimiento(index)?;
        let reason = required_text(&reason, "motivo del retiro")?;
        Ok(vec![ContratoEvent::SeguimientoRetracted {
            index,
            reason,
            by: actor.username.clone(),
        }])
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
