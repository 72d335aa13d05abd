//! What an alert is: its kind, severity, where it is resolved, and how its days read.

use arriendo_events::{AlertHandling, ContractKind, Contrato};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::source::Source;

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
    pub(super) fn new(label: &str, href: String) -> Option<AlertAction> {
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
