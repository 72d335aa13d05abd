use chrono::{Datelike, NaiveDate};

use crate::contrato::adjustment::{CanonAdjustment, adjust_canon};
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::sales_report::{ReliquidacionCause, ReliquidacionMonth, SalesReportStatus};
use crate::values::YEARS;
use crate::{Actor, DomainError, Money, Percentage};

impl Contrato {
    /// Adjustment dates (by the rule in force each year) after the start and after the last
    /// recorded adjustment, up to `until`, whose year has no recorded adjustment; earliest
    /// first. Adjustments compound (each one starts from the canon the previous one left), so
    /// they are applied in this order.
    pub fn pending_adjustments(&self, until: NaiveDate) -> Vec<NaiveDate> {
        let Some(terms) = self.terms.as_ref() else {
            return vec![];
        };
        let after = self
            .ajustes
            .iter()
            .map(|a| a.effective_date)
            .max()
            .unwrap_or(terms.start_date)
            .max(terms.start_date);
        // Only years of the application's calendar can hold an adjustment a user applies; an
        // event stored before the bounds may start in year −262143, which would mean walking
        // hundreds of thousands of years on every projection of the contract.
        let first_year = terms
            .start_date
            .year()
            .max(crate::bounds::MIN_DATE.year())
            .saturating_add(1);
        let last_year = until.year().min(crate::bounds::MAX_DATE.year());
        (first_year..=last_year)
            .filter(|year| !self.ajustes.iter().any(|a| a.year == *year))
            .filter_map(|year| {
                let rule = NaiveDate::from_ymd_opt(year, 1, 1)
                    .and_then(|jan| self.adjustment_rule_in_force(jan))?;
                rule.on.in_year(year, terms.start_date)
            })
            .filter(|date| *date > after && *date <= until)
            .collect()
    }

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
        if let Some(later) = self
            .ajustes
            .iter()
            .filter(|a| a.year > year || a.effective_date > effective_date)
            .map(|a| a.year)
            .max()
        {
            return Err(DomainError::AdjustmentAfterLater { year, later });
        }
        if let Some(earliest) = self
            .pending_adjustments(effective_date)
            .into_iter()
            .map(|d| d.year())
            .find(|y| *y < year)
        {
            return Err(DomainError::EarlierAdjustmentPending { year, earliest });
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

    /// The delivered months whose amount `adjustment` changes, with the difference it makes
    /// (the billing of each month with and without it). Shown before confirming; recorded as a
    /// reliquidación when confirmed.
    pub fn preview_reliquidacion(&self, adjustment: &CanonAdjustment) -> Vec<ReliquidacionMonth> {
        self.reliquidacion_after(ContratoEvent::CanonAdjusted(adjustment.clone()))
    }

    /// The delivered months whose amount changes once `event` applies: each keeps what it was
    /// billed (or its last reliquidación) and gains the difference between billing it without and
    /// with the event. Anything that rewrites terms of months already billed goes through here, so
    /// a change to what was billed is always an explicit, recorded event.
    pub(super) fn reliquidacion_after(&self, event: ContratoEvent) -> Vec<ReliquidacionMonth> {
        let mut after = self.clone();
        after.apply_event(event);
        self.informes_ventas
            .iter()
            .filter_map(|report| {
                let SalesReportStatus::Entregado {
                    gross_sales,
                    returns,
                    ..
                } = report.status
                else {
                    return None;
                };
                let previous = report.amount_due()?;
                let without = self.bill_month(report.period, gross_sales, returns)?.total;
                let with = after.bill_month(report.period, gross_sales, returns)?.total;
                let delta = with.pesos().checked_sub(without.pesos())?;
                let corrected = previous
                    .pesos()
                    .checked_add(delta)
                    .and_then(|p| Money::from_pesos(p).ok())?;
                (corrected != previous).then_some(ReliquidacionMonth {
                    period: report.period,
                    previous,
                    corrected,
                })
            })
            .collect()
    }

    pub(super) fn record_canon_adjustment(
        &self,
        actor: &Actor,
        year: i32,
        index_value: Percentage,
        effective_date: NaiveDate,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let adjustment = self.preview_canon_adjustment(actor, year, index_value, effective_date)?;
        Ok(self.adjustment_events(actor, adjustment))
    }

    /// The adjustment and, when it changes delivered months, their reliquidación.
    pub(super) fn adjustment_events(
        &self,
        actor: &Actor,
        adjustment: CanonAdjustment,
    ) -> Vec<ContratoEvent> {
        let months = self.preview_reliquidacion(&adjustment);
        let cause = ReliquidacionCause::Ajuste {
            year: adjustment.year,
            kind: adjustment.rule.kind(),
        };
        let mut events = vec![ContratoEvent::CanonAdjusted(adjustment)];
        if !months.is_empty() {
            events.push(ContratoEvent::ReliquidacionRecorded {
                cause,
                months,
                by: actor.username.clone(),
            });
        }
        events
    }
}
