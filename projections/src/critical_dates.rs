//! The dates a contract's alerts and its calendar both derive from its terms: the notice
//! deadline, the start of the early-termination notice period, póliza expiries, pending
//! adjustments and sales report deadlines. One definition each, so the dashboard and the calendar
//! always name the same day (see `tests::calendar::the_calendar_agrees_with_the_alerts`).

use arriendo_events::{Contrato, Poliza, YearMonth};
use chrono::NaiveDate;

use crate::alerts::AJUSTE_WINDOW_DAYS;
use crate::checked::{minus_days, plus_days};
use crate::source::{Source, Sourced};
use crate::vigente::{modality_at, vigente};

/// The last day to give notice of non-renewal: the end in force minus the preaviso days, set by
/// the document that set the end. The Preaviso alert and the calendar both use it.
pub fn notice_deadline(end: &Sourced<NaiveDate>, preaviso_days: u32) -> Sourced<NaiveDate> {
    Sourced::new(
        minus_days(end.value, u64::from(preaviso_days)),
        end.source.clone(),
    )
}

/// The first day inside the early-termination notice period (end minus its notice days): the day
/// the Terminación anticipada alert starts firing.
pub fn early_termination_window_start(
    end: &Sourced<NaiveDate>,
    notice_days: u32,
) -> Sourced<NaiveDate> {
    Sourced::new(
        minus_days(end.value, u64::from(notice_days)),
        end.source.clone(),
    )
}

/// A póliza's effective expiry (colchón applied), set by the document it was delivered for.
pub fn poliza_expiry(poliza: &Poliza) -> Sourced<NaiveDate> {
    Sourced::new(
        poliza.data.effective_expiry(),
        Source::required_by(poliza.data.required_by),
    )
}

/// Non-cancelled pólizas that are not replaced by a later one of the same kind (a newer póliza
/// of the kind with a later effective expiry supersedes the old one).
pub fn current_polizas(contrato: &Contrato) -> impl Iterator<Item = &Poliza> {
    let live = || contrato.polizas.iter().filter(|p| p.cancelled.is_none());
    live().filter(move |p| {
        !live().any(|other| {
            other.id != p.id
                && other.data.kind == p.data.kind
                && other.data.effective_expiry() > p.data.effective_expiry()
        })
    })
}

/// The adjustments not applied yet, earliest first: every adjustment date after the start and
/// after the last recorded adjustment, not after the end and at most 90 days ahead, whose year
/// has no recorded adjustment (see `Contrato::pending_adjustments`). Adjustments compound, so
/// the earliest is the one to apply (and alert) first. With the rule's index name.
pub fn pending_adjustment(
    contrato: &Contrato,
    today: NaiveDate,
    end: NaiveDate,
) -> Option<(Vec<Sourced<NaiveDate>>, String)> {
    let horizon = plus_days(today, AJUSTE_WINDOW_DAYS.unsigned_abs());
    pending_adjustments_through(contrato, today, horizon.min(end))
}

/// The adjustments not applied yet up to `through` (inclusive), earliest first, with the rule's
/// index name: the alert looks 90 days ahead, the calendar as far as it shows.
pub fn pending_adjustments_through(
    contrato: &Contrato,
    today: NaiveDate,
    through: NaiveDate,
) -> Option<(Vec<Sourced<NaiveDate>>, String)> {
    let v = vigente(contrato, today)?;
    let rule = v.adjustment?;
    // Nothing to adjust when no fixed amount is in force (variable puro).
    modality_at(contrato, through, &[])?
        .modality
        .fixed_amount()?;
    let pending: Vec<Sourced<NaiveDate>> = contrato
        .pending_adjustments(through)
        .into_iter()
        .map(|date| Sourced::new(date, rule.source.clone()))
        .collect();
    if pending.is_empty() {
        return None;
    }
    Some((pending, rule.value.index.kind().to_string()))
}

/// The deadline of a month's sales report not registered yet: the contract's due day of the
/// following month (the 28th when the contract names none).
pub fn report_deadline(due_day: Option<u8>, period: YearMonth) -> NaiveDate {
    period.next().day(due_day.unwrap_or(28))
}
