//! The old system's email alerts: each `gestion_configuracionalerta` becomes the digest settings of
//! the matching alert kind, its `gestion_destinatarioalerta` rows its recipients, and every
//! `gestion_historialenvioemail` row a history row marked «importado». The SMTP row cannot come over:
//! Arriendo reads its server from the environment and the password is encrypted with a key outside
//! the database; the report says what to configure and that the password must be entered again.

use std::collections::{HashMap, HashSet};

use arriendo_projections::AlertKind;
use chrono::{DateTime, Utc};

use super::{IMPORT_USER, Planner};
use crate::digest::history::{Entry, Trigger};
use crate::digest::recipients::valid_email;
use crate::digest::settings::{KindSettingsChange, SettingsInput, parse};
use crate::import::source::Row;

/// A kind's settings as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSettings {
    pub kind: AlertKind,
    pub change: KindSettingsChange,
    /// Who last changed them in the old system (its audit column), else the import.
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

/// A recipient as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecipient {
    pub kind: AlertKind,
    pub email: String,
    pub name: String,
    pub active: bool,
}

/// What the import writes beside the events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestImport {
    pub settings: Vec<ImportedSettings>,
    pub recipients: Vec<ImportedRecipient>,
    pub history: Vec<Entry>,
}

/// The old system's alert codes. IPC and salario mínimo are one kind in Arriendo.
pub fn kind_of(code: &str) -> Option<AlertKind> {
    Some(match code {
        "VENCIMIENTO_CONTRATOS" => AlertKind::Vencimiento,
        "ALERTAS_IPC" | "ALERTAS_SALARIO_MINIMO" => AlertKind::Ajuste,
        "POLIZAS_CRITICAS" => AlertKind::PolizaCritica,
        "PREAVISO_RENOVACION" => AlertKind::Preaviso,
        "POLIZAS_REQUERIDAS" => AlertKind::PolizaNoAportada,
        "TERMINACION_ANTICIPADA" => AlertKind::TerminacionAnticipada,
        "RENOVACION_AUTOMATICA" => AlertKind::RenovacionAutomatica,
        _ => return None,
    })
}

fn frequency_of(code: &str) -> &'static str {
    match code {
        "INMEDIATO" => "inmediata",
        "DIARIO" => "diaria",
        "SEMANAL" => "semanal",
        "MENSUAL" => "mensual",
        _ => "",
    }
}

fn deleted(row: &Row) -> bool {
    row.opt_text("fecha_eliminacion").is_some()
}

fn utc(row: &Row, column: &str) -> Option<DateTime<Utc>> {
    row.opt_datetime(column).ok().flatten().map(|t| t.and_utc())
}

const CONFIG: &str = "gestion_configuracionalerta";
const RECIPIENT: &str = "gestion_destinatarioalerta";
const SMTP: &str = "gestion_configuracionemail";
const HISTORY: &str = "gestion_historialenvioemail";

impl Planner<'_> {
    pub(super) fn digests(&mut self) {
        let configs = self.digest_settings();
        self.digest_recipients(&configs);
        self.digest_history();
        self.digest_smtp();
    }

    /// Settings per kind; returns the kind of each imported configuration row.
    fn digest_settings(&mut self) -> HashMap<i64, AlertKind> {
        let mut kinds = HashMap::new();
        let mut taken: HashSet<AlertKind> = HashSet::new();
        // IPC before salario mínimo, so the IPC row is the one Ajuste keeps.
        let mut rows: Vec<&Row> = self.src.rows(CONFIG).iter().collect();
        rows.sort_by_key(|r| {
            (
                r.opt_text("tipo_alerta").as_deref() != Some("ALERTAS_IPC"),
                r.id,
            )
        });
        for row in rows {
            let code = row.opt_text("tipo_alerta").unwrap_or_default();
            if deleted(row) {
                self.report
                    .skip(CONFIG, row.id, &code, "eliminada en el sistema anterior");
                continue;
            }
            let Some(kind) = kind_of(&code) else {
                self.report.skip(
                    CONFIG,
                    row.id,
                    &code,
                    "tipo de alerta desconocido en Arriendo",
                );
                continue;
            };
            if taken.contains(&kind) {
                kinds.insert(row.id, kind);
                self.report.skip(
                    CONFIG,
                    row.id,
                    &code,
                    format!(
                        "Arriendo tiene una sola alerta «{}»: se conservó la programación de ALERTAS_IPC; sus destinatarios se suman a ella",
                        kind.label()
                    ),
                );
                continue;
            }
            let input = SettingsInput {
                kind: kind.slug().to_string(),
                enabled: row.flag("activo").unwrap_or(false),
                frequency: frequency_of(&row.opt_text("frecuencia").unwrap_or_default()).into(),
                weekdays: serde_json::from_str::<Vec<i64>>(
                    &row.opt_text("dias_semana").unwrap_or_else(|| "[]".into()),
                )
                .unwrap_or_default()
                .iter()
                .map(i64::to_string)
                .collect(),
                time: row.opt_text("hora_envio").unwrap_or_default(),
                only_critical: row.flag("solo_criticas").unwrap_or(false),
                subject: row.opt_text("asunto").unwrap_or_default(),
            };
            match parse(&input) {
                Ok((kind, change)) => {
                    taken.insert(kind);
                    kinds.insert(row.id, kind);
                    self.digests.settings.push(ImportedSettings {
                        kind,
                        change,
                        changed_by: row
                            .opt_text("modificado_por")
                            .or_else(|| row.opt_text("creado_por"))
                            .unwrap_or_else(|| IMPORT_USER.to_string()),
                        changed_at: utc(row, "fecha_modificacion")
                            .or_else(|| utc(row, "fecha_creacion"))
                            .unwrap_or_else(Utc::now),
                    });
                    self.report.imported(CONFIG);
                }
                Err(errors) => {
                    let why: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
                    self.report.skip(CONFIG, row.id, &code, why.join(" "));
                }
            }
        }
        self.report.convert("Alertas por correo: tipo_alerta → tipo de alerta de Arriendo (ALERTAS_IPC y ALERTAS_SALARIO_MINIMO → «Ajuste IPC / salario mínimo»), INMEDIATO/DIARIO/SEMANAL/MENSUAL → inmediata/diaria/semanal/mensual, dias_semana 0 = lunes, hora_envio en hora de Bogotá");
        kinds
    }

    fn digest_recipients(&mut self, kinds: &HashMap<i64, AlertKind>) {
        let mut seen: HashSet<(AlertKind, String)> = HashSet::new();
        for row in self.src.rows(RECIPIENT) {
            let email = row.opt_text("email").unwrap_or_default().to_lowercase();
            if deleted(row) {
                self.report.skip(
                    RECIPIENT,
                    row.id,
                    &email,
                    "eliminado en el sistema anterior",
                );
                continue;
            }
            let config = row.opt_int("configuracion_alerta_id").ok().flatten();
            let Some(kind) = config.and_then(|c| kinds.get(&c)).copied() else {
                self.report.skip(
                    RECIPIENT,
                    row.id,
                    &email,
                    "su configuración de alerta no se importó",
                );
                continue;
            };
            if !valid_email(&email) {
                self.report
                    .skip(RECIPIENT, row.id, &email, "correo electrónico no válido");
                continue;
            }
            if !seen.insert((kind, email.clone())) {
                self.report.skip(
                    RECIPIENT,
                    row.id,
                    &email,
                    format!(
                        "ya es destinatario de «{}» (IPC y salario mínimo se unieron)",
                        kind.label()
                    ),
                );
                continue;
            }
            self.digests.recipients.push(ImportedRecipient {
                kind,
                email,
                name: row.opt_text("nombre").unwrap_or_default(),
                active: row.flag("activo").unwrap_or(false),
            });
            self.report.imported(RECIPIENT);
        }
    }

    fn digest_history(&mut self) {
        for row in self.src.rows(HISTORY) {
            let code = row.opt_text("tipo_alerta").unwrap_or_default();
            let Some(at) = utc(row, "fecha_envio").or_else(|| utc(row, "fecha_creacion")) else {
                self.report
                    .skip(HISTORY, row.id, &code, "sin fecha de envío ni de creación");
                continue;
            };
            self.digests.history.push(Entry {
                run_id: format!("django-{}", row.id),
                kind: kind_of(&code).map_or(code.clone(), |k| k.slug().to_string()),
                recipient: row.opt_text("destinatario").unwrap_or_default(),
                subject: row.opt_text("asunto").unwrap_or_default(),
                status: row.opt_text("estado").unwrap_or_else(|| "PENDIENTE".into()),
                error: row.opt_text("error_mensaje"),
                alert_count: row.opt_int("cantidad_alertas").ok().flatten().unwrap_or(0),
                at,
                trigger: Trigger::Imported.slug().to_string(),
            });
            self.report.imported(HISTORY);
        }
    }

    fn digest_smtp(&mut self) {
        for row in self.src.rows(SMTP) {
            let name = row.opt_text("nombre").unwrap_or_default();
            let tls = if row.flag("email_use_ssl").unwrap_or(false) {
                "tls"
            } else if row.flag("email_use_tls").unwrap_or(false) {
                "starttls"
            } else {
                "none"
            };
            let from = match (row.opt_text("nombre_remitente"), row.opt_text("email_from")) {
                (Some(n), Some(f)) => format!("{n} <{f}>"),
                (None, Some(f)) => f,
                _ => String::new(),
            };
            let active = if row.flag("activo").unwrap_or(false) {
                "activa"
            } else {
                "inactiva"
            };
            self.report.skip(
                SMTP,
                row.id,
                &name,
                format!(
                    "no importado ({active}): Arriendo toma el servidor de correo de las variables de entorno; configure \
                     BACKUP_SMTP_HOST={}, BACKUP_SMTP_PORT={}, BACKUP_SMTP_TLS={tls}, BACKUP_SMTP_USER={}, BACKUP_SMTP_FROM=«{from}». \
                     La contraseña no se puede traer (está cifrada con una clave que no está en la base): escríbala de nuevo en BACKUP_SMTP_PASSWORD",
                    row.opt_text("email_host").unwrap_or_default(),
                    row.opt_text("email_port").unwrap_or_default(),
                    row.opt_text("email_host_user").unwrap_or_default(),
                ),
            );
        }
    }
}
