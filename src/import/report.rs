//! What the operator reads before switching: counts per table, every row skipped or changed and
//! why, the conversions applied, and where the two systems disagree on the import date. Written
//! as JSON (for tools and tests) or HTML (for people); the text is Spanish.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, html};
use serde::Serialize;

/// How the import ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Planned only (`--dry-run`): nothing was written.
    DryRun { events: usize },
    /// Every planned event was written in one transaction.
    Imported { events: usize },
    /// Rows could not be brought over: nothing was written.
    Rejected { errors: usize },
    /// The store already held data: nothing was written.
    StoreNotEmpty { events: i64 },
    /// Writing failed; the transaction was rolled back, so nothing was written.
    WriteFailed { reason: String },
}

/// One row named with its table and id, and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub table: String,
    pub id: i64,
    /// What the row is, in the words of the old system (`ARR-2023-103 OS-3`).
    pub subject: String,
    pub reason: String,
}

/// Rows of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub read: usize,
    pub imported: usize,
    pub skipped: usize,
}

/// A table whose content Arriendo does not model yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotImported {
    pub table: String,
    pub rows: usize,
    pub reason: String,
}

/// Where the two systems say different things about a contract on the import date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub contract: String,
    /// `fin`, `canon`, `pólizas requeridas`, `facturación 2026-08`…
    pub aspect: String,
    pub source: String,
    pub arriendo: String,
    pub why: String,
}

/// A user account created by the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserLine {
    pub username: String,
    pub role: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub source: String,
    pub as_of: NaiveDate,
    pub outcome: Outcome,
    pub tables: BTreeMap<String, TableCount>,
    pub not_imported: Vec<NotImported>,
    /// Rows that cannot be brought over: any of them stops the import.
    pub errors: Vec<Finding>,
    pub skipped: Vec<Finding>,
    pub changed: Vec<Finding>,
    /// Each conversion rule, in plain Spanish, and how many times it applied.
    pub conversions: BTreeMap<String, usize>,
    pub differences: Vec<Difference>,
    pub users: Vec<UserLine>,
    /// What to do after a failed write.
    pub recovery: Option<String>,
}

impl Report {
    pub fn new(source: &Path, as_of: NaiveDate) -> Report {
        Report {
            source: source.display().to_string(),
            as_of,
            outcome: Outcome::DryRun { events: 0 },
            tables: BTreeMap::new(),
            not_imported: vec![],
            errors: vec![],
            skipped: vec![],
            changed: vec![],
            conversions: BTreeMap::new(),
            differences: vec![],
            users: vec![],
            recovery: None,
        }
    }

    pub fn count(&mut self, table: &str) -> &mut TableCount {
        self.tables.entry(table.to_string()).or_default()
    }

    pub fn imported(&mut self, table: &str) {
        self.count(table).imported += 1;
    }

    pub fn skip(
        &mut self,
        table: &str,
        id: i64,
        subject: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.count(table).skipped += 1;
        self.skipped.push(finding(table, id, subject, reason));
    }

    pub fn change(
        &mut self,
        table: &str,
        id: i64,
        subject: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.changed.push(finding(table, id, subject, reason));
    }

    pub fn error(
        &mut self,
        table: &str,
        id: i64,
        subject: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.errors.push(finding(table, id, subject, reason));
    }

    pub fn convert(&mut self, rule: &str) {
        *self.conversions.entry(rule.to_string()).or_default() += 1;
    }

    pub fn differ(
        &mut self,
        contract: &str,
        aspect: impl Into<String>,
        source: impl Into<String>,
        arriendo: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.differences.push(Difference {
            contract: contract.to_string(),
            aspect: aspect.into(),
            source: source.into(),
            arriendo: arriendo.into(),
            why: why.into(),
        });
    }

    /// Writes the report: `.json` as JSON, anything else as HTML.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let body = if is_json {
            serde_json::to_string_pretty(self).map_err(std::io::Error::other)?
        } else {
            self.html().into_string()
        };
        std::fs::write(path, body)
    }

    /// One paragraph for the terminal.
    pub fn summary(&self) -> String {
        let outcome = match &self.outcome {
            Outcome::DryRun { events } => {
                format!("Ensayo (--dry-run): se escribirían {events} eventos; no se escribió nada.")
            }
            Outcome::Imported { events } => {
                format!("Importación completa: {events} eventos escritos.")
            }
            Outcome::Rejected { errors } => format!(
                "Importación rechazada: {errors} filas no se pueden traer; no se escribió nada."
            ),
            Outcome::StoreNotEmpty { events } => format!(
                "El almacén ya tiene {events} eventos de negocio: la importación solo se hace en un almacén vacío; no se escribió nada."
            ),
            Outcome::WriteFailed { reason } => format!(
                "La escritura falló ({reason}); la transacción se deshizo y no quedó nada escrito."
            ),
        };
        format!(
            "{outcome}\nFilas omitidas: {}; filas con cambios: {}; diferencias con el sistema anterior al {}: {}.",
            self.skipped.len(),
            self.changed.len(),
            arriendo_events::format_date(self.as_of),
            self.differences.len()
        )
    }

    fn html(&self) -> Markup {
        let findings = |title: &str, rows: &[Finding]| {
            html! {
                h2 { (title) " (" (rows.len()) ")" }
                @if !rows.is_empty() {
                    table { tr { th { "Tabla" } th { "Id" } th { "Fila" } th { "Motivo" } }
                        @for f in rows { tr { td { (f.table) } td { (f.id) } td { (f.subject) } td { (f.reason) } } }
                    }
                }
            }
        };
        html! {
            (DOCTYPE)
            html lang="es" {
                head {
                    meta charset="utf-8";
                    title { "Informe de importación desde el sistema anterior" }
                    style { "body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}" }
                }
                body {
                    h1 { "Informe de importación desde el sistema anterior" }
                    p { "Archivo: " code { (self.source) } }
                    p { "Fecha de comparación: " (arriendo_events::format_date(self.as_of)) }
                    p { strong { (self.summary()) } }
                    @if let Some(recovery) = &self.recovery { p { strong { "Qué hacer: " } (recovery) } }
                    h2 { "Filas por tabla" }
                    table { tr { th { "Tabla" } th { "Leídas" } th { "Importadas" } th { "Omitidas" } }
                        @for (table, c) in &self.tables { tr { td { (table) } td { (c.read) } td { (c.imported) } td { (c.skipped) } } }
                    }
                    h2 { "No importado: Arriendo aún no lo tiene" }
                    table { tr { th { "Tabla" } th { "Filas" } th { "Motivo" } }
                        @for n in &self.not_imported { tr { td { (n.table) } td { (n.rows) } td { (n.reason) } } }
                    }
                    (findings("Errores: filas que no se pueden traer", &self.errors))
                    (findings("Filas omitidas", &self.skipped))
                    (findings("Filas con cambios", &self.changed))
                    h2 { "Conversiones aplicadas" }
                    table { tr { th { "Regla" } th { "Veces" } }
                        @for (rule, n) in &self.conversions { tr { td { (rule) } td { (n) } } }
                    }
                    h2 { "Diferencias entre los dos sistemas al " (arriendo_events::format_date(self.as_of)) " (" (self.differences.len()) ")" }
                    table { tr { th { "Contrato" } th { "Aspecto" } th { "Sistema anterior" } th { "Arriendo" } th { "Por qué" } }
                        @for d in &self.differences { tr { td { (d.contract) } td { (d.aspect) } td { (d.source) } td { (d.arriendo) } td { (d.why) } } }
                    }
                    h2 { "Usuarios" }
                    table { tr { th { "Usuario" } th { "Rol" } th { "Nota" } }
                        @for u in &self.users { tr { td { (u.username) } td { (u.role) } td { (u.note) } } }
                    }
                }
            }
        }
    }
}

fn finding(table: &str, id: i64, subject: impl Into<String>, reason: impl Into<String>) -> Finding {
    Finding {
        table: table.to_string(),
        id,
        subject: subject.into(),
        reason: reason.into(),
    }
}
