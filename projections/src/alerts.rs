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

use arriendo_events::{
    AlertHandling, ContractKind, Contrato, SalesReportStatus, YearMonth, format_date,
};
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
    /// Past its end without prórroga automática, renewal or termination (issue 16).
    ContratoVencido,
    Respaldo,
}

impl AlertKind {
    pub const ALL: [AlertKind; 12] = [
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
        AlertKind::ContratoVencido,
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
            AlertKind::ContratoVencido => "Contrato vencido sin renovar ni terminar",
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
            AlertKind::ContratoVencido => "contrato-vencido",
            AlertKind::Respaldo => "respaldo",
        }
    }

    pub fn from_slug(slug: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// When it is «crítica», «advertencia» or «información»: the rule the guide states.
    pub fn severity_rule(self) -> &'static str {
        match self {
            AlertKind::Vencimiento => {
                "crítica a 7 días o menos del fin; advertencia de 8 a 30 días; información de 31 a 90 días"
            }
            AlertKind::Preaviso => {
                "crítica si el plazo para dar el preaviso vence en 7 días o menos; advertencia de 8 a 60 días; información si ya pasó (ya no puede darse a tiempo)"
            }
            AlertKind::PolizaCritica => {
                "crítica si la póliza ya venció o vence en 7 días o menos; advertencia de 8 a 30 días; información de 31 a 60 días"
            }
            AlertKind::PolizaNoAportada => {
                "crítica si la póliza ya es exigible o lo será en 7 días o menos; advertencia si es exigible más adelante"
            }
            AlertKind::Ajuste => {
                "crítica si el ajuste está vencido o corresponde en 7 días o menos; advertencia de 8 a 30 días; información de 31 a 90 días"
            }
            AlertKind::TerminacionAnticipada => {
                "información: el plazo de aviso de terminación anticipada está abierto"
            }
            AlertKind::RenovacionAutomatica => {
                "crítica si el contrato termina en 7 días o menos (o ya terminó) sin renovación aprobada; advertencia de 8 a 30 días"
            }
            AlertKind::InformeVentas => {
                "crítica si el plazo del informe ya venció; advertencia si vence en 5 días o menos"
            }
            AlertKind::Seguimiento => {
                "crítica el día de la fecha de seguimiento y después; advertencia en los 7 días anteriores"
            }
            AlertKind::ClausulasFaltantes => {
                "información: completar la lista de cláusulas del contrato firmado"
            }
            AlertKind::ContratoVencido => {
                "advertencia: registre la terminación (entrega del local) o un Otro Sí de prórroga"
            }
            AlertKind::Respaldo => {
                "crítica siempre: sin respaldo reciente una falla del servidor pierde datos"
            }
        }
    }
}

/// Where an alert is resolved: the form or page and what the link says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertAction {
    pub label: String,
    pub href: String,
}

impl AlertAction {
    fn new(label: &str, href: String) -> Option<AlertAction> {
        Some(AlertAction {
            label: label.to_string(),
            href,
        })
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
    /// What the alert is about within its kind and contract (`contrato`, a póliza's id, a policy
    /// type, a year, a period `2026-03`, a note `nota-3`): with the kind, what a decision names.
    pub subject: String,
    /// The user whose follow-up note raised it (Seguimiento), for «Mis tareas».
    pub owner: Option<String>,
    /// Where it is resolved (`None` when there is no single place).
    pub action: Option<AlertAction>,
    /// The decision that keeps it off the panel today (postponed, acknowledged), if any.
    pub handled: Option<AlertHandling>,
}

impl Alert {
    /// The decision about this alert recorded on `contrato`, when it holds on `today`.
    pub fn decided(mut self, contrato: &Contrato, today: NaiveDate) -> Alert {
        self.handled = contrato
            .alert_handling(self.kind.slug(), &self.subject)
            .filter(|h| h.hides(self.trigger_date, today))
            .cloned();
        self
    }
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

/// Seguimiento: each note still in force whose follow-up date is at most [`SEGUIMIENTO_DAYS`] away
/// (or past), until a later note dated that day or after records the follow-up.
fn follow_up_alerts(ctx: &Ctx<'_>) -> Vec<Alert> {
    let own = NoteList {
        whose: format!("del contrato {}", ctx.number),
        subject: "nota".to_string(),
        href: ctx.page("#seguimiento"),
    };
    let mut alerts = note_reminders(ctx, &ctx.contrato.seguimientos, &own);
    for p in ctx
        .contrato
        .polizas
        .iter()
        .filter(|p| p.cancelled.is_none())
    {
        let list = NoteList {
            whose: format!(
                "de la póliza {} {} del contrato {}",
                p.data.kind, p.data.number, ctx.number
            ),
            subject: format!("poliza-{}-nota", p.id),
            href: format!("/polizas/{}", p.id),
        };
        alerts.extend(note_reminders(ctx, &p.seguimientos, &list));
    }
    alerts
}

/// One list of notes (a contract's or a póliza's): how it is named, its subjects' prefix, its page.
struct NoteList {
    whose: String,
    subject: String,
    href: String,
}

/// The reminders of one list of notes.
fn note_reminders(
    ctx: &Ctx<'_>,
    notes: &[arriendo_events::Seguimiento],
    list: &NoteList,
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
            let mut alert = ctx.alert(
                AlertKind::Seguimiento,
                severity,
                &Sourced::new(day, Source::Contrato),
                format!(
                    "Seguimiento {}: «{}» (nota {} de {}; {})",
                    list.whose,
                    s.note,
                    i.saturating_add(1),
                    s.author,
                    days_phrase(days)
                ),
            );
            alert.subject = format!("{}-{}", list.subject, i.saturating_add(1));
            alert.owner = Some(s.author.clone());
            alert.action = AlertAction::new("Registrar el seguimiento", list.href.clone());
            Some(alert)
        })
        .collect()
}

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
        let mut alert = ctx.alert(
            AlertKind::InformeVentas,
            severity,
            &Sourced::contrato(deadline),
            format!("El informe de ventas de {period} del contrato {n} {what}; {when}"),
        );
        alert.subject = format!("{:04}-{:02}", period.year(), period.month());
        alert.action = if registered {
            AlertAction::new(
                "Registrar la entrega del informe",
                ctx.page(&format!(
                    "/informes-ventas/{}/{}",
                    period.year(),
                    period.month()
                )),
            )
        } else {
            AlertAction::new("Registrar el informe", ctx.page("/informes-ventas/nuevo"))
        };
        alerts.push(alert);
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
        subject: "respaldo".to_string(),
        owner: None,
        action: AlertAction::new("Ver los respaldos", "/respaldos".to_string()),
        handled: None,
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
