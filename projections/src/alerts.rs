//! The dashboard alerts: every row of the alerts table of `domain.md`, computed for a given
//! `today` (and `now` for backups).
//!
//! Which contracts raise alerts: created, not deleted, not terminated (termination date ≤ today),
//! and either not past their end (see [`upcoming_end`]) or with prórroga automática (a contract
//! past its end with automatic extension and no approved renewal still needs one). Contracts
//! that have not started yet raise alerts too (their pólizas are due before the start).
//!
//! Severities where the table leaves a gap (documented choices):
//! - Preaviso: warning while the deadline is ahead (within 60 days), danger once past.
//! - Pólizas críticas: expired danger, ≤ 30 days warning, 31–60 days info.
//! - Ajuste: overdue or ≤ 7 days danger, ≤ 30 warning, 31–90 info.
//! - Informe de ventas: overdue danger, due within 5 days warning.

use arriendo_events::{ContractKind, Contrato, SalesReportStatus, YearMonth, format_date};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::checked::{days_between, minus_days};
pub use crate::critical_dates::{
    current_polizas, early_termination_window_start, notice_deadline, pending_adjustment,
    pending_adjustments_through, poliza_expiry, report_deadline,
};
use crate::polizas::{days_to_effective_expiry, missing_policies};
use crate::source::{Source, Sourced};
use crate::vigente::{modality_at, upcoming_end};

/// Vencimiento: end date within this many days.
pub const VENCIMIENTO_DAYS: i64 = 90;
/// Vencimiento turns danger at this many days or fewer.
pub const VENCIMIENTO_DANGER_DAYS: i64 = 30;
/// Preaviso: the notice deadline within this many days (or past).
pub const PREAVISO_WINDOW_DAYS: i64 = 60;
/// Pólizas críticas: effective expiry within this many days (or past).
pub const POLIZA_WINDOW_DAYS: i64 = 60;
/// Pólizas críticas turn warning at this many days or fewer.
pub const POLIZA_WARNING_DAYS: i64 = 30;
/// Ajuste: next adjustment date within this many days (or overdue).
pub const AJUSTE_WINDOW_DAYS: i64 = 90;
pub const AJUSTE_DANGER_DAYS: i64 = 7;
pub const AJUSTE_WARNING_DAYS: i64 = 30;
/// Renovación automática: end within this many days (or past).
pub const RENOVACION_DAYS: i64 = 30;
/// Informe de ventas: due within this many days.
pub const INFORME_DUE_DAYS: i64 = 5;
/// Seguimiento: a note's follow-up date within this many days (≤ 0, that is due or past: danger).
pub const SEGUIMIENTO_DAYS: i64 = 7;
/// Respaldo: the last successful backup may be at most this many hours old.
pub const BACKUP_MAX_AGE_HOURS: i64 = 26;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlertKind {
    Vencimiento,
    Preaviso,
    PolizaCritica,
    PolizaNoAportada,
    Ajuste,
    TerminacionAnticipada,
    RenovacionAutomatica,
    InformeVentas,
    /// A follow-up note's date to act again (issue 13 item 5).
    Seguimiento,
    /// A contract in force whose checklist lacks clauses mandatory for it (issue 13 item 3).
    ClausulasFaltantes,
    Respaldo,
}

impl AlertKind {
    pub const ALL: [AlertKind; 11] = [
        AlertKind::Vencimiento,
        AlertKind::Preaviso,
        AlertKind::PolizaCritica,
        AlertKind::PolizaNoAportada,
        AlertKind::Ajuste,
        AlertKind::TerminacionAnticipada,
        AlertKind::RenovacionAutomatica,
        AlertKind::InformeVentas,
        AlertKind::Seguimiento,
        AlertKind::ClausulasFaltantes,
        AlertKind::Respaldo,
    ];

    /// The Spanish name of the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Vencimiento => "Vencimiento de contrato",
            AlertKind::Preaviso => "Preaviso",
            AlertKind::PolizaCritica => "Pólizas críticas",
            AlertKind::PolizaNoAportada => "Pólizas requeridas no aportadas",
            AlertKind::Ajuste => "Ajuste IPC / salario mínimo",
            AlertKind::TerminacionAnticipada => "Terminación anticipada",
            AlertKind::RenovacionAutomatica => "Renovación automática",
            AlertKind::InformeVentas => "Informe de ventas",
            AlertKind::Seguimiento => "Seguimiento pendiente",
            AlertKind::ClausulasFaltantes => "Cláusulas obligatorias faltantes",
            AlertKind::Respaldo => "Respaldo",
        }
    }

    /// Stable identifier for query strings and stored rows.
    pub fn slug(self) -> &'static str {
        match self {
            AlertKind::Vencimiento => "vencimiento",
            AlertKind::Preaviso => "preaviso",
            AlertKind::PolizaCritica => "polizas-criticas",
            AlertKind::PolizaNoAportada => "polizas-no-aportadas",
            AlertKind::Ajuste => "ajuste",
            AlertKind::TerminacionAnticipada => "terminacion-anticipada",
            AlertKind::RenovacionAutomatica => "renovacion-automatica",
            AlertKind::InformeVentas => "informe-ventas",
            AlertKind::Seguimiento => "seguimiento",
            AlertKind::ClausulasFaltantes => "clausulas-faltantes",
            AlertKind::Respaldo => "respaldo",
        }
    }

    pub fn from_slug(slug: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// Ordered most severe first (`Danger < Warning < Info` in `Ord`, so sorting puts danger on top).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Danger,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Danger => "Crítica",
            Severity::Warning => "Advertencia",
            Severity::Info => "Información",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Severity::Danger => "danger",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Severity> {
        [Severity::Danger, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|s| s.slug() == slug)
    }
}

/// One alert of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub severity: Severity,
    /// `None` only for the Respaldo alert.
    pub contract_id: Option<Uuid>,
    /// `None` only for the Respaldo alert.
    pub contract_number: Option<String>,
    /// Cliente / proveedor, for the dashboard filter (`None` for Respaldo).
    pub contract_kind: Option<ContractKind>,
    /// The date that triggers it (end date, notice deadline, effective expiry, …).
    pub trigger_date: NaiveDate,
    /// `trigger_date − today` in days; negative once past.
    pub days_left: i64,
    /// The document that set the trigger date.
    pub source: Source,
    /// Spanish sentence for the dashboard and the email digest.
    pub message: String,
}

/// What the backup job last reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupState {
    pub last_success: Option<DateTime<Utc>>,
    pub last_failed: bool,
    /// When the newest restore drill failed: its start. A backup that cannot be restored is no
    /// backup, so this raises the alert like a failed backup.
    #[serde(default)]
    pub drill_failed_at: Option<DateTime<Utc>>,
}

/// `"vence hoy"`, `"faltan 12 días"`, `"hace 3 días"`.
pub fn days_phrase(days_left: i64) -> String {
    match days_left {
        0 => "hoy".to_string(),
        1 => "falta 1 día".to_string(),
        -1 => "hace 1 día".to_string(),
        d if d > 0 => format!("faltan {d} días"),
        d => format!("hace {} días", d.unsigned_abs()),
    }
}

/// Whether a contract raises alerts on `today` (see the module documentation).
pub fn raises_alerts(contrato: &Contrato, today: NaiveDate) -> bool {
    let Some(terms) = contrato.terms.as_ref() else {
        return false;
    };
    if contrato.deleted.is_some()
        || contrato
            .terminated
            .as_ref()
            .is_some_and(|t| t.date <= today)
    {
        return false;
    }
    terms.automatic_extension || upcoming_end(contrato, today).is_some_and(|e| today <= e.value)
}

struct Ctx<'a> {
    id: Uuid,
    contrato: &'a Contrato,
    number: String,
    kind: ContractKind,
    today: NaiveDate,
}

impl Ctx<'_> {
    fn alert(
        &self,
        kind: AlertKind,
        severity: Severity,
        trigger: &Sourced<NaiveDate>,
        message: String,
    ) -> Alert {
        Alert {
            kind,
            severity,
            contract_id: Some(self.id),
            contract_number: Some(self.number.clone()),
            contract_kind: Some(self.kind),
            trigger_date: trigger.value,
            days_left: days_between(self.today, trigger.value),
            source: trigger.source.clone(),
            message,
        }
    }
}

/// Seguimiento: each note still in force whose follow-up date is at most [`SEGUIMIENTO_DAYS`] away
/// (or past), until a later note dated that day or after records the follow-up.
fn follow_up_alerts(ctx: &Ctx<'_>) -> Vec<Alert> {
    let own = format!("del contrato {}", ctx.number);
    let mut alerts = note_reminders(ctx, &ctx.contrato.seguimientos, &own);
    for p in ctx
        .contrato
        .polizas
        .iter()
        .filter(|p| p.cancelled.is_none())
    {
        let whose = format!(
            "de la póliza {} {} del contrato {}",
            p.data.kind, p.data.number, ctx.number
        );
        alerts.extend(note_reminders(ctx, &p.seguimientos, &whose));
    }
    alerts
}

/// The reminders of one list of notes (a contract's or a póliza's); `whose` names the list.
fn note_reminders(
    ctx: &Ctx<'_>,
    notes: &[arriendo_events::Seguimiento],
    whose: &str,
) -> Vec<Alert> {
    notes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let day = s.follow_up.filter(|_| s.is_active())?;
            let days = days_between(ctx.today, day);
            let answered = notes
                .iter()
                .skip(i.saturating_add(1))
                .any(|later| later.is_active() && later.date >= day);
            if days > SEGUIMIENTO_DAYS || answered {
                return None;
            }
            let severity = if days <= 0 {
                Severity::Danger
            } else {
                Severity::Warning
            };
            Some(ctx.alert(
                AlertKind::Seguimiento,
                severity,
                &Sourced::new(day, Source::Contrato),
                format!(
                    "Seguimiento {whose}: «{}» (nota {} de {}; {})",
                    s.note,
                    i.saturating_add(1),
                    s.author,
                    days_phrase(days)
                ),
            ))
        })
        .collect()
}

/// Every alert of one contract on `today`, most severe first.
pub fn contract_alerts(contract_id: Uuid, contrato: &Contrato, today: NaiveDate) -> Vec<Alert> {
    let (Some(terms), true) = (contrato.terms.as_ref(), raises_alerts(contrato, today)) else {
        return vec![];
    };
    let Some(end) = upcoming_end(contrato, today) else {
        return vec![];
    };
    let ctx = Ctx {
        id: contract_id,
        contrato,
        number: terms.number.clone(),
        kind: terms.kind,
        today,
    };
    let mut alerts = Vec::new();
    let days_to_end = days_between(today, end.value);
    let end_text = format_date(end.value);
    let n = &ctx.number;

    // Vencimiento de contrato: in force, end within 90 days (≤ 30 danger).
    if terms.start_date <= today && (0..=VENCIMIENTO_DAYS).contains(&days_to_end) {
        let severity = if days_to_end <= VENCIMIENTO_DANGER_DAYS {
            Severity::Danger
        } else {
            Severity::Warning
        };
        alerts.push(ctx.alert(
            AlertKind::Vencimiento,
            severity,
            &end,
            format!(
                "El contrato {n} vence el {end_text} ({}; {})",
                days_phrase(days_to_end),
                end.source.phrase()
            ),
        ));
    }

    // Preaviso: no automatic extension; deadline = end − notice days within 60 days or past.
    if !terms.automatic_extension && days_to_end >= 0 {
        let deadline = notice_deadline(&end, terms.preaviso_days);
        let days = days_between(today, deadline.value);
        if days <= PREAVISO_WINDOW_DAYS {
            let (severity, message) = if days < 0 {
                (
                    Severity::Danger,
                    format!(
                        "El plazo de preaviso de no renovación del contrato {n} venció el {} ({} días antes del fin, {end_text})",
                        format_date(deadline.value),
                        terms.preaviso_days
                    ),
                )
            } else {
                (
                    Severity::Warning,
                    format!(
                        "El preaviso de no renovación del contrato {n} debe darse a más tardar el {} ({}; {} días antes del fin, {end_text})",
                        format_date(deadline.value),
                        days_phrase(days),
                        terms.preaviso_days
                    ),
                )
            };
            alerts.push(ctx.alert(AlertKind::Preaviso, severity, &deadline, message));
        }
    }

    // Pólizas críticas: effective expiry within 60 days or past.
    for poliza in current_polizas(contrato) {
        let days = days_to_effective_expiry(&poliza.data, today);
        if days > POLIZA_WINDOW_DAYS {
            continue;
        }
        let severity = if days < 0 {
            Severity::Danger
        } else if days <= POLIZA_WARNING_DAYS {
            Severity::Warning
        } else {
            Severity::Info
        };
        let expiry = poliza_expiry(poliza);
        let colchon = if poliza.data.colchon_months > 0 {
            format!(
                " (colchón de {} {})",
                poliza.data.colchon_months,
                if poliza.data.colchon_months == 1 {
                    "mes"
                } else {
                    "meses"
                }
            )
        } else {
            String::new()
        };
        let verb = if days < 0 { "venció" } else { "vence" };
        alerts.push(ctx.alert(
            AlertKind::PolizaCritica,
            severity,
            &expiry,
            format!(
                "La póliza {} {} de {} del contrato {n} {verb} el {}{colchon}; {}",
                poliza.data.kind,
                poliza.data.number,
                poliza.data.insurer,
                format_date(expiry.value),
                days_phrase(days)
            ),
        ));
    }

    // Pólizas requeridas no aportadas: danger.
    // The trigger is the day the póliza is due; the message says until when it must cover.
    for missing in missing_policies(contrato, today) {
        let by = match missing.document() {
            Source::Contrato => format!("el contrato {n}"),
            other => format!("el {} del contrato {n}", other.short()),
        };
        let terms_of = format!(
            "exigible desde el {}, debe cubrir hasta el {} con un valor asegurado mínimo de {}",
            format_date(missing.due),
            format_date(missing.required_until.value),
            missing.minimum_insured
        );
        let message = if missing.reasons.is_empty() {
            format!(
                "Póliza {} exigida por {by}: no aportada; {terms_of}",
                missing.kind
            )
        } else {
            format!(
                "Póliza {} exigida por {by}: aportada, no cumple: {}; {terms_of}",
                missing.kind,
                missing.reasons.join("; ")
            )
        };
        alerts.push(ctx.alert(
            AlertKind::PolizaNoAportada,
            Severity::Danger,
            &Sourced::new(missing.due, missing.document().clone()),
            message,
        ));
    }

    // Ajuste IPC / salario mínimo.
    if let Some((pending, rule)) = pending_adjustment(contrato, today, end.value)
        && let Some(date) = pending.first()
    {
        let days = days_between(today, date.value);
        if days <= AJUSTE_WINDOW_DAYS {
            let severity = if days <= AJUSTE_DANGER_DAYS {
                Severity::Danger
            } else if days <= AJUSTE_WARNING_DAYS {
                Severity::Warning
            } else {
                Severity::Info
            };
            let state = if days < 0 {
                format!("está vencido desde el {}", format_date(date.value))
            } else {
                format!(
                    "corresponde el {} ({})",
                    format_date(date.value),
                    days_phrase(days)
                )
            };
            alerts.push(ctx.alert(
                AlertKind::Ajuste,
                severity,
                date,
                format!(
                    "El ajuste por {} de {} del contrato {n} {state} y no ha sido aplicado{}",
                    rule,
                    date.value.year(),
                    pending_count_phrase(&pending)
                ),
            ));
        }
    }

    // Terminación anticipada: days to the end ≤ early-termination notice days, i.e. from
    // `early_termination_window_start` to the end.
    if terms.start_date <= today
        && days_to_end >= 0
        && today >= early_termination_window_start(&end, terms.early_termination_notice_days).value
    {
        alerts.push(ctx.alert(
            AlertKind::TerminacionAnticipada,
            Severity::Warning,
            &end,
            format!(
                "Quedan {days_to_end} días para el fin del contrato {n} ({end_text}), dentro del plazo de aviso de terminación anticipada de {} días",
                terms.early_termination_notice_days
            ),
        ));
    }

    // Renovación automática: automatic extension, end within 30 days or past, no approved renewal.
    if terms.automatic_extension && days_to_end <= RENOVACION_DAYS {
        let when = if days_to_end < 0 {
            format!("venció el {end_text}")
        } else {
            format!("vence el {end_text} ({})", days_phrase(days_to_end))
        };
        let pending = contrato
            .renovaciones
            .iter()
            .find(|r| r.status == arriendo_events::RenewalStatus::Propuesta)
            .map(|r| format!("; la renovación {} está pendiente de aprobación", r.number))
            .unwrap_or_else(|| "; no tiene renovación aprobada".to_string());
        alerts.push(ctx.alert(
            AlertKind::RenovacionAutomatica,
            Severity::Warning,
            &end,
            format!("El contrato {n} tiene prórroga automática y {when}{pending}"),
        ));
    }

    // Informe de ventas.
    alerts.extend(sales_report_alerts(&ctx));

    alerts.extend(follow_up_alerts(&ctx));

    alerts.sort_by_key(|a| (a.severity, a.days_left));
    alerts
}

/// "; hay 2 ajustes pendientes (2025 y 2026): se acumulan, por eso se aplican en orden,
/// empezando por 2025"; empty with a single one.
fn pending_count_phrase(pending: &[Sourced<NaiveDate>]) -> String {
    let years: Vec<String> = pending.iter().map(|d| d.value.year().to_string()).collect();
    match years.split_last() {
        Some((last, earlier)) if !earlier.is_empty() => format!(
            "; hay {} ajustes pendientes ({} y {last}): se acumulan, por eso se aplican en orden, empezando por {}",
            years.len(),
            earlier.join(", "),
            earlier.first().map_or("", String::as_str)
        ),
        _ => String::new(),
    }
}

fn sales_report_alerts(ctx: &Ctx<'_>) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let n = &ctx.number;
    let mut alert_for = |period: YearMonth, deadline: NaiveDate, registered: bool| {
        let days = days_between(ctx.today, deadline);
        let severity = if days < 0 {
            Severity::Danger
        } else if days <= INFORME_DUE_DAYS {
            Severity::Warning
        } else {
            return;
        };
        let what = if registered {
            "está pendiente"
        } else {
            "no ha sido registrado"
        };
        let when = if days < 0 {
            format!(
                "venció el {} ({})",
                format_date(deadline),
                days_phrase(days)
            )
        } else {
            format!("vence el {} ({})", format_date(deadline), days_phrase(days))
        };
        alerts.push(ctx.alert(
            AlertKind::InformeVentas,
            severity,
            &Sourced::contrato(deadline),
            format!("El informe de ventas de {period} del contrato {n} {what}; {when}"),
        ));
    };
    for report in &ctx.contrato.informes_ventas {
        if report.status == SalesReportStatus::Pendiente {
            alert_for(report.period, report.deadline, true);
        }
    }
    // The report of the last completed month, when it has not been registered yet.
    if let Some(terms) = ctx.contrato.terms.as_ref() {
        let last_month = YearMonth::of(minus_days(YearMonth::of(ctx.today).first_day(), 1));
        let sales_based = modality_at(ctx.contrato, last_month.last_day(), &[])
            .is_some_and(|m| m.modality.is_sales_based());
        if sales_based
            && terms.start_date <= last_month.last_day()
            && ctx.contrato.find_sales_report(last_month).is_none()
        {
            let deadline = report_deadline(terms.sales_report_due_day, last_month);
            alert_for(last_month, deadline, false);
        }
    }
    alerts
}

/// Colombia is UTC−5 all year (no daylight saving).
const BOGOTA: FixedOffset = match FixedOffset::west_opt(5 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC−5 is a valid offset"),
};

/// The America/Bogota calendar date of an instant.
pub fn bogota_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&BOGOTA).date_naive()
}

/// The Respaldo alert's message when no backup ever succeeded: it has no date to show.
pub const NO_BACKUP_MESSAGE: &str = "No hay ningún respaldo exitoso registrado";

/// Respaldo: danger when there is no successful backup, it is older than 26 hours, the last
/// run failed, or the last restore drill failed.
pub fn backup_alert(backup: Option<&BackupState>, now: DateTime<Utc>) -> Option<Alert> {
    let today = bogota_date(now);
    let alert = |trigger_date: NaiveDate, message: String| Alert {
        kind: AlertKind::Respaldo,
        severity: Severity::Danger,
        contract_id: None,
        contract_number: None,
        contract_kind: None,
        trigger_date,
        days_left: days_between(today, trigger_date),
        source: Source::Sistema,
        message,
    };
    let Some(last_success) = backup.and_then(|b| b.last_success) else {
        return Some(alert(today, NO_BACKUP_MESSAGE.to_string()));
    };
    let failed = backup.is_some_and(|b| b.last_failed);
    let age = now.signed_duration_since(last_success);
    let last = bogota_date(last_success);
    let when = format!(
        "{} a las {}",
        format_date(last),
        last_success.with_timezone(&BOGOTA).format("%H:%M")
    );
    if failed {
        return Some(alert(
            last,
            format!("El último respaldo falló; el último exitoso fue el {when}"),
        ));
    }
    if age > chrono::Duration::hours(BACKUP_MAX_AGE_HOURS) {
        return Some(alert(
            last,
            format!(
                "El último respaldo exitoso tiene más de {BACKUP_MAX_AGE_HOURS} horas (fue el {when})"
            ),
        ));
    }
    if let Some(at) = backup.and_then(|b| b.drill_failed_at) {
        return Some(alert(
            bogota_date(at),
            format!(
                "El último simulacro de restauración falló ({} a las {}): un respaldo que no se \
                 puede restaurar no protege los datos",
                format_date(bogota_date(at)),
                at.with_timezone(&BOGOTA).format("%H:%M")
            ),
        ));
    }
    None
}

/// Every alert of the dashboard: each contract's, then the backup's; most severe first, then the
/// closest date.
pub fn all_alerts<'a>(
    contracts: impl IntoIterator<Item = (Uuid, &'a Contrato)>,
    backup: Option<&BackupState>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<Alert> {
    let mut alerts: Vec<Alert> = contracts
        .into_iter()
        .flat_map(|(id, c)| contract_alerts(id, c, today))
        .collect();
    alerts.extend(backup_alert(backup, now));
    alerts.sort_by(|a, b| {
        (a.severity, a.days_left, &a.contract_number).cmp(&(
            b.severity,
            b.days_left,
            &b.contract_number,
        ))
    });
    alerts
}
