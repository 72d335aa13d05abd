//! Canon schedule: the canon due month by month over the contract's life (start month to the
//! month of the latest end date once every approved document applies, or of the termination).
//!
//! Each month is evaluated on its last day (or the end date, in the last month), like billing:
//! - a month with a delivered sales report costs what its billing says: the amount fixed at
//!   delivery plus any reliquidación since (so billing and schedule always agree);
//! - a grace period covering that day replaces the fixed canon and the guaranteed minimum with
//!   the grace canon ("periodo de gracia"); the percentage of sales still applies;
//! - otherwise the modality in force that day: base terms, approved Otro Sí, recorded
//!   adjustments, and projected adjustments for every adjustment date with no recorded
//!   adjustment: canon × (1 + increase / 100) with the index value of the previous year
//!   (IPC 2025 for the 2026 adjustment) rounded half up to whole pesos (`adjust_canon`), or the
//!   canon kept when that value is not published yet; such rows are `projected: true`;
//! - variable puro: % of the delivered report's net sales (else `amount: None`); híbrido: the
//!   minimum plus the excess when the report is delivered, else the minimum (`projected: true`).
//!
//! No proration: a month the contract only partly covers owes the full monthly canon.

use arriendo_events::{
    Contrato, IndexKind, Indice, Money, PaymentModality, Percentage, SalesReportStatus, YearMonth,
    bounds,
};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::billing::{bill_report, headline};
use crate::source::Source;
use crate::vigente::{ProjectedAdjustment, modality_at};

/// The published yearly values of both indices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Indices {
    pub ipc: Indice,
    pub salario_minimo: Indice,
}

impl Indices {
    pub fn value(&self, kind: IndexKind, year: i32) -> Option<Percentage> {
        match kind {
            IndexKind::Ipc => self.ipc.value_for(year),
            IndexKind::SalarioMinimo => self.salario_minimo.value_for(year),
        }
    }
}

/// One month of the schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub period: YearMonth,
    /// `None` when it depends on sales not reported yet (variable puro).
    pub amount: Option<Money>,
    /// Spanish: "canon fijo", "periodo de gracia", "ajuste IPC 2026", "OS-2", "ventas reportadas"…
    pub basis: String,
    /// The document that set the amount.
    pub source: Source,
    /// The amount is an estimate: an adjustment not recorded yet, or a híbrido month whose sales
    /// are not reported yet (the minimum is shown).
    pub projected: bool,
}

/// Adjustment dates after the last recorded one (or the start) and up to `end` whose year has
/// no recorded adjustment, in order (see `Contrato::pending_adjustments`).
fn projected_adjustments(
    contrato: &Contrato,
    indices: &Indices,
    end: NaiveDate,
) -> Vec<ProjectedAdjustment> {
    contrato
        .pending_adjustments(end)
        .into_iter()
        .filter_map(|date| {
            let index = contrato.adjustment_rule_in_force(date)?.index;
            let year = date.year();
            Some(ProjectedAdjustment {
                date,
                increase: indices
                    .value(index.kind(), year.saturating_sub(1))
                    .map(|value| index.increase(value)),
                source: Source::ajuste(&index, year),
            })
        })
        .collect()
}

fn basis_of(source: &Source, base: &str) -> String {
    match source {
        Source::Contrato | Source::Sistema => base.to_string(),
        Source::OtroSi(n) | Source::Renovacion(n) => n.clone(),
        Source::Ajuste(what) => format!("ajuste {what}"),
    }
}

/// The schedule of the whole contract, month by month.
pub fn canon_schedule(contrato: &Contrato, indices: &Indices) -> Vec<ScheduleRow> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    // An event stored before the date bounds existed may end in the year 200.000: the schedule
    // keeps to the dates the application accepts instead of listing millions of months.
    let end = contrato
        .term()
        .map_or(terms.end_date, |(_, end)| end)
        .min(bounds::MAX_DATE);
    let projected = projected_adjustments(contrato, indices, end);
    let mut rows = Vec::new();
    let mut period = YearMonth::of(terms.start_date.max(bounds::MIN_DATE));
    let last = YearMonth::of(end);
    while period <= last {
        let date = contrato.evaluation_day(period);
        if let Some(row) = month_row(contrato, period, date, &projected) {
            rows.push(row);
        }
        period = period.next();
    }
    rows
}

fn month_row(
    contrato: &Contrato,
    period: YearMonth,
    date: NaiveDate,
    projected: &[ProjectedAdjustment],
) -> Option<ScheduleRow> {
    // A delivered report's billing is what the month costs, whatever the terms say now.
    let delivered = contrato
        .find_sales_report(period)
        .filter(|r| matches!(r.status, SalesReportStatus::Entregado { .. }))
        .and_then(|r| bill_report(contrato, r).ok());
    if let Some(billing) = delivered {
        let mut basis = if billing.grace {
            "periodo de gracia · ventas reportadas".to_string()
        } else {
            "ventas reportadas".to_string()
        };
        if !billing.reliquidaciones.is_empty() {
            basis.push_str(" · ");
            basis.push_str(&headline(&billing));
        }
        return Some(ScheduleRow {
            period,
            amount: Some(billing.total),
            basis,
            source: billing.source,
            projected: false,
        });
    }
    let grace = contrato.grace_canon_on(date);
    let in_force = modality_at(contrato, date, projected)?;
    let pending_note = |basis: String| {
        if !in_force.projected {
            basis
        } else if matches!(in_force.amount_source, Source::Ajuste(_)) {
            format!("{basis} (proyectado)")
        } else {
            format!("{basis} (ajuste pendiente: índice no publicado)")
        }
    };
    let row = match (in_force.modality, grace) {
        // In a grace month the fixed canon and the guaranteed minimum are the grace canon.
        (PaymentModality::Fijo { .. }, Some(canon)) => ScheduleRow {
            period,
            amount: Some(canon),
            basis: "periodo de gracia".to_string(),
            source: Source::Contrato,
            projected: false,
        },
        (PaymentModality::Hibrido { .. }, Some(canon)) => ScheduleRow {
            period,
            amount: Some(canon),
            basis: "periodo de gracia: mínimo del periodo de gracia más el excedente de las ventas (ventas sin reportar)".to_string(),
            source: Source::Contrato,
            projected: true,
        },
        (PaymentModality::Fijo { canon }, None) => ScheduleRow {
            period,
            amount: Some(canon),
            basis: pending_note(basis_of(&in_force.amount_source, "canon fijo")),
            source: in_force.amount_source.clone(),
            projected: in_force.projected,
        },
        (PaymentModality::Hibrido { minimum, .. }, None) => ScheduleRow {
            period,
            amount: Some(minimum),
            basis: pending_note(format!(
                "{} (ventas sin reportar)",
                basis_of(&in_force.amount_source, "mínimo garantizado")
            )),
            source: in_force.amount_source.clone(),
            projected: true,
        },
        (PaymentModality::VariablePuro { .. }, grace) => ScheduleRow {
            period,
            amount: None,
            basis: if grace.is_some() {
                "periodo de gracia: el porcentaje de ventas sigue aplicando (ventas sin reportar)"
                    .to_string()
            } else {
                "ventas sin reportar".to_string()
            },
            source: in_force.percentage_source.clone(),
            projected: false,
        },
    };
    Some(row)
}
