use chrono::NaiveDate;

use super::required_text;
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::renewal::{Renewal, RenewalNumber, RenewalStatus};
use crate::{Actor, DomainError, add_months};

impl Contrato {
    /// `RA-n`: one more than the number of renewals so far (annulled ones keep their number).
    pub fn next_renewal_number(&self) -> RenewalNumber {
        let last = self
            .renovaciones
            .iter()
            .map(|r| r.number.0)
            .max()
            .unwrap_or(0);
        RenewalNumber(last.saturating_add(1))
    }

    fn renewal_or_refuse(&self, number: RenewalNumber) -> Result<&Renewal, DomainError> {
        self.find_renewal(number)
            .ok_or_else(|| DomainError::RenewalNotFound(number.to_string()))
    }

    /// Only with prórroga automática; the new end is the current end in force plus the duration in
    /// force, or plus `months` when the renewal was agreed for another length.
    pub(super) fn propose_renewal(
        &self,
        actor: &Actor,
        months: Option<u32>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let terms = self.active()?;
        if !terms.automatic_extension {
            return Err(DomainError::NoAutomaticExtension(terms.number.clone()));
        }
        if let Some(pending) = self
            .renovaciones
            .iter()
            .find(|r| r.status == RenewalStatus::Propuesta)
        {
            return Err(DomainError::RenewalPending(pending.number.to_string()));
        }
        let previous_end = self.latest_end_date().unwrap_or(terms.end_date);
        if months == Some(0) {
            return Err(DomainError::ZeroDuration);
        }
        let months = months.unwrap_or_else(|| {
            self.duration_months_in_force(NaiveDate::MAX)
                .unwrap_or(terms.initial_duration_months)
        });
        let new_end = add_months(previous_end, i32::try_from(months).unwrap_or(i32::MAX));
        Ok(vec![ContratoEvent::RenewalProposed {
            number: self.next_renewal_number(),
            previous_end,
            new_end,
            by: actor.username.clone(),
        }])
    }

    pub(super) fn approve_renewal(
        &self,
        actor: &Actor,
        number: RenewalNumber,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        actor.require_admin("aprobar una renovación")?;
        self.active()?;
        let renewal = self.renewal_or_refuse(number)?;
        if renewal.status != RenewalStatus::Propuesta {
            return Err(renewal.wrong_status());
        }
        Ok(vec![ContratoEvent::RenewalApproved {
            number,
            by: actor.username.clone(),
        }])
    }

    /// Only the last renewal that is not annulled; an approved one only by an administrador.
    pub(super) fn annul_renewal(
        &self,
        actor: &Actor,
        number: RenewalNumber,
        reason: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.active()?;
        let renewal = self.renewal_or_refuse(number)?;
        if renewal.status == RenewalStatus::Anulada {
            return Err(renewal.wrong_status());
        }
        if renewal.status == RenewalStatus::Aprobada {
            actor.require_admin("anular una renovación aprobada")?;
        }
        let last = self
            .renovaciones
            .iter()
            .filter(|r| r.status != RenewalStatus::Anulada)
            .map(|r| r.number)
            .max()
            .unwrap_or(number);
        if number != last {
            return Err(DomainError::OnlyLastRenewalCanBeAnnulled(last.to_string()));
        }
        let reason = required_text(&reason, "motivo de la anulación")?;
        Ok(vec![ContratoEvent::RenewalAnnulled {
            number,
            reason,
            by: actor.username.clone(),
        }])
    }
}
