use chrono::NaiveDate;

use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::contrato::sales_report::{SalesReport, SalesReportStatus};
use crate::{DomainError, Money, YearMonth};

impl Contrato {
    fn sales_report_or_refuse(&self, period: YearMonth) -> Result<&SalesReport, DomainError> {
        self.find_sales_report(period)
            .ok_or_else(|| DomainError::SalesReportNotFound(period.to_string()))
    }

    /// Only when the modality in force on the month's last day is variable or híbrido; one per month.
    pub(super) fn register_sales_report(
        &self,
        period: YearMonth,
        deadline: Option<NaiveDate>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let terms = self.existing()?;
        let modality = self
            .modality_in_force(period.last_day())
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
        Ok(vec![ContratoEvent::SalesReportDelivered {
            period,
            date,
            gross_sales,
            returns,
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
