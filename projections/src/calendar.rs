//! The critical-dates calendar: every date of a contract that someone must act on, in a date
//! range — the end (vencimiento), the last day for the notice of non-renewal (preaviso), the start
//! of the early-termination notice period, each pending adjustment, each póliza's effective expiry
//! and each sales report deadline.
//!
//! The dates come from the same helpers as the alerts ([`crate::critical_dates`]), so the calendar and the
//! dashboard never disagree about a date: the alerts decide *whether to warn today*, the calendar
//! only says *when*.

use arriendo_events::{Contrato, SalesReportStatus, YearMonth, format_date};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::checked::minus_days;
use crate::critical_dates::{
    current_polizas, early_termination_window_start, notice_deadline, pending_adjustments_through,
    poliza_expiry, report_deadline,
};
use crate::source::{Source, Sourced};
use crate::vigente::{modality_at, upcoming_end};

/// At most this many months of sales reports are walked for one contract and range: a range is
/// a month on the page and about 15 months in the feed, so this only stops absurd ranges.
const MAX_REPORT_MONTHS: usize = 60;

/// What a calendar date is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CalendarKind {
    Vencimiento,
    Preaviso,
    TerminacionAnticipada,
    Ajuste,
    Poliza,
    InformeVentas,
}

impl CalendarKind {
    pub const ALL: [CalendarKind; 6] = [
        CalendarKind::Vencimiento,
        CalendarKind::Preaviso,
        CalendarKind::TerminacionAnticipada,
        CalendarKind::Ajuste,
        CalendarKind::Poliza,
        CalendarKind::InformeVentas,
    ];

    /// The Spanish name for filters and legends.
    pub fn label(self) -> &'static str {
        match self {
            CalendarKind::Vencimiento => "Vencimiento de contrato",
            CalendarKind::Preaviso => "Preaviso de no renovación",
            CalendarKind::TerminacionAnticipada => "Aviso de terminación anticipada",
            CalendarKind::Ajuste => "Ajuste IPC / salario mínimo",
            CalendarKind::Poliza => "Vencimiento de póliza",
            CalendarKind::InformeVentas => "Informe de ventas",
        }
    }

    /// Stable identifier for query strings and iCal UIDs.
    pub fn slug(self) -> &'static str {
        match self {
            CalendarKind::Vencimiento => "vencimiento",
            CalendarKind::Preaviso => "preaviso",
            CalendarKind::TerminacionAnticipada => "terminacion-anticipada",
            CalendarKind::Ajuste => "ajuste",
            CalendarKind::Poliza => "poliza",
            CalendarKind::InformeVentas => "informe-ventas",
        }
    }

    pub fn from_slug(slug: &str) -> Option<CalendarKind> {
        CalendarKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// One critical date of one contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub date: NaiveDate,
    pub kind: CalendarKind,
    pub contract_id: Uuid,
    pub contract_number: String,
    /// Spanish sentence: "Vence el contrato CT-001".
    pub title: String,
    /// The document that set the date.
    pub source: Source,
    /// Tells entries of the same kind, contract and date apart (the póliza number, the report's
    /// month); empty otherwise. Part of the feed's stable UID.
    pub discriminator: String,
}

/// Every critical date of one contract within `from..=to`, by date. A deleted contract has none;
/// a terminated one has none after its termination date. `today` fixes which end date is in force
/// (the calendar shows what is known today).
pub fn contract_dates(
    contract_id: Uuid,
    contrato: &Contrato,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<CalendarEntry> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    if contrato.deleted.is_some() || from > to {
        return vec![];
    }
    let Some(end) = upcoming_end(contrato, today) else {
        return vec![];
    };
    let n = terms.number.as_str();
    let mut out = Vec::new();
    let mut push = |kind: CalendarKind, at: Sourced<NaiveDate>, title: String, disc: String| {
        out.push(CalendarEntry {
            date: at.value,
            kind,
            contract_id,
            contract_number: n.to_string(),
            title,
            source: at.source,
            discriminator: disc,
        });
    };

    push(
        CalendarKind::Vencimiento,
        end.clone(),
        format!("Vence el contrato {n}"),
        String::new(),
    );
    if !terms.automatic_extension {
        push(
            CalendarKind::Preaviso,
            notice_deadline(&end, terms.preaviso_days),
            format!(
                "Último día para el preaviso de no renovación del contrato {n} ({} días antes del fin, {})",
                terms.preaviso_days,
                format_date(end.value)
            ),
            String::new(),
        );
    }
    push(
        CalendarKind::TerminacionAnticipada,
        early_termination_window_start(&end, terms.early_termination_notice_days),
        format!(
            "Empieza el plazo de aviso de terminación anticipada del contrato {n} ({} días antes del fin, {})",
            terms.early_termination_notice_days,
            format_date(end.value)
        ),
        String::new(),
    );
    if let Some((pending, rule)) = pending_adjustments_through(contrato, today, to.min(end.value)) {
        for date in pending {
            let year = chrono::Datelike::year(&date.value);
            push(
                CalendarKind::Ajuste,
                date,
                format!("Ajuste por {rule} de {year} del contrato {n}"),
                year.to_string(),
            );
        }
    }
    for poliza in current_polizas(contrato) {
        let colchon = match poliza.data.colchon_months {
            0 => String::new(),
            1 => " (colchón de 1 mes)".to_string(),
            m => format!(" (colchón de {m} meses)"),
        };
        push(
            CalendarKind::Poliza,
            poliza_expiry(poliza),
            format!(
                "Vence la póliza {} {} de {} del contrato {n}{colchon}",
                poliza.data.kind, poliza.data.number, poliza.data.insurer
            ),
            poliza.data.number.clone(),
        );
    }
    for (period, deadline) in report_deadlines(contrato, end.value, from, to) {
        push(
            CalendarKind::InformeVentas,
            Sourced::contrato(deadline),
            format!("Vence el plazo del informe de ventas de {period} del contrato {n}"),
            period.to_string(),
        );
    }

    let cutoff = contrato.terminated.as_ref().map(|t| t.date);
    out.retain(|e| from <= e.date && e.date <= to && cutoff.is_none_or(|c| e.date <= c));
    out.sort_by(|a, b| (a.date, a.kind, &a.discriminator).cmp(&(b.date, b.kind, &b.discriminator)));
    out
}

/// The deadlines of the sales reports that can fall in `from..=to`: for each month of the term
/// in which the contract is sales-based (variable puro, híbrido), the deadline of the registered
/// report while pending, or the due day of the following month when not registered yet.
/// Delivered reports have nothing left to do.
fn report_deadlines(
    contrato: &Contrato,
    end: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(YearMonth, NaiveDate)> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    // A deadline falls in the month after its period, and a registered one may be later still:
    // start a month before the range.
    let mut period = YearMonth::of(minus_days(YearMonth::of(from).first_day(), 1));
    let last = YearMonth::of(to);
    let mut out = Vec::new();
    for _ in 0..MAX_REPORT_MONTHS {
        if period > last {
            break;
        }
        let in_term = terms.start_date <= period.last_day() && period.first_day() <= end;
        let sales_based = in_term
            && modality_at(contrato, period.last_day(), &[])
                .is_some_and(|m| m.modality.is_sales_based());
        if sales_based {
            match contrato.find_sales_report(period) {
                Some(r) if r.status == SalesReportStatus::Pendiente => {
                    out.push((period, r.deadline))
                }
                Some(_) => {}
                None => out.push((period, report_deadline(terms.sales_report_due_day, period))),
            }
        }
        period = period.next();
    }
    out
}

/// Every critical date of every contract within `from..=to`, by date, then contract number.
pub fn all_dates<'a>(
    contracts: impl IntoIterator<Item = (Uuid, &'a Contrato)>,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<CalendarEntry> {
    let mut all: Vec<CalendarEntry> = contracts
        .into_iter()
        .flat_map(|(id, c)| contract_dates(id, c, today, from, to))
        .collect();
    all.sort_by(|a, b| {
        (a.date, &a.contract_number, a.kind, &a.discriminator).cmp(&(
            b.date,
            &b.contract_number,
            b.kind,
            &b.discriminator,
        ))
    });
    all
}
