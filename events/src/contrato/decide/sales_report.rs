use chrono::NaiveDate;

use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::sales_report::{SalesReport, SalesReportStatus};
use crate::{DomainError, Money, YearMonth, format_date};

impl Contrato {
    pub(super) fn sales_report_or_refuse(
        &self,
        period: YearMonth,
    ) -> Result<&SalesReport, DomainError> {
        self.find_sales_report(period)
            .ok_or_else(|| DomainError::SalesReportNotFound(period.to_string()))
    }

    /// A month outside the term (start … end in force, renewals included) has no sales report.
    pub(super) fn within_term_or_refuse(&self, period: YearMonth) -> Result<(), DomainError> {
        match self.term() {
            Some((from, to)) if !self.month_in_term(period) => {
                Err(DomainError::SalesReportOutsideTerm {
                    period: period.to_string(),
                    number: self.number().to_string(),
                    from: format_date(from),
                    to: format_date(to),
                })
            }
            _ => Ok(()),
        }
    }

    /// Only for a month within the term whose modality in force (on its evaluation day) is
    /// variable or híbrido; one per month.
    pub(super) fn register_sales_report(
        &self,
        period: YearMonth,
        deadline: Option<NaiveDate>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let terms = self.existing()?;
        self.within_term_or_refuse(period)?;
        let modality = self
            .modality_in_force(self.evaluation_day(period))
            .unwrap_or(terms.modality);
        if !modality.is_sales_based() {
            return Err(DomainError::NotSalesBased(terms.number.clone()));
        }
        if self.find_sales_report(period).is_some() {
            return Err(DomainError::DuplicateSalesReport(period.to_string()));
        }
        let deadline = match deadline {
            Some(date) => date,
            None => period.next().day(terms.sales_report_due_day.unwrap_or(28)),
        };
        Ok(vec![ContratoEvent::SalesReportRegistered {
            period,
            deadline,
        }])
    }

    pub(super) fn mark_sales_report_delivered(
        &self,
        period: YearMonth,
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let report = self.sales_report_or_refuse(period)?;
        self.within_term_or_refuse(period)?;
        if returns > gross_sales {
            return Err(DomainError::ReturnsExceedSales);
        }
        if report.status
            == (SalesReportStatus::Entregado {
                date,
                gross_sales,
                returns,
            })
        {
            return Ok(vec![]);
        }
        // The amount billed is fixed now; later changes of the terms reach it only through an
        // explicit reliquidación.
        let billed = self
            .bill_month(period, gross_sales, returns)
            .map(|b| b.total);
        Ok(vec![ContratoEvent::SalesReportDelivered {
            period,
            date,
            gross_sales,
            returns,
            billed,
        }])
    }

    pub(super) fn mark_sales_report_pending(
        &self,
        period: YearMonth,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        let report = self.sales_report_or_refuse(period)?;
        if report.status == SalesReportStatus::Pendiente {
            return Err(DomainError::SalesReportAlreadyPending(period.to_string()));
        }
        Ok(vec![ContratoEvent::SalesReportMarkedPending { period }])
    }
}
