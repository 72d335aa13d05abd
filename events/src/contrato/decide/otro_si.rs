use chrono::NaiveDate;

use super::required_text;
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::otro_si::{OtroSi, OtroSiChanges, OtroSiNumber, OtroSiStatus};
use crate::contrato::sales_report::{ReliquidacionCause, ReliquidacionMonth};
use crate::{Actor, DomainError};

impl Contrato {
    /// The number the next Otro Sí gets: one more than the last (numbers stay contiguous because
    /// only the last one can be deleted).
    pub fn next_otro_si_number(&self) -> OtroSiNumber {
        let last = self.otro_si.iter().map(|o| o.number.0).max().unwrap_or(0);
        OtroSiNumber(last.saturating_add(1))
    }

    fn otro_si_or_refuse(&self, number: OtroSiNumber) -> Result<&OtroSi, DomainError> {
        self.find_otro_si(number)
            .ok_or_else(|| DomainError::OtroSiNotFound(number.to_string()))
    }

    fn validate_otro_si(
        &self,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: &OtroSiChanges,
    ) -> Result<(), DomainError> {
        let terms = self.active()?;
        if effective_from < terms.start_date {
            return Err(DomainError::OtroSiBeforeContractStart);
        }
        if effective_to.is_some_and(|to| to <= effective_from) {
            return Err(DomainError::EndNotAfterStart);
        }
        changes.validate(terms.start_date)
    }

    pub(super) fn draft_otro_si(
        &self,
        actor: &Actor,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.validate_otro_si(effective_from, effective_to, &changes)?;
        Ok(vec![ContratoEvent::OtroSiDrafted {
            number: self.next_otro_si_number(),
            effective_from,
            effective_to,
            changes,
            description: description.trim().to_string(),
            by: actor.username.clone(),
        }])
    }

    pub(super) fn edit_otro_si(
        &self,
        number: OtroSiNumber,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.active()?;
        let otro_si = self.otro_si_or_refuse(number)?;
        if otro_si.status != OtroSiStatus::Borrador {
            return Err(otro_si.wrong_status());
        }
        self.validate_otro_si(effective_from, effective_to, &changes)?;
        let description = description.trim().to_string();
        if otro_si.effective_from == effective_from
            && otro_si.effective_to == effective_to
            && otro_si.changes == changes
            && otro_si.description == description
        {
            return Ok(vec![]);
        }
        Ok(vec![ContratoEvent::OtroSiEdited {
            number,
            effective_from,
            effective_to,
            changes,
            description,
        }])
    }

    pub(super) fn delete_otro_si(
        &self,
        number: OtroSiNumber,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.active()?;
        let otro_si = self.otro_si_or_refuse(number)?;
        let last = self
            .otro_si
            .iter()
            .map(|o| o.number)
            .max()
            .unwrap_or(number);
        if number != last {
            return Err(DomainError::OnlyLastOtroSiCanBeDeleted(last.to_string()));
        }
        if otro_si.status == OtroSiStatus::Aprobado {
            return Err(otro_si.wrong_status());
        }
        Ok(vec![ContratoEvent::OtroSiDeleted { number }])
    }

    pub(super) fn submit_otro_si(
        &self,
        actor: &Actor,
        number: OtroSiNumber,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.active()?;
        let otro_si = self.otro_si_or_refuse(number)?;
        if otro_si.status != OtroSiStatus::Borrador {
            return Err(otro_si.wrong_status());
        }
        Ok(vec![ContratoEvent::OtroSiSubmitted {
            number,
            by: actor.username.clone(),
        }])
    }

    /// Only from en revisión, only an administrador, and only once every earlier Otro Sí is decided.
    pub(super) fn approve_otro_si(
        &self,
        actor: &Actor,
        number: OtroSiNumber,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        actor.require_admin("aprobar un Otro Sí")?;
        self.check_decidable(number)?;
        if let Some(earlier) = self
            .otro_si
            .iter()
            .filter(|o| o.number < number)
            .find(|o| matches!(o.status, OtroSiStatus::Borrador | OtroSiStatus::EnRevision))
        {
            return Err(DomainError::EarlierOtroSiPending {
                earlier: earlier.number.to_string(),
                later: number.to_string(),
            });
        }
        let approved = ContratoEvent::OtroSiApproved {
            number,
            by: actor.username.clone(),
        };
        let months = self.reliquidacion_after(approved.clone());
        let mut events = vec![approved];
        if !months.is_empty() {
            events.push(ContratoEvent::ReliquidacionRecorded {
                cause: ReliquidacionCause::OtroSi { number },
                months,
                by: actor.username.clone(),
            });
        }
        Ok(events)
    }

    /// The delivered months whose amount approving `number` changes (an Otro Sí in force from a
    /// past date): shown on the approval's confirmation, recorded as a reliquidación on approval.
    pub fn preview_otro_si_reliquidacion(
        &self,
        actor: &Actor,
        number: OtroSiNumber,
    ) -> Vec<ReliquidacionMonth> {
        self.reliquidacion_after(ContratoEvent::OtroSiApproved {
            number,
            by: actor.username.clone(),
        })
    }

    pub(super) fn reject_otro_si(
        &self,
        actor: &Actor,
        number: OtroSiNumber,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        actor.require_admin("rechazar un Otro Sí")?;
        self.check_decidable(number)?;
        let reason = required_text(&reason, "motivo del rechazo")?;
        Ok(vec![ContratoEvent::OtroSiRejected {
            number,
            reason,
            by: actor.username.clone(),
        }])
    }

    fn check_decidable(&self, number: OtroSiNumber) -> Result<(), DomainError> {
        self.active()?;
        let otro_si = self.otro_si_or_refuse(number)?;
        if otro_si.status != OtroSiStatus::EnRevision {
            return Err(otro_si.wrong_status());
        }
        Ok(())
    }
}
