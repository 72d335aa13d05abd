//! The dashboard alerts: every row of the alerts table of `domain.md`, computed for a given
//! `today` (and `now` for backups).
//!
//! Which contracts raise alerts: created, not deleted, not terminated (termination date ≤ today),
//! and either not past their end (see [`upcoming_end`]) or with prórroga automática (a contract
//! past its end with automatic extension and no approved renewal still needs one). Contracts
//! that have not started yet raise alerts too (their pólizas are due before the start). A contract
//! past its end without prórroga automática, renewal or termination raises one alert: Contrato
//! vencido.
//!
//! Severities where the table leaves a gap (documented choices):
//! - Preaviso: warning while the deadline is ahead (within 60 days), danger once past.
//! - Pólizas críticas: expired danger, ≤ 30 days warning, 31–60 days info.
//! - Ajuste: overdue or ≤ 7 days danger, ≤ 30 warning, 31–90 info.
//! - Informe de ventas: overdue danger, due within 5 days warning.

use arriendo_events::{ContractKind, Contrato, format_date};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use crate::checked::days_between;
pub use crate::critical_dates::{
    current_polizas, early_termination_window_start, notice_deadline, pending_adjustment,
    pending_adjustments_through, poliza_expiry, report_deadline,
};
use crate::polizas::{days_to_effective_expiry, missing_policies};
use crate::source::{Source, Sourced};
use crate::vigente::upcoming_end;

mod backup;
mod kinds;
mod notes;
mod sales;

pub use backup::{BackupState, NO_BACKUP_MESSAGE, backup_alert, bogota_date};
pub use kinds::{Alert, AlertAction, AlertKind, Severity, days_phrase};
use notes::follow_up_alerts;
use sales::sales_report_alerts;

/// Vencimiento: end date within this many days.
pub const VENCIMIENTO_DAYS: i64 = 90;
/// Vencimiento turns warning at this many days or fewer (danger within [`WEEK_DAYS`]).
pub const VENCIMIENTO_WARNING_DAYS: i64 = 30;
/// Preaviso: the notice deadline within this many days (or past).
pub const PREAVISO_WINDOW_DAYS: i64 = 60;
/// Pólizas críticas: effective expiry within this many days (or past).
pub const POLIZA_WINDOW_DAYS: i64 = 60;
/// Pólizas críticas turn warning at this many days or fewer.
pub const POLIZA_WARNING_DAYS: i64 = 30;
/// Ajuste: next adjustment date within this many days (or overdue).
pub const AJUSTE_WINDOW_DAYS: i64 = 90;
pub const AJUSTE_WARNING_DAYS: i64 = 30;
/// Renovación automática: end within this many days (or past).
pub const RENOVACION_DAYS: i64 = 30;
/// Informe de ventas: due within this many days.
pub const INFORME_DUE_DAYS: i64 = 5;
/// Seguimiento: a note's follow-up date within this many days (≤ 0, that is due or past: danger).
pub const SEGUIMIENTO_DAYS: i64 = 7;
/// Respaldo: the last successful backup may be at most this many hours old.
pub const BACKUP_MAX_AGE_HOURS: i64 = 26;

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
            subject: CONTRACT_SUBJECT.to_string(),
            owner: None,
            action: None,
            handled: None,
        }
    }

    fn page(&self, rest: &str) -> String {
        format!("/contratos/{}{rest}", self.id)
    }
}

/// The subject of the alerts a contract raises once (vencimiento, preaviso, renovación…).
pub const CONTRACT_SUBJECT: &str = "contrato";

/// Crítica within a week (or past), advertencia within `warning` days, información beyond.
fn by_days(days: i64, warning: i64) -> Severity {
    if days <= WEEK_DAYS {
        Severity::Danger
    } else if days <= warning {
        Severity::Warning
    } else {
        Severity::Info
    }
}

/// «Act this week».
pub const WEEK_DAYS: i64 = 7;

/// Contrato vencido: past its end, without prórroga automática (that one raises Renovación
/// automática), renewal or termination.
pub fn expired_alert(contract_id: Uuid, contrato: &Contrato, today: NaiveDate) -> Option<Alert> {
    let terms = contrato.terms.as_ref()?;
    if contrato.deleted.is_some() || contrato.terminated.is_some() || terms.automatic_extension {
        return None;
    }
    let end = upcoming_end(contrato, today)?;
    if end.value >= today {
        return None;
    }
    let ctx = Ctx {
        id: contract_id,
        contrato,
        number: terms.number.clone(),
        kind: terms.kind,
        today,
    };
    let mut alert = ctx.alert(
        AlertKind::ContratoVencido,
        Severity::Warning,
        &end,
        format!(
            "El contrato {} venció el {} ({}) y no tiene renovación ni terminación registrada",
            terms.number,
            format_date(end.value),
            days_phrase(days_between(today, end.value))
        ),
    );
    alert.action = AlertAction::new(
        "Registrar la terminación o un Otro Sí",
        ctx.page("#terminacion"),
    );
    Some(alert.decided(contrato, today))
}

/// Every alert of one contract on `today`, most severe first.
pub fn contract_alerts(contract_id: Uuid, contrato: &Contrato, today: NaiveDate) -> Vec<Alert> {
    if let Some(expired) = expired_alert(contract_id, contrato, today) {
        return vec![expired];
    }
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

    // Vencimiento de contrato: in force, end within 90 days.
    if terms.start_date <= today && (0..=VENCIMIENTO_DAYS).contains(&days_to_end) {
        let severity = by_days(days_to_end, VENCIMIENTO_WARNING_DAYS);
        let mut alert = ctx.alert(
            AlertKind::Vencimiento,
            severity,
            &end,
            format!(
                "El contrato {n} vence el {end_text} ({}; {})",
                days_phrase(days_to_end),
                end.source.phrase()
            ),
        );
        alert.action = if terms.automatic_extension {
            AlertAction::new("Proponer la renovación", ctx.page("#renovaciones"))
        } else {
            AlertAction::new("Nuevo Otro Sí de prórroga", ctx.page("/otrosi/nuevo"))
        };
        alerts.push(alert);
    }

    // Preaviso: no automatic extension; deadline = end − notice days within 60 days or past.
    if !terms.automatic_extension && days_to_end >= 0 {
        let deadline = notice_deadline(&end, terms.preaviso_days);
        let days = days_between(today, deadline.value);
        if days <= PREAVISO_WINDOW_DAYS {
            let (severity, message) = if days < 0 {
                (
                    Severity::Info,
                    format!(
                        "El plazo de preaviso de no renovación del contrato {n} venció el {} ({} días antes del fin, {end_text})",
                        format_date(deadline.value),
                        terms.preaviso_days
                    ),
                )
            } else {
                (
                    by_days(days, PREAVISO_WINDOW_DAYS),
                    format!(
                        "El preaviso de no renovación del contrato {n} debe darse a más tardar el {} ({}; {} días antes del fin, {end_text})",
                        format_date(deadline.value),
                        days_phrase(days),
                        terms.preaviso_days
                    ),
                )
            };
            let mut alert = ctx.alert(AlertKind::Preaviso, severity, &deadline, message);
            alert.action = AlertAction::new(
                "Registrar el preaviso como nota de seguimiento",
                ctx.page("#seguimiento"),
            );
            alerts.push(alert);
        }
    }

    // Pólizas críticas: effective expiry within 60 days or past.
    for poliza in current_polizas(contrato) {
        let days = days_to_effective_expiry(&poliza.data, today);
        if days > POLIZA_WINDOW_DAYS {
            continue;
        }
        let severity = by_days(days, POLIZA_WARNING_DAYS);
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
        let mut alert = ctx.alert(
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
        );
        alert.subject = poliza.id.to_string();
        alert.action = AlertAction::new(
            "Registrar la renovación de la póliza",
            format!("/polizas/{}", poliza.id),
        );
        alerts.push(alert);
    }

    // Pólizas requeridas no aportadas: danger once exigible within a week.
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
        let severity = if days_between(today, missing.due) <= WEEK_DAYS {
            Severity::Danger
        } else {
            Severity::Warning
        };
        let mut alert = ctx.alert(
            AlertKind::PolizaNoAportada,
            severity,
            &Sourced::new(missing.due, missing.document().clone()),
            message,
        );
        alert.subject = missing.kind.to_string();
        alert.action = AlertAction::new(
            "Registrar la póliza",
            ctx.page(&format!(
                "/polizas/nueva?tipo={}",
                policy_slug(&missing.kind)
            )),
        );
        alerts.push(alert);
    }

    // Ajuste IPC / salario mínimo.
    if let Some((pending, rule)) = pending_adjustment(contrato, today, end.value)
        && let Some(date) = pending.first()
    {
        let days = days_between(today, date.value);
        if days <= AJUSTE_WINDOW_DAYS {
            let severity = by_days(days, AJUSTE_WARNING_DAYS);
            let state = if days < 0 {
                format!("está vencido desde el {}", format_date(date.value))
            } else {
                format!(
                    "corresponde el {} ({})",
                    format_date(date.value),
                    days_phrase(days)
                )
            };
            let mut alert = ctx.alert(
                AlertKind::Ajuste,
                severity,
                date,
                format!(
                    "El ajuste por {} de {} del contrato {n} {state} y no ha sido aplicado{}",
                    rule,
                    date.value.year(),
                    pending_count_phrase(&pending)
                ),
            );
            alert.subject = date.value.year().to_string();
            alert.action = AlertAction::new(
                "Calcular ajuste",
                format!(
                    "/indices/ajustes/{}?anio={}&fecha={}",
                    ctx.id,
                    date.value.year(),
                    date.value.format("%Y-%m-%d")
                ),
            );
            alerts.push(alert);
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
            Severity::Info,
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
        let mut alert = ctx.alert(
            AlertKind::RenovacionAutomatica,
            by_days(days_to_end, RENOVACION_DAYS),
            &end,
            format!("El contrato {n} tiene prórroga automática y {when}{pending}"),
        );
        alert.action = AlertAction::new(
            "Proponer o aprobar la renovación",
            ctx.page("#renovaciones"),
        );
        alerts.push(alert);
    }

    // Informe de ventas.
    alerts.extend(sales_report_alerts(&ctx));

    alerts.extend(follow_up_alerts(&ctx));

    let mut alerts: Vec<Alert> = alerts
        .into_iter()
        .map(|a| a.decided(contrato, today))
        .collect();
    alerts.sort_by_key(|a| (a.severity, a.days_left));
    alerts
}

/// The `tipo` of the póliza form for a policy type.
fn policy_slug(kind: &arriendo_events::PolicyKind) -> &'static str {
    use arriendo_events::PolicyKind;
    match kind {
        PolicyKind::Cumplimiento => "cumplimiento",
        PolicyKind::Rce => "rce",
        PolicyKind::Arrendamiento => "arrendamiento",
        PolicyKind::TodoRiesgo => "todo_riesgo",
        PolicyKind::Otra(_) => "otra",
    }
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
