//! Informes de ventas: the monthly sales a variable or híbrido tenant reports.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Money, YearMonth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SalesReportStatus {
    Pendiente,
    Entregado {
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
    },
}

/// The sales report of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesReport {
    pub period: YearMonth,
    pub deadline: NaiveDate,
    pub status: SalesReportStatus,
}

impl SalesReport {
    /// Gross sales − returns, when delivered.
    pub fn net_sales(&self) -> Option<Money> {
        match self.status {
            SalesReportStatus::Entregado {
                gross_sales,
                returns,
                ..
            } => Some(gross_sales.saturating_sub(returns)),
            SalesReportStatus::Pendiente => None,
        }
    }

    /// Still pending after the deadline.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == SalesReportStatus::Pendiente && today > self.deadline
    }
}
