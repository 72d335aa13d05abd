use chrono::NaiveDate;

use crate::contrato::adjustment::{CanonAdjustment, adjust_canon};
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::values::YEARS;
use crate::{Actor, DomainError, Percentage};

impl Contrato {
    /// What `RecordCanonAdjustment` would record: the rule and canon in force on the effective
    /// date, and the new canon. The app shows it before the user confirms.
    pub fn preview_canon_adjustment(
        &self,
        actor: &Actor,
        year: i32,
        index_value: Percentage,
        effective_date: NaiveDate,
    ) -> Result<CanonAdjustment, DomainError> {
        let terms = self.active()?;
        if !YEARS.contains(&year) {
            return Err(DomainError::InvalidYear(year));
        }
        let rule = self
            .adjustment_rule_in_force(effective_date)
            .ok_or_else(|| DomainError::NoAdjustmentRule(terms.number.clone()))?;
        if self.ajustes.iter().any(|a| a.year == year) {
            return Err(DomainError::AlreadyAdjusted {
                number: terms.number.clone(),
                year,
            });
        }
        let previous_canon = self
            .modality_in_force(effective_date)
            .and_then(|m| m.fixed_amount())
            .ok_or_else(|| DomainError::NothingToAdjust(terms.number.clone()))?;
        let increase = rule.index.increase(index_value);
        let new_canon = adjust_canon(previous_canon, increase)?;
        Ok(CanonAdjustment {
            year,
            rule: rule.index,
            index_value,
            increase: increase.normalize(),
            previous_canon,
            new_canon,
            effective_date,
            by: actor.username.clone(),
        })
    }

    pub(super) fn record_canon_adjustment(
        &self,
        actor: &Actor,
        year: i32,
        index_value: Percentage,
        effective_date: NaiveDate,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let adjustment = self.preview_canon_adjustment(actor, year, index_value, effective_date)?;
        Ok(vec![ContratoEvent::CanonAdjusted(adjustment)])
    }
}
