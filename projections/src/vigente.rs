//! The contract in force on a date ("vista vigente"): base terms plus every approved Otro Sí and
//! renewal whose effective-from ≤ D, applied in order; for each field the latest one that set it
//! wins. Recorded canon adjustments (effective by D) also set the canon, as on the write side.
//! Each field names the document that set it.

use arriendo_events::{
    AdjustmentDate, AdjustmentRule, ContractKind, Contrato, GracePeriod, Money, OtroSi,
    PaymentModality, Percentage, PolicyRequirement, RenewalStatus, adjust_canon,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::source::{Source, Sourced};

/// The terms of a contract in force on `date`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContratoVigente {
    /// The date these terms are in force on.
    pub date: NaiveDate,
    pub number: String,
    pub kind: ContractKind,
    pub purpose: String,
    pub tercero_id: Uuid,
    pub local_id: Option<Uuid>,
    pub start_date: NaiveDate,
    /// The modality with its amounts; the source is the document that set the modality itself.
    pub modality: Sourced<PaymentModality>,
    /// The fixed canon (`Fijo` only).
    pub canon: Option<Sourced<Money>>,
    /// The guaranteed minimum (`Híbrido` only).
    pub minimum: Option<Sourced<Money>>,
    /// The share of sales (`Variable puro` and `Híbrido`).
    pub percentage: Option<Sourced<Percentage>>,
    /// Latest approved renewal's, else latest Otro Sí's that changed it, else the contract's.
    pub end_date: Sourced<NaiveDate>,
    /// The duration a renewal extends by.
    pub duration_months: Sourced<u32>,
    pub adjustment: Option<Sourced<AdjustmentRule>>,
    pub required_policies: Sourced<Vec<PolicyRequirement>>,
    pub automatic_extension: bool,
    pub preaviso_days: u32,
    pub early_termination_notice_days: u32,
    pub sales_report_due_day: Option<u8>,
    pub grace_period: Option<GracePeriod>,
    /// The termination date, when the contract was terminated (in force up to the day before).
    pub terminated_on: Option<NaiveDate>,
    pub deleted: bool,
    /// start ≤ date ≤ end in force, not terminated by then and not deleted.
    pub in_force: bool,
}

impl ContratoVigente {
    /// The fixed amount due monthly (canon of `Fijo`, minimum of `Híbrido`) with its source.
    pub fn fixed_amount(&self) -> Option<&Sourced<Money>> {
        self.canon.as_ref().or(self.minimum.as_ref())
    }
}

/// The contract in force on `date`; `None` before the contract is created.
pub fn vigente(contrato: &Contrato, date: NaiveDate) -> Option<ContratoVigente> {
    let terms = contrato.terms.as_ref()?;
    let modality = modality_at(contrato, date, &[])?;
    let end_date = end_date_at(contrato, date)?;
    let os = contrato.otro_si_in_force(date);

    let duration_months = os
        .iter()
        .rev()
        .find_map(|o| {
            o.changes
                .duration_months
                .map(|m| Sourced::new(m, os_source(o)))
        })
        .unwrap_or_else(|| Sourced::contrato(terms.initial_duration_months));

    let mut adjustment = terms.adjustment.map(Sourced::contrato);
    for o in &os {
        if let Some(index) = o.changes.adjustment_index {
            let on = adjustment
                .as_ref()
                .map_or(AdjustmentDate::Anniversary, |r| r.value.on);
            adjustment = Some(Sourced::new(AdjustmentRule { index, on }, os_source(o)));
        }
        if let Some(on) = o.changes.adjustment_on {
            adjustment =
                adjustment.map(|r| Sourced::new(AdjustmentRule { on, ..r.value }, os_source(o)));
        }
    }

    let required_policies = os
        .iter()
        .rev()
        .find_map(|o| {
            o.changes
                .required_policies
                .clone()
                .map(|p| Sourced::new(p, os_source(o)))
        })
        .unwrap_or_else(|| Sourced::contrato(terms.required_policies.clone()));

    let terminated_on = contrato.terminated.as_ref().map(|t| t.date);
    let deleted = contrato.deleted.is_some();
    let in_force = !deleted
        && terms.start_date <= date
        && date <= end_date.value
        && terminated_on.is_none_or(|t| date < t);

    Some(ContratoVigente {
        date,
        number: terms.number.clone(),
        kind: terms.kind,
        purpose: terms.purpose.clone(),
        tercero_id: terms.tercero_id,
        local_id: terms.local_id,
        start_date: terms.start_date,
        canon: match modality.modality {
            PaymentModality::Fijo { canon } => {
                Some(Sourced::new(canon, modality.amount_source.clone()))
            }
            _ => None,
        },
        minimum: match modality.modality {
            PaymentModality::Hibrido { minimum, .. } => {
                Some(Sourced::new(minimum, modality.amount_source.clone()))
            }
            _ => None,
        },
        percentage: modality
            .modality
            .sales_percentage()
            .map(|p| Sourced::new(p, modality.percentage_source.clone())),
        modality: Sourced::new(modality.modality, modality.modality_source),
        end_date,
        duration_months,
        adjustment,
        required_policies,
        automatic_extension: terms.automatic_extension,
        preaviso_days: terms.preaviso_days,
        early_termination_notice_days: terms.early_termination_notice_days,
        sales_report_due_day: terms.sales_report_due_day,
        grace_period: terms.grace_period.clone(),
        terminated_on,
        deleted,
        in_force,
    })
}

/// The end date in force on `date`, with its document: the latest approved renewal effective by
/// then, else the latest approved Otro Sí in force that changed it, else the contract's own.
pub fn end_date_at(contrato: &Contrato, date: NaiveDate) -> Option<Sourced<NaiveDate>> {
    let terms = contrato.terms.as_ref()?;
    let renewal = contrato
        .renovaciones
        .iter()
        .filter(|r| r.status == RenewalStatus::Aprobada && r.effective_from() <= date)
        .max_by_key(|r| r.number)
        .map(|r| Sourced::new(r.new_end, Source::renovacion(r.number)));
    let amended = || {
        contrato
            .otro_si_in_force(date)
            .into_iter()
            .rev()
            .find_map(|o| {
                o.changes
                    .end_date
                    .map(|end| Sourced::new(end, os_source(o)))
            })
    };
    Some(
        renewal
            .or_else(amended)
            .unwrap_or_else(|| Sourced::contrato(terms.end_date)),
    )
}

/// The end the contract is heading to as seen on `today`: the end in force today, followed
/// through every approved renewal that starts the day after it (an approved RA-1 that takes
/// effect on 01/01/2026 means the contract does not end on 31/12/2025). Alerts use this date.
pub fn upcoming_end(contrato: &Contrato, today: NaiveDate) -> Option<Sourced<NaiveDate>> {
    let mut end = end_date_at(contrato, today)?;
    for _ in 0..=contrato.renovaciones.len() {
        let next = contrato
            .renovaciones
            .iter()
            .filter(|r| r.status == RenewalStatus::Aprobada && r.previous_end == end.value)
            .max_by_key(|r| r.number);
        match next {
            Some(r) if r.new_end > end.value => {
                end = Sourced::new(r.new_end, Source::renovacion(r.number));
            }
            _ => break,
        }
    }
    Some(end)
}

pub(crate) fn os_source(o: &OtroSi) -> Source {
    Source::otro_si(o.number)
}

/// An adjustment not recorded yet, projected by the schedule: applied on `date` as
/// canon × (1 + increase / 100); `increase` is `None` when the index value is not published yet
/// (the canon is kept).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ProjectedAdjustment {
    pub date: NaiveDate,
    pub increase: Option<Decimal>,
    pub source: Source,
}

/// The modality in force and the documents behind its parts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ModalityInForce {
    pub modality: PaymentModality,
    pub modality_source: Source,
    pub amount_source: Source,
    pub percentage_source: Source,
    /// Whether a projected (not recorded) adjustment shaped the amount since the last recorded
    /// change of it.
    pub projected: bool,
}

enum Step<'a> {
    OtroSi(&'a OtroSi),
    Recorded(Money, Source),
    Projected(&'a ProjectedAdjustment),
}

/// Base modality, then approved Otro Sí in force on `date` (by effective date, then number),
/// recorded adjustments effective by `date` and the given projected ones, in date order
/// (an Otro Sí before an adjustment of the same day, as on the write side).
pub(crate) fn modality_at(
    contrato: &Contrato,
    date: NaiveDate,
    projected: &[ProjectedAdjustment],
) -> Option<ModalityInForce> {
    let terms = contrato.terms.as_ref()?;
    let mut steps: Vec<(NaiveDate, u8, Step<'_>)> = contrato
        .otro_si_in_force(date)
        .into_iter()
        .map(|o| (o.effective_from, 0, Step::OtroSi(o)))
        .collect();
    steps.extend(
        contrato
            .ajustes
            .iter()
            .filter(|a| a.effective_date <= date)
            .map(|a| {
                (
                    a.effective_date,
                    1,
                    Step::Recorded(a.new_canon, Source::ajuste(&a.rule, a.year)),
                )
            }),
    );
    steps.extend(
        projected
            .iter()
            .filter(|p| p.date <= date)
            .map(|p| (p.date, 1, Step::Projected(p))),
    );
    steps.sort_by_key(|(d, order, _)| (*d, *order));
    let mut state = ModalityInForce {
        modality: terms.modality,
        modality_source: Source::Contrato,
        amount_source: Source::Contrato,
        percentage_source: Source::Contrato,
        projected: false,
    };
    for (_, _, step) in steps {
        match step {
            Step::OtroSi(o) => {
                let source = os_source(o);
                let c = &o.changes;
                state.modality = c.apply_to_modality(state.modality);
                if c.modality.is_some() || c.canon.is_some() || c.minimum.is_some() {
                    state.projected = false;
                }
                if c.modality.is_some() {
                    state.modality_source = source.clone();
                    state.amount_source = source.clone();
                    state.percentage_source = source.clone();
                }
                if c.canon.is_some() || c.minimum.is_some() {
                    state.amount_source = source.clone();
                }
                if c.percentage.is_some() {
                    state.percentage_source = source;
                }
            }
            Step::Recorded(canon, source) => {
                if state.modality.fixed_amount().is_some() {
                    state.modality = state.modality.with_fixed_amount(canon);
                    state.amount_source = source;
                    state.projected = false;
                }
            }
            Step::Projected(p) => {
                if let Some(current) = state.modality.fixed_amount() {
                    if let Some(increase) = p.increase
                        && let Ok(canon) = adjust_canon(current, increase)
                    {
                        state.modality = state.modality.with_fixed_amount(canon);
                        state.amount_source = p.source.clone();
                    }
                    state.projected = true;
                }
            }
        }
    }
    Some(state)
}
