//! Informes de ventas: the monthly sales a variable or híbrido tenant reports, and how a month's
//! sales are billed (facturación por ventas).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::otro_si::OtroSiNumber;
use super::terms::PaymentModality;
use crate::indice::IndexKind;
use crate::{Money, Percentage, YearMonth};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesReport {
    pub period: YearMonth,
    pub deadline: NaiveDate,
    pub status: SalesReportStatus,
    /// How the month was billed when the report was delivered: fixed from then on. `None` while
    /// pending (or when the month was not sales-based at delivery).
    #[serde(default)]
    pub billing: Option<SalesBilling>,
    /// Corrections of that billing recorded since the delivery, in order.
    #[serde(default)]
    pub reliquidaciones: Vec<MonthReliquidacion>,
}

impl SalesReport {
    pub fn pending(period: YearMonth, deadline: NaiveDate) -> SalesReport {
        SalesReport {
            period,
            deadline,
            status: SalesReportStatus::Pendiente,
            billing: None,
            reliquidaciones: vec![],
        }
    }

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

    /// What the month costs now: the amount billed at delivery, or the last reliquidación's.
    pub fn amount_due(&self) -> Option<Money> {
        self.reliquidaciones
            .last()
            .map(|r| r.corrected)
            .or(self.billing.map(|b| b.total))
    }
}

/// How one month's sales are billed. Net base = gross sales − returns; value = base × %,
/// rounded once to whole pesos, half up (50.000,5 → 50.001). Variable puro bills the value;
/// híbrido bills the minimum when the value does not exceed it, else minimum + excess (= the
/// value). In a grace month the guaranteed minimum is the grace canon (usually $ 0) and the
/// percentage of sales still applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesBilling {
    pub net_sales: Money,
    pub percentage: Percentage,
    /// Net sales × %, rounded half up to whole pesos.
    pub value: Money,
    /// The guaranteed minimum (híbrido only); the grace canon in a grace month.
    pub minimum: Option<Money>,
    /// Value − minimum when the value exceeds the minimum, else $ 0.
    pub excess: Money,
    /// What is billed.
    pub total: Money,
    /// The month fell in the contract's grace period.
    #[serde(default)]
    pub grace: bool,
}

/// The billing rule for one month under `modality` (the one in force on the month's evaluation
/// day) and, in a grace month, the grace canon; `None` for a fixed canon.
pub fn bill_sales(
    modality: &PaymentModality,
    grace_canon: Option<Money>,
    gross_sales: Money,
    returns: Money,
) -> Option<SalesBilling> {
    let percentage = modality.sales_percentage()?;
    let net_sales = gross_sales.saturating_sub(returns);
    let value = net_sales.percentage(percentage);
    let minimum = match *modality {
        PaymentModality::Hibrido { minimum, .. } => Some(grace_canon.unwrap_or(minimum)),
        _ => None,
    };
    let floor = minimum.unwrap_or(Money::ZERO);
    // minimum + (value − minimum) is the value itself: no sum that could overflow.
    let excess = value.saturating_sub(floor);
    let total = value.max(floor);
    Some(SalesBilling {
        net_sales,
        percentage,
        value,
        minimum,
        excess,
        total,
        grace: grace_canon.is_some(),
    })
}

/// Why billed months were recomputed: a canon adjustment of `year` by `kind` (IPC 2026), or an
/// Otro Sí approved with terms in force from a month already billed (OS-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReliquidacionCause {
    Ajuste { year: i32, kind: IndexKind },
    OtroSi { number: OtroSiNumber },
}

impl std::fmt::Display for ReliquidacionCause {
    /// `IPC 2026`, `salario mínimo 2026`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReliquidacionCause::Ajuste { year, kind } => write!(f, "{kind} {year}"),
            ReliquidacionCause::OtroSi { number } => write!(f, "{number}"),
        }
    }
}

/// One month of a reliquidación: what it cost before and what it costs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliquidacionMonth {
    pub period: YearMonth,
    /// The amount due before: billed at delivery, or after an earlier reliquidación.
    pub previous: Money,
    pub corrected: Money,
}

impl ReliquidacionMonth {
    /// corrected − previous, in pesos (negative when the month costs less now).
    pub fn difference(&self) -> i64 {
        difference(self.previous, self.corrected)
    }
}

/// A reliquidación as a delivered month keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthReliquidacion {
    pub cause: ReliquidacionCause,
    pub previous: Money,
    pub corrected: Money,
}

impl MonthReliquidacion {
    pub fn difference(&self) -> i64 {
        difference(self.previous, self.corrected)
    }
}

fn difference(previous: Money, corrected: Money) -> i64 {
    // Both are non-negative i64, so the difference always fits.
    corrected
        .pesos()
        .checked_sub(previous.pesos())
        .unwrap_or_default()
}

/// `+$ 1.065.000`, `−$ 500.000`, `$ 0`.
pub fn signed_pesos(difference: i64) -> String {
    let amount = Money::from_pesos(i64::try_from(difference.unsigned_abs()).unwrap_or(i64::MAX))
        .unwrap_or(Money::ZERO);
    match difference.signum() {
        1 => format!("+{amount}"),
        -1 => format!("−{amount}"),
        _ => amount.to_string(),
    }
}
