//! One month of a contract: whether it is within the term, whether it falls in the grace period,
//! and how its sales are billed with the terms in force. Billing and the canon schedule both
//! evaluate a month here, so they always agree.

use chrono::NaiveDate;

use super::aggregate::Contrato;
use super::sales_report::{SalesBilling, bill_sales};
use crate::{Money, YearMonth};

impl Contrato {
    /// The contract's term: its start to the end in force once every approved document applies
    /// (Otro Sí and renewals included), cut at the termination date.
    pub fn term(&self) -> Option<(NaiveDate, NaiveDate)> {
        let terms = self.terms.as_ref()?;
        let mut end = self.latest_end_date().unwrap_or(terms.end_date);
        if let Some(t) = &self.terminated {
            end = end.min(t.date);
        }
        Some((terms.start_date, end))
    }

    /// Whether any day of `period` is within the term.
    pub fn month_in_term(&self, period: YearMonth) -> bool {
        self.term()
            .is_some_and(|(start, end)| period.last_day() >= start && period.first_day() <= end)
    }

    /// The day a month is evaluated on: its last day, or the end of the term in the last month.
    pub fn evaluation_day(&self, period: YearMonth) -> NaiveDate {
        let last = period.last_day();
        self.term().map_or(last, |(_, end)| last.min(end))
    }

    /// The grace canon when `date` falls in the contract's grace period.
    pub fn grace_canon_on(&self, date: NaiveDate) -> Option<Money> {
        self.terms
            .as_ref()?
            .grace_period
            .as_ref()
            .filter(|g| g.period.contains(date))
            .map(|g| g.canon)
    }

    /// How `period`'s sales are billed with the terms in force on its evaluation day (grace
    /// period included); `None` when the canon is fixed then.
    pub fn bill_month(
        &self,
        period: YearMonth,
        gross_sales: Money,
        returns: Money,
    ) -> Option<SalesBilling> {
        let day = self.evaluation_day(period);
        let modality = self.modality_in_force(day)?;
        bill_sales(&modality, self.grace_canon_on(day), gross_sales, returns)
    }
}
