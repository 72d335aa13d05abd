//! Facts brought from another system (the importer): a delivery with the amount it was billed,
//! an adjustment with the canons it was applied with. Every other rule of the contract holds.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::contrato::adjustment::CanonAdjustment;
use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::values::YEARS;
use crate::{Actor, DomainError, Money, Percentage, YearMonth};

impl Contrato {
    /// The checks of a delivery (the report exists, the month is within the term, returns do not
    /// exceed sales), with the amount billed given rather than computed.
    pub(super) fn record_billed_sales_report(
        &self,
        period: YearMonth,
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
        billed: Money,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        self.sales_report_or_refuse(period)?;
        self.within_term_or_refuse(period)?;
        if returns > gross_sales {
            return Err(DomainError::ReturnsExceedSales);
        }
        Ok(vec![ContratoEvent::SalesReportDelivered {
            period,
            date,
            gross_sales,
            returns,
            billed: Some(billed),
        }])
    }

    /// An adjustment as it was applied: a rule in force on its date, one per year, none after a
    /// later one, a fixed canon to adjust, a new canon that is not zero.
    pub(super) fn record_past_canon_adjustment(
        &self,
        actor: &Actor,
        year: i32,
        index_value: Percentage,
        increase: Decimal,
        (previous_canon, new_canon): (Money, Money),
        effective_date: NaiveDate,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
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
        self.modality_in_force(effective_date)
            .and_then(|m| m.fixed_amount())
            .ok_or_else(|| DomainError::NothingToAdjust(terms.number.clone()))?;
        if new_canon.is_zero() {
            return Err(DomainError::ZeroCanon);
        }
        let adjustment = CanonAdjustment {
            year,
            rule: rule.index,
            index_value,
            increase: increase.normalize(),
            previous_canon,
            new_canon,
            effective_date,
            by: actor.username.clone(),
        };
        Ok(self.adjustment_events(actor, adjustment))
    }
}
