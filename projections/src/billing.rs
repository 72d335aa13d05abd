//! Facturación por ventas: net base = gross sales − returns; value = base × %.
//! Variable puro bills the whole value. Híbrido bills the minimum when value ≤ minimum,
//! otherwise the minimum plus the excess (value − minimum). The canon and % are those in force
//! on the last day of the month.
//!
//! Rounding: the value is rounded once, half up to whole pesos (`Money::percentage`:
//! $ 1.000.010 × 5 % = 50.000,5 → $ 50.001); minimum and excess are whole pesos already.
//! Grace periods are not applied here (see [`crate::schedule`], where they override the month).

use arriendo_events::{Contrato, Money, PaymentModality, Percentage, SalesReport, YearMonth};
use serde::{Deserialize, Serialize};

use crate::source::Source;
use crate::vigente::modality_at;

/// The billing of one month's sales.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billing {
    pub period: YearMonth,
    pub gross_sales: Money,
    pub returns: Money,
    /// Gross sales − returns (never below zero).
    pub net_sales: Money,
    pub percentage: Percentage,
    /// Net sales × %, rounded half up to whole pesos.
    pub value: Money,
    /// The guaranteed minimum (híbrido only).
    pub minimum: Option<Money>,
    /// Híbrido: value − minimum when the value exceeds it, else $ 0. Variable puro: $ 0.
    pub excess: Money,
    /// What is billed: the value (variable puro) or minimum + excess (híbrido).
    pub total: Money,
    /// The document that set the % (and the minimum) in force.
    pub source: Source,
}

/// The billing rule for one month's sales under `modality`; `None` for a fixed canon.
pub fn bill(
    period: YearMonth,
    modality: &PaymentModality,
    gross_sales: Money,
    returns: Money,
    source: Source,
) -> Option<Billing> {
    let percentage = modality.sales_percentage()?;
    let net_sales = gross_sales.saturating_sub(returns);
    let value = net_sales.percentage(percentage);
    let (minimum, excess, total) = match *modality {
        PaymentModality::Hibrido { minimum, .. } => {
            let excess = value.saturating_sub(minimum);
            (Some(minimum), excess, minimum.saturating_add(excess))
        }
        _ => (None, Money::ZERO, value),
    };
    Some(Billing {
        period,
        gross_sales,
        returns,
        net_sales,
        percentage,
        value,
        minimum,
        excess,
        total,
        source,
    })
}

/// Why a month cannot be billed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BillingError {
    #[error("el contrato no existe")]
    NoContract,
    #[error("el contrato tiene canon fijo en {0}: no se factura por ventas")]
    FixedCanon(YearMonth),
    #[error("no hay informe de ventas entregado para {0}")]
    NoSalesReport(YearMonth),
}

/// The billing of a delivered sales report, with the modality in force on the last day of its month.
pub fn bill_report(contrato: &Contrato, report: &SalesReport) -> Result<Billing, BillingError> {
    let in_force =
        modality_at(contrato, report.period.last_day(), &[]).ok_or(BillingError::NoContract)?;
    let arriendo_events::SalesReportStatus::Entregado {
        gross_sales,
        returns,
        ..
    } = report.status
    else {
        return Err(BillingError::NoSalesReport(report.period));
    };
    let source = match in_force.modality {
        PaymentModality::Hibrido { .. } if in_force.amount_source != Source::Contrato => {
            in_force.amount_source.clone()
        }
        _ => in_force.percentage_source.clone(),
    };
    bill(
        report.period,
        &in_force.modality,
        gross_sales,
        returns,
        source,
    )
    .ok_or(BillingError::FixedCanon(report.period))
}

/// The billing of the month `period` from its delivered report.
pub fn billing_for_month(contrato: &Contrato, period: YearMonth) -> Result<Billing, BillingError> {
    let report = contrato
        .find_sales_report(period)
        .ok_or(BillingError::NoSalesReport(period))?;
    bill_report(contrato, report)
}

/// The billing of every delivered report, by month.
pub fn billings(contrato: &Contrato) -> Vec<Billing> {
    contrato
        .informes_ventas
        .iter()
        .filter_map(|r| bill_report(contrato, r).ok())
        .collect()
}
