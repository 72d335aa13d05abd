//! Dashboard summaries: contracts in force by modality and by kind, and the 12-month chart.

use arriendo_events::{ContractKind, Contrato, PaymentModality, YearMonth};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vigente::vigente;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModalityCounts {
    pub fijo: usize,
    pub variable_puro: usize,
    pub hibrido: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    pub cliente: usize,
    pub proveedor: usize,
}

/// Contracts in force today (modality in force today), optionally only one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub in_force: usize,
    pub by_modality: ModalityCounts,
    pub by_kind: KindCounts,
}

pub fn summary<'a>(
    contracts: impl IntoIterator<Item = &'a Contrato>,
    today: NaiveDate,
    only: Option<ContractKind>,
) -> Summary {
    let mut s = Summary::default();
    for v in contracts.into_iter().filter_map(|c| vigente(c, today)) {
        if !v.in_force || only.is_some_and(|k| k != v.kind) {
            continue;
        }
        bump(&mut s.in_force);
        bump(match v.modality.value {
            PaymentModality::Fijo { .. } => &mut s.by_modality.fijo,
            PaymentModality::VariablePuro { .. } => &mut s.by_modality.variable_puro,
            PaymentModality::Hibrido { .. } => &mut s.by_modality.hibrido,
        });
        bump(match v.kind {
            ContractKind::Cliente => &mut s.by_kind.cliente,
            ContractKind::Proveedor => &mut s.by_kind.proveedor,
        });
    }
    s
}

/// One bar group of the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthBucket {
    pub period: YearMonth,
    /// Contracts (not terminated nor deleted) whose end in force falls in the month.
    pub contracts_ending: usize,
    /// Non-cancelled pólizas of those contracts whose effective expiry (colchón applied) falls in
    /// the month.
    pub policies_expiring: usize,
}

/// The current month and the 11 after it.
pub fn monthly_chart<'a>(
    contracts: impl IntoIterator<Item = &'a Contrato>,
    today: NaiveDate,
    only: Option<ContractKind>,
) -> Vec<MonthBucket> {
    let mut buckets = Vec::with_capacity(12);
    let mut period = YearMonth::of(today);
    for _ in 0..12 {
        buckets.push(MonthBucket {
            period,
            contracts_ending: 0,
            policies_expiring: 0,
        });
        period = period.next();
    }
    for c in contracts {
        let Some(terms) = c.terms.as_ref() else {
            continue;
        };
        if c.deleted.is_some()
            || c.terminated.as_ref().is_some_and(|t| t.date <= today)
            || only.is_some_and(|k| k != terms.kind)
        {
            continue;
        }
        if let Some(end) = crate::vigente::upcoming_end(c, today)
            && let Some(b) = buckets
                .iter_mut()
                .find(|b| b.period == YearMonth::of(end.value))
        {
            bump(&mut b.contracts_ending);
        }
        for p in c.polizas.iter().filter(|p| p.cancelled.is_none()) {
            let month = YearMonth::of(p.data.effective_expiry());
            if let Some(b) = buckets.iter_mut().find(|b| b.period == month) {
                bump(&mut b.policies_expiring);
            }
        }
    }
    buckets
}

/// One more (counts of contracts in memory cannot reach `usize::MAX`; saturating keeps the
/// projections crate free of unchecked arithmetic).
fn bump(count: &mut usize) {
    *count = count.saturating_add(1);
}
