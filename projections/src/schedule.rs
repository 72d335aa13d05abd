//! Canon schedule: the canon due month by month over the contract's life (start month to the
//! month of the latest end date once every approved document applies, or of the termination).
//!
//! Each month is evaluated on its last day (or the end date, in the last month), like billing:
//! - a grace period covering that day sets the month to the grace canon ("periodo de gracia"),
//!   whatever the modality;
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

use crate::billing::bill_report;
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

/// Adjustment dates after the start and up to `end` whose year has no recorded adjustment.
fn projected_adjustments(
    contrato: &Contrato,
    indices: &Indices,
    end: NaiveDate,
) -> Vec<ProjectedAdjustment> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    let mut projected = Vec::new();
    for year in terms.start_date.year().saturating_add(1)..=end.year() {
        if contrato.ajustes.iter().any(|a| a.year == year) {
            continue;
        }
        let Some(rule) = year_start(year).and_then(|d| contrato.adjustment_rule_in_force(d)) else {
            continue;
        };
        let Some(date) = rule.on.in_year(year, terms.start_date) else {
            continue;
        };
        if date <= terms.start_date || date > end {
            continue;
        }
        let index = contrato
            .adjustment_rule_in_force(date)
            .map_or(rule.index, |r| r.index);
        projected.push(ProjectedAdjustment {
            date,
            increase: indices
                .value(index.kind(), year.saturating_sub(1))
                .map(|value| index.increase(value)),
            source: Source::ajuste(&index, year),
        });
    }
    projected
}

fn year_start(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
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
    let mut end = contrato.latest_end_date().unwrap_or(terms.end_date);
    if let Some(t) = &contrato.terminated {
        end = end.min(t.date);
    }
    // An event stored before the date bounds existed may end in the year 200.000: the schedule
    // keeps to the dates the application accepts instead of listing millions of months.
    end = end.min(bounds::MAX_DATE);
    let projected = projected_adjustments(contrato, indices, end);
    let mut rows = Vec::new();
    let mut period = YearMonth::of(terms.start_date.max(bounds::MIN_DATE));
    let last = YearMonth::of(end);
    while period <= last {
        let date = period.last_day().min(end);
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
    let terms = contrato.terms.as_ref()?;
    if let Some(grace) = terms
        .grace_period
        .as_ref()
        .filter(|g| g.period.contains(date))
    {
        return Some(ScheduleRow {
            period,
            amount: Some(grace.canon),
            basis: "periodo de gracia".to_string(),
            source: Source::Contrato,
            projected: false,
        });
    }
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
    let delivered = contrato
        .find_sales_report(period)
        .filter(|r| matches!(r.status, SalesReportStatus::Entregado { .. }))
        .and_then(|r| bill_report(contrato, r).ok());
    let row = match in_force.modality {
        PaymentModality::Fijo { canon } => ScheduleRow {
            period,
            amount: Some(canon),
            basis: pending_note(basis_of(&in_force.amount_source, "canon fijo")),
            source: in_force.amount_source.clone(),
            projected: in_force.projected,
        },
        PaymentModality::Hibrido { minimum, .. } => match delivered {
            Some(billing) => ScheduleRow {
                period,
                amount: Some(billing.total),
                basis: "ventas reportadas".to_string(),
                source: billing.source,
                projected: false,
            },
            None => ScheduleRow {
                period,
                amount: Some(minimum),
                basis: pending_note(format!(
                    "{} (ventas sin reportar)",
                    basis_of(&in_force.amount_source, "mínimo garantizado")
                )),
                source: in_force.amount_source.clone(),
                projected: true,
            },
        },
        PaymentModality::VariablePuro { .. } => match delivered {
            Some(billing) => ScheduleRow {
                period,
                amount: Some(billing.total),
                basis: "ventas reportadas".to_string(),
                source: billing.source,
                projected: false,
            },
            None => ScheduleRow {
                period,
                amount: None,
                basis: "ventas sin reportar".to_string(),
                source: in_force.percentage_source.clone(),
                projected: false,
            },
        },
    };
    Some(row)
}
