use chrono::NaiveDate;
use uuid::Uuid;

use super::required_text;
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::policies::{Poliza, PolizaData, RequiredBy};
use crate::contrato::seguimiento::Seguimiento;
use crate::{Actor, DateRange, DomainError};

impl Contrato {
    fn poliza_or_refuse(&self, id: Uuid) -> Result<&Poliza, DomainError> {
        let poliza = self.find_poliza(id).ok_or(DomainError::PolizaNotFound)?;
        if poliza.cancelled.is_some() {
            return Err(DomainError::PolizaCancelled(poliza.data.number.clone()));
        }
        Ok(poliza)
    }

    /// The document that required it must exist; the number must not repeat within the contract.
    fn validate_poliza(&self, id: Uuid, poliza: &PolizaData) -> Result<(), DomainError> {
        poliza.validate()?;
        match poliza.required_by {
            RequiredBy::Contract => {}
            RequiredBy::OtroSi(number) => {
                self.find_otro_si(number)
                    .ok_or_else(|| DomainError::OtroSiNotFound(number.to_string()))?;
            }
            RequiredBy::Renovacion(number) => {
                self.find_renewal(number)
                    .ok_or_else(|| DomainError::RenewalNotFound(number.to_string()))?;
            }
        }
        let number = poliza.number.trim();
        if self.polizas.iter().any(|p| {
            p.id != id
                && p.cancelled.is_none()
                && p.data.kind == poliza.kind
                && p.data.number.trim() == number
        }) {
            return Err(DomainError::DuplicatePolizaNumber(number.to_string()));
        }
        Ok(())
    }

    pub(super) fn register_poliza(
        &self,
        id: Uuid,
        poliza: PolizaData,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        if self.find_poliza(id).is_some() {
            return Err(DomainError::PolizaAlreadyRegistered);
        }
        self.validate_poliza(id, &poliza)?;
        Ok(vec![ContratoEvent::PolizaRegistered { id, poliza }])
    }

    pub(super) fn update_poliza(
        &self,
        id: Uuid,
        poliza: PolizaData,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let current = self.poliza_or_refuse(id)?;
        self.validate_poliza(id, &poliza)?;
        if current.data == poliza {
            return Ok(vec![]);
        }
        Ok(vec![ContratoEvent::PolizaUpdated { id, poliza }])
    }

    pub(super) fn renew_poliza(
        &self,
        id: Uuid,
        validity: DateRange,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.poliza_or_refuse(id)?;
        Ok(vec![ContratoEvent::PolizaRenewed { id, validity }])
    }

    pub(super) fn cancel_poliza(
        &self,
        actor: &Actor,
        id: Uuid,
        date: NaiveDate,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.poliza_or_refuse(id)?;
        let reason = required_text(&reason, "motivo de la cancelación")?;
        Ok(vec![ContratoEvent::PolizaCancelled {
            id,
            date,
            reason,
            by: actor.username.clone(),
        }])
    }

    pub(super) fn add_poliza_seguimiento(
        &self,
        actor: &Actor,
        id: Uuid,
        date: NaiveDate,
        note: String,
        follow_up: Option<NaiveDate>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.find_poliza(id).ok_or(DomainError::PolizaNotFound)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::EmptyNote);
        }
        if follow_up.is_some_and(|f| f < date) {
            return Err(DomainError::FollowUpBeforeNote);
        }
        Ok(vec![ContratoEvent::PolizaSeguimientoAdded {
            id,
            seguimiento: Seguimiento::new(
                date,
                actor.username.clone(),
                note.to_string(),
                follow_up,
            ),
        }])
    }

    /// Note `index` of póliza `id` if it can still change.
    fn open_poliza_seguimiento(&self, id: Uuid, index: u32) -> Result<&Seguimiento, DomainError> {
        let poliza = self.find_poliza(id).ok_or(DomainError::PolizaNotFound)?;
        let note = usize::try_from(index)
            .ok()
            .and_then(|i| poliza.seguimientos.get(i))
            .ok_or(DomainError::NoSuchNote(index.saturating_add(1)))?;
        if note.retracted.is_some() {
            return Err(DomainError::NoteRetracted(index.saturating_add(1)));
        }
        Ok(note)
    }

    pub(super) fn correct_poliza_seguimiento(
        &self,
        actor: &Actor,
        id: Uuid,
        index: u32,
        note: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let current = self.open_poliza_seguimiento(id, index)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::EmptyNote);
        }
        if note == current.note {
            return Ok(vec![]);
        }
        Ok(vec![ContratoEvent::PolizaSeguimientoCorrected {
            id,
            index,
            note: note.to_string(),
            by: actor.username.clone(),
        }])
    }

    pub(super) fn retract_poliza_seguimiento(
        &self,
        actor: &Actor,
        id: Uuid,
        index: u32,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.open_poliza_seguimiento(id, index)?;
        let reason = super::required_text(&reason, "motivo del retiro")?;
        Ok(vec![ContratoEvent::PolizaSeguimientoRetracted {
            id,
            index,
            reason,
            by: actor.username.clone(),
        }])
    }
}
