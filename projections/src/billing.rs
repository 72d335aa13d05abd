//! Facturación por ventas: net base = gross sales − returns; value = base × %.
//! Variable puro bills the whole value. Híbrido bills the minimum when value ≤ minimum,
//! otherwise the minimum plus the excess (value − minimum). The canon and % are those in force
//! on the last day of the month (the end of the term in its last month).
//!
//! Grace: in a month of the grace period the guaranteed minimum is the grace canon (usually
//! $ 0) and the percentage of sales still applies, as in the canon schedule.
//!
//! Rounding: the value is rounded once, to the peso, half up (`Money::percentage`:
//! $ 1.000.010 × 5 % = 50.000,5 → $ 50.001); minimum and excess are whole pesos already.
//!
//! A delivered report's billing is fixed at delivery (the write side records it). A later
//! canon adjustment that changes what the month should cost adds a reliquidación; `total` is
//! what the month costs now.

use arriendo_events::{
    Contrato, Money, PaymentModality, Percentage, SalesBilling, SalesReport, SalesReportStatus,
    YearMonth, bill_sales,
};
use serde::{Deserialize, Serialize};

use crate::source::Source;
use crate::vigente::modality_at;

/// One reliquidación of a billed month: "reliquidación +$ 1.065.000 por IPC 2026".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliquidacionLine {
    /// `IPC 2026`.
    pub cause: String,
    /// In pesos; negative when the month costs less now.
    pub difference: i64,
    /// What the month costs after it.
    pub corrected: Money,
}

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
    /// The guaranteed minimum (híbrido only); the grace canon in a grace month.
    pub minimum: Option<Money>,
    /// Híbrido: value − minimum when the value exceeds it, else $ 0. Variable puro: $ 0.
    pub excess: Money,
    /// What was billed at delivery: the value (variable puro) or minimum + excess (híbrido).
    pub billed: Money,
    /// The month fell in the grace period (the minimum is the grace canon).
    pub grace: bool,
    /// Reliquidaciones recorded since the delivery, in order.
    pub reliquidaciones: Vec<ReliquidacionLine>,
    /// What the month costs now: billed plus every reliquidación.
    pub total: Money,
    /// The document that set the % (and the minimum) in force.
    pub source: Source,
}

fn from_sales(
    period: YearMonth,
    gross_sales: Money,
    returns: Money,
    b: &SalesBilling,
    source: Source,
) -> Billing {
    Billing {
        period,
        gross_sales,
        returns,
        net_sales: b.net_sales,
        percentage: b.percentage,
        value: b.value,
        minimum: b.minimum,
        excess: b.excess,
        billed: b.total,
        grace: b.grace,
        reliquidaciones: vec![],
        total: b.total,
        source,
    }
}

/// The billing rule for one month's sales under `modality` outside a grace period; `None` for
/// a fixed canon.
pub fn bill(
    period: YearMonth,
    modality: &PaymentModality,
    gross_sales: Money,
    returns: Money,
    source: Source,
) -> Option<Billing> {
    let b = bill_sales(modality, None, gross_sales, returns)?;
    Some(from_sales(period, gross_sales, returns, &b, source))
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

/// The billing of a delivered sales report: as fixed at its delivery, plus its reliquidaciones.
pub fn bill_report(contrato: &Contrato, report: &SalesReport) -> Result<Billing, BillingError> {
    let SalesReportStatus::Entregado {
        gross_sales,
        returns,
        ..
    } = report.status
    else {
        return Err(BillingError::NoSalesReport(report.period));
    };
    let fixed = report
        .billing
        .as_ref()
        .ok_or(BillingError::FixedCanon(report.period))?;
    let in_force = modality_at(contrato, contrato.evaluation_day(report.period), &[])
        .ok_or(BillingError::NoContract)?;
    let source = match in_force.modality {
        PaymentModality::Hibrido { .. } if in_force.amount_source != Source::Contrato => {
            in_force.amount_source.clone()
        }
        _ => in_force.percentage_source.clone(),
    };
    let mut billing = from_sales(report.period, gross_sales, returns, fixed, source);
    billing.reliquidaciones = report
        .reliquidaciones
        .iter()
        .map(|r| ReliquidacionLine {
            cause: r.cause.to_string(),
            difference: r.difference(),
            corrected: r.corrected,
        })
        .collect();
    billing.total = report.amount_due().unwrap_or(fixed.total);
    Ok(billing)
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

/// "facturado $ 15.000.000 · reliquidación +$ 1.065.000 por IPC 2026": how the month's amount
/// came to be, in one line.
pub fn headline(billing: &Billing) -> String {
    let mut text = format!("facturado {}", billing.billed);
    for r in &billing.reliquidaciones {
        text.push_str(&format!(
            " · reliquidación {} por {}",
            arriendo_events::signed_pesos(r.difference),
            r.cause
        ));
    }
    text
}
