//! The rows a contract puts in the read models (its list row, alerts, pólizas, renewals, Otros Sí and
//! sales reports), computed in memory for many contracts and written together: one `DELETE` and one
//! multi-row `INSERT` per table and few hundred contracts, instead of one statement per row. The
//! projector, the rebuild and the daily recompute all write contracts through [`Rows`].

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{AlertDecision, Catalogos, Contrato, OtroSiStatus, SalesReportStatus};
use arriendo_projections::alerts::{Severity, contract_alerts};
use arriendo_projections::clausulas::missing_clauses_alert;
use arriendo_projections::polizas::{ComplianceStatus, poliza_views};
use arriendo_projections::{billing, vigente};

use super::contracts::{kind_slug, modality_slug};
use crate::store::{StoreError, Tx};

/// Rows per statement: at most 20 binds a row keeps every statement far below both engines' limit
/// on bound parameters (32,766 in SQLite, 65,535 in PostgreSQL).
const CHUNK: usize = 500;

fn severity_rank(severity: Severity) -> i64 {
    match severity {
        Severity::Danger => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// `en_revision` for the inbox's queries (the Spanish display form has a space and an accent).
fn otrosi_status_slug(status: OtroSiStatus) -> &'static str {
    match status {
        OtroSiStatus::Borrador => "borrador",
        OtroSiStatus::EnRevision => "en_revision",
        OtroSiStatus::Aprobado => "aprobado",
        OtroSiStatus::Rechazado => "rechazado",
    }
}

fn status(state: &Contrato, in_force: bool, start: NaiveDate, today: NaiveDate) -> &'static str {
    if state.deleted.is_some() {
        "eliminado"
    } else if state.terminated.as_ref().is_some_and(|t| t.date <= today) {
        "terminado"
    } else if in_force {
        "vigente"
    } else if start > today {
        "por_iniciar"
    } else {
        "vencido"
    }
}

/// The tenants' names and NITs and the premises' names the contracts of one batch show, read from the
/// catalog read models in one statement per few hundred ids.
#[derive(Default)]
pub struct Names {
    terceros: HashMap<String, (String, String)>,
    locales: HashMap<String, String>,
}

impl Names {
    pub async fn load<'a>(
        tx: &mut Tx,
        states: impl IntoIterator<Item = &'a Contrato>,
    ) -> Result<Self, StoreError> {
        let mut terceros = HashSet::new();
        let mut locales = HashSet::new();
        for state in states {
            if let Some(terms) = &state.terms {
                terceros.insert(terms.tercero_id.to_string());
                if let Some(local) = terms.local_id {
                    locales.insert(local.to_string());
                }
            }
        }
        let terceros: Vec<String> = terceros.into_iter().collect();
        let locales: Vec<String> = locales.into_iter().collect();
        let mut names = Names::default();
        for chunk in terceros.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, razon_social, nit FROM rm_terceros WHERE id IN ({})",
                marks(chunk.len())
            );
            let rows: Vec<(String, String, String)> = crate::on_tx!(tx, conn => {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                query.fetch_all(&mut *conn).await?
            });
            names
                .terceros
                .extend(rows.into_iter().map(|(id, name, nit)| (id, (name, nit))));
        }
        for chunk in locales.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, name FROM rm_locales WHERE id IN ({})",
                marks(chunk.len())
            );
            let rows: Vec<(String, String)> = crate::on_tx!(tx, conn => {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                query.fetch_all(&mut *conn).await?
            });
            names.locales.extend(rows);
        }
        Ok(names)
    }

    fn tercero(&self, id: Uuid) -> (String, String) {
        self.terceros
            .get(&id.to_string())
            .cloned()
            .unwrap_or_else(|| ("(tercero desconocido)".into(), String::new()))
    }

    fn local(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.locales.get(&id.to_string()).cloned())
    }
}

/// `$1, $2, …, $n`.
fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct ContractRow {
    id: String,
    number: String,
    kind: &'static str,
    modality: &'static str,
    tercero_id: String,
    tercero_name: String,
    tercero_nit: String,
    local_id: Option<String>,
    local_name: Option<String>,
    start_date: String,
    end_date: String,
    canon: Option<i64>,
    percentage: Option<String>,
    status: &'static str,
    in_force: bool,
    alert_count: i64,
    search: String,
    computed_for: String,
    type_id: Option<String>,
}

struct AlertRow {
    contract_id: String,
    ordinal: i64,
    contract_number: String,
    contract_kind: &'static str,
    kind: &'static str,
    severity: &'static str,
    severity_rank: i64,
    trigger_date: String,
    days_left: i64,
    source: String,
    source_phrase: String,
    message: String,
    subject: String,
    owner: Option<String>,
    action_label: Option<String>,
    action_href: Option<String>,
    handled: Option<&'static str>,
    handled_until: Option<String>,
    handled_by: Option<String>,
    handled_note: Option<String>,
}

struct PolizaRow {
    id: String,
    contract_id: String,
    contract_number: String,
    tercero_name: String,
    kind: String,
    number: String,
    insurer: String,
    insured_value: i64,
    valid_from: String,
    valid_to: String,
    effective_expiry: String,
    status: &'static str,
    compliance: &'static str,
    required_by: String,
    contract_kind: &'static str,
    contract_status: &'static str,
}

struct RenewalRow {
    contract_id: String,
    number: i64,
    contract_number: String,
    tercero_name: String,
    status: String,
    previous_end: String,
    new_end: String,
    proposed_by: String,
    approved_by: Option<String>,
    annulment_reason: Option<String>,
}

struct OtroSiRow {
    contract_id: String,
    number: i64,
    contract_number: String,
    tercero_name: String,
    status: &'static str,
    effective_from: String,
    description: String,
    drafted_by: String,
    submitted_by: Option<String>,
    decided_by: Option<String>,
    rejection_reason: Option<String>,
}

struct ReportRow {
    contract_id: String,
    year: i64,
    month: i64,
    contract_number: String,
    tercero_name: String,
    status: &'static str,
    deadline: String,
    delivered_on: Option<String>,
    gross_sales: Option<i64>,
    returns: Option<i64>,
    billed: Option<i64>,
    overdue: bool,
}

/// The rows of several contracts, waiting to be written. A contract added twice keeps its last rows.
#[derive(Default)]
pub struct Rows {
    /// Contracts whose rows replace the stored ones, in the order they were added.
    ids: Vec<String>,
    contracts: HashMap<String, ContractRow>,
    alerts: HashMap<String, Vec<AlertRow>>,
    polizas: HashMap<String, Vec<PolizaRow>>,
    renewals: HashMap<String, Vec<RenewalRow>>,
    otrosi: HashMap<String, Vec<OtroSiRow>>,
    reports: HashMap<String, Vec<ReportRow>>,
}

impl Rows {
    /// Computes the rows of contract `id` in `state` for `today`. A contract without terms or without
    /// terms in force on any reading keeps whatever rows it has.
    pub fn add(
        &mut self,
        id: &str,
        state: &Contrato,
        today: NaiveDate,
        catalog: &Catalogos,
        names: &Names,
    ) {
        let Some(terms) = &state.terms else {
            return;
        };
        let Some(current) = vigente::vigente(state, today) else {
            return;
        };
        let (tercero_name, tercero_nit) = names.tercero(terms.tercero_id);
        let local_name = names.local(terms.local_id);
        let alerts = match Uuid::parse_str(id) {
            Ok(uuid) => {
                let mut alerts = contract_alerts(uuid, state, today);
                alerts.extend(missing_clauses_alert(uuid, state, catalog, today));
                alerts.sort_by_key(|a| a.severity);
                alerts
            }
            Err(_) => Vec::new(),
        };
        let status = status(state, current.in_force, terms.start_date, today);
        let search = super::search::key(
            &[
                &terms.number,
                &tercero_name,
                local_name.as_deref().unwrap_or_default(),
            ],
            &[&tercero_nit],
        );
        let visible = alerts.iter().filter(|a| a.handled.is_none()).count();
        let number = terms.number.clone();
        let kind = kind_slug(terms.kind);

        let alert_rows = alerts
            .iter()
            .enumerate()
            .map(|(ordinal, alert)| {
                let (handled, handled_until) = match alert.handled.as_ref().map(|h| &h.decision) {
                    Some(AlertDecision::Postponed { until }) => {
                        (Some("pospuesta"), Some(until.to_string()))
                    }
                    Some(AlertDecision::Acknowledged { .. }) => (Some("enterada"), None),
                    None => (None, None),
                };
                AlertRow {
                    contract_id: id.to_string(),
                    ordinal: i64::try_from(ordinal).unwrap_or(i64::MAX),
                    contract_number: alert.contract_number.clone().unwrap_or_default(),
                    contract_kind: alert.contract_kind.map(kind_slug).unwrap_or("cliente"),
                    kind: alert.kind.slug(),
                    severity: alert.severity.slug(),
                    severity_rank: severity_rank(alert.severity),
                    trigger_date: alert.trigger_date.to_string(),
                    days_left: alert.days_left,
                    source: alert.source.short(),
                    source_phrase: alert.source.phrase(),
                    message: alert.message.clone(),
                    subject: alert.subject.clone(),
                    owner: alert.owner.clone(),
                    action_label: alert.action.as_ref().map(|a| a.label.clone()),
                    action_href: alert.action.as_ref().map(|a| a.href.clone()),
                    handled,
                    handled_until,
                    handled_by: alert.handled.as_ref().map(|h| h.by.clone()),
                    handled_note: alert.handled.as_ref().map(|h| h.note.clone()),
                }
            })
            .collect();

        let poliza_rows = poliza_views(state, today)
            .into_iter()
            .map(|view| PolizaRow {
                id: view.id.to_string(),
                contract_id: id.to_string(),
                contract_number: number.clone(),
                tercero_name: tercero_name.clone(),
                kind: view.kind.to_string(),
                number: view.number.clone(),
                insurer: view.insurer.clone(),
                insured_value: view.insured_value.pesos(),
                valid_from: view.validity.from().to_string(),
                valid_to: view.validity.to().to_string(),
                effective_expiry: view.effective_expiry.to_string(),
                status: view.status.slug(),
                compliance: match view.compliance.status {
                    ComplianceStatus::Cumple => "cumple",
                    ComplianceStatus::NoCumple => "no_cumple",
                    ComplianceStatus::NoExigida => "no_exigida",
                },
                required_by: state
                    .find_poliza(view.id)
                    .map(|p| p.data.required_by.to_string())
                    .unwrap_or_default(),
                contract_kind: kind,
                contract_status: status,
            })
            .collect();

        let renewal_rows = state
            .renovaciones
            .iter()
            .map(|renewal| RenewalRow {
                contract_id: id.to_string(),
                number: i64::from(renewal.number.0),
                contract_number: number.clone(),
                tercero_name: tercero_name.clone(),
                status: renewal.status.to_string(),
                previous_end: renewal.previous_end.to_string(),
                new_end: renewal.new_end.to_string(),
                proposed_by: renewal.proposed_by.clone(),
                approved_by: renewal.approved_by.clone(),
                annulment_reason: renewal.annulment_reason.clone(),
            })
            .collect();

        let otrosi_rows = state
            .otro_si
            .iter()
            .map(|o| OtroSiRow {
                contract_id: id.to_string(),
                number: i64::from(o.number.0),
                contract_number: number.clone(),
                tercero_name: tercero_name.clone(),
                status: otrosi_status_slug(o.status),
                effective_from: o.effective_from.to_string(),
                description: o.description.clone(),
                drafted_by: o.drafted_by.clone(),
                submitted_by: o.submitted_by.clone(),
                decided_by: o.decided_by.clone(),
                rejection_reason: o.rejection_reason.clone(),
            })
            .collect();

        let report_rows = state
            .informes_ventas
            .iter()
            .map(|report| {
                let (status, delivered_on, gross_sales, returns) = match report.status {
                    SalesReportStatus::Pendiente => ("pendiente", None, None, None),
                    SalesReportStatus::Entregado {
                        date,
                        gross_sales,
                        returns,
                    } => (
                        "entregado",
                        Some(date.to_string()),
                        Some(gross_sales.pesos()),
                        Some(returns.pesos()),
                    ),
                };
                ReportRow {
                    contract_id: id.to_string(),
                    year: i64::from(report.period.year()),
                    month: i64::from(report.period.month()),
                    contract_number: number.clone(),
                    tercero_name: tercero_name.clone(),
                    status,
                    deadline: report.deadline.to_string(),
                    delivered_on,
                    gross_sales,
                    returns,
                    billed: billing::bill_report(state, report)
                        .ok()
                        .map(|b| b.total.pesos()),
                    overdue: report.is_overdue(today),
                }
            })
            .collect();

        let row = ContractRow {
            id: id.to_string(),
            number: number.clone(),
            kind,
            modality: modality_slug(&current.modality.value),
            tercero_id: terms.tercero_id.to_string(),
            tercero_name,
            tercero_nit,
            local_id: terms.local_id.map(|l| l.to_string()),
            local_name,
            start_date: terms.start_date.to_string(),
            end_date: current.end_date.value.to_string(),
            canon: current
                .canon
                .as_ref()
                .or(current.minimum.as_ref())
                .map(|c| c.value.pesos()),
            percentage: current
                .percentage
                .as_ref()
                .map(|p| p.value.as_decimal().to_string()),
            status,
            in_force: current.in_force && status == "vigente",
            alert_count: i64::try_from(visible).unwrap_or(i64::MAX),
            search,
            computed_for: today.to_string(),
            type_id: terms.type_id.map(|t| t.to_string()),
        };
        if self.contracts.insert(id.to_string(), row).is_none() {
            self.ids.push(id.to_string());
        }
        self.alerts.insert(id.to_string(), alert_rows);
        self.polizas.insert(id.to_string(), poliza_rows);
        self.renewals.insert(id.to_string(), renewal_rows);
        self.otrosi.insert(id.to_string(), otrosi_rows);
        self.reports.insert(id.to_string(), report_rows);
    }

    /// Replaces the stored rows of every contract added with the computed ones.
    pub async fn write(mut self, tx: &mut Tx) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        for table in [
            "rm_alerts",
            "rm_polizas",
            "rm_renewals",
            "rm_otrosi",
            "rm_sales_reports",
        ] {
            for chunk in self.ids.chunks(CHUNK) {
                let sql = format!(
                    "DELETE FROM {table} WHERE contract_id IN ({})",
                    marks(chunk.len())
                );
                crate::on_tx!(tx, conn => {
                    let mut query = sqlx::query(&sql);
                    for id in chunk {
                        query = query.bind(id);
                    }
                    query.execute(&mut *conn).await?.rows_affected()
                });
            }
        }
        let ids = std::mem::take(&mut self.ids);
        let contracts: Vec<ContractRow> = ids
            .iter()
            .filter_map(|id| self.contracts.remove(id))
            .collect();
        write_contracts(tx, &contracts).await?;
        write_alerts(tx, &in_order(&ids, &mut self.alerts)).await?;
        write_polizas(tx, &in_order(&ids, &mut self.polizas)).await?;
        write_renewals(tx, &in_order(&ids, &mut self.renewals)).await?;
        write_otrosi(tx, &in_order(&ids, &mut self.otrosi)).await?;
        write_reports(tx, &in_order(&ids, &mut self.reports)).await
    }
}

/// The rows of every contract in `ids`, contract after contract.
fn in_order<T>(ids: &[String], rows: &mut HashMap<String, Vec<T>>) -> Vec<T> {
    ids.iter()
        .filter_map(|id| rows.remove(id))
        .flatten()
        .collect()
}

/// `INSERT INTO $table ($columns) VALUES (…), (…) $tail` for each chunk of `$rows`, each row's values
/// pushed by `$push` (a closure over the row and the row builder), on either engine.
macro_rules! insert_rows {
    ($tx:expr, $head:expr, $tail:expr, $rows:expr, |$b:ident, $r:ident| $push:expr) => {{
        for chunk in $rows.chunks(CHUNK) {
            crate::on_tx!($tx, conn => {
                let mut insert = sqlx::QueryBuilder::new($head);
                insert.push_values(chunk, |mut $b, $r| {
                    $push;
                });
                insert.push($tail);
                insert.build().execute(&mut *conn).await?.rows_affected()
            });
        }
        Ok::<(), StoreError>(())
    }};
}

async fn write_contracts(tx: &mut Tx, rows: &[ContractRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_contracts (id, number, kind, modality, tercero_id, tercero_name, tercero_nit, \
         local_id, local_name, start_date, end_date, canon, percentage, status, in_force, alert_count, \
         search, computed_for, type_id) ",
        " ON CONFLICT (id) DO UPDATE SET number = excluded.number, kind = excluded.kind, \
         modality = excluded.modality, tercero_id = excluded.tercero_id, \
         tercero_name = excluded.tercero_name, tercero_nit = excluded.tercero_nit, \
         local_id = excluded.local_id, local_name = excluded.local_name, \
         start_date = excluded.start_date, end_date = excluded.end_date, canon = excluded.canon, \
         percentage = excluded.percentage, status = excluded.status, in_force = excluded.in_force, \
         alert_count = excluded.alert_count, search = excluded.search, \
         computed_for = excluded.computed_for, type_id = excluded.type_id",
        rows,
        |b, r| b
            .push_bind(&r.id)
            .push_bind(&r.number)
            .push_bind(r.kind)
            .push_bind(r.modality)
            .push_bind(&r.tercero_id)
            .push_bind(&r.tercero_name)
            .push_bind(&r.tercero_nit)
            .push_bind(&r.local_id)
            .push_bind(&r.local_name)
            .push_bind(&r.start_date)
            .push_bind(&r.end_date)
            .push_bind(r.canon)
            .push_bind(&r.percentage)
            .push_bind(r.status)
            .push_bind(r.in_force)
            .push_bind(r.alert_count)
            .push_bind(&r.search)
            .push_bind(&r.computed_for)
            .push_bind(&r.type_id)
    )
}

async fn write_alerts(tx: &mut Tx, rows: &[AlertRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_alerts (contract_id, ordinal, contract_number, contract_kind, kind, severity, \
         severity_rank, trigger_date, days_left, source, source_phrase, message, subject, owner, \
         action_label, action_href, handled, handled_until, handled_by, handled_note) ",
        "",
        rows,
        |b, r| b
            .push_bind(&r.contract_id)
            .push_bind(r.ordinal)
            .push_bind(&r.contract_number)
            .push_bind(r.contract_kind)
            .push_bind(r.kind)
            .push_bind(r.severity)
            .push_bind(r.severity_rank)
            .push_bind(&r.trigger_date)
            .push_bind(r.days_left)
            .push_bind(&r.source)
            .push_bind(&r.source_phrase)
            .push_bind(&r.message)
            .push_bind(&r.subject)
            .push_bind(&r.owner)
            .push_bind(&r.action_label)
            .push_bind(&r.action_href)
            .push_bind(r.handled)
            .push_bind(&r.handled_until)
            .push_bind(&r.handled_by)
            .push_bind(&r.handled_note)
    )
}

async fn write_polizas(tx: &mut Tx, rows: &[PolizaRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_polizas (id, contract_id, contract_number, tercero_name, kind, number, insurer, \
         insured_value, valid_from, valid_to, effective_expiry, status, compliance, required_by, \
         contract_kind, contract_status) ",
        "",
        rows,
        |b, r| b
            .push_bind(&r.id)
            .push_bind(&r.contract_id)
            .push_bind(&r.contract_number)
            .push_bind(&r.tercero_name)
            .push_bind(&r.kind)
            .push_bind(&r.number)
            .push_bind(&r.insurer)
            .push_bind(r.insured_value)
            .push_bind(&r.valid_from)
            .push_bind(&r.valid_to)
            .push_bind(&r.effective_expiry)
            .push_bind(r.status)
            .push_bind(r.compliance)
            .push_bind(&r.required_by)
            .push_bind(r.contract_kind)
            .push_bind(r.contract_status)
    )
}

async fn write_renewals(tx: &mut Tx, rows: &[RenewalRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_renewals (contract_id, number, contract_number, tercero_name, status, \
         previous_end, new_end, proposed_by, approved_by, annulment_reason) ",
        "",
        rows,
        |b, r| b
            .push_bind(&r.contract_id)
            .push_bind(r.number)
            .push_bind(&r.contract_number)
            .push_bind(&r.tercero_name)
            .push_bind(&r.status)
            .push_bind(&r.previous_end)
            .push_bind(&r.new_end)
            .push_bind(&r.proposed_by)
            .push_bind(&r.approved_by)
            .push_bind(&r.annulment_reason)
    )
}

async fn write_otrosi(tx: &mut Tx, rows: &[OtroSiRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_otrosi (contract_id, number, contract_number, tercero_name, status, \
         effective_from, description, drafted_by, submitted_by, decided_by, rejection_reason) ",
        "",
        rows,
        |b, r| b
            .push_bind(&r.contract_id)
            .push_bind(r.number)
            .push_bind(&r.contract_number)
            .push_bind(&r.tercero_name)
            .push_bind(r.status)
            .push_bind(&r.effective_from)
            .push_bind(&r.description)
            .push_bind(&r.drafted_by)
            .push_bind(&r.submitted_by)
            .push_bind(&r.decided_by)
            .push_bind(&r.rejection_reason)
    )
}

async fn write_reports(tx: &mut Tx, rows: &[ReportRow]) -> Result<(), StoreError> {
    insert_rows!(
        tx,
        "INSERT INTO rm_sales_reports (contract_id, year, month, contract_number, tercero_name, status, \
         deadline, delivered_on, gross_sales, returns, billed, overdue) ",
        "",
        rows,
        |b, r| b
            .push_bind(&r.contract_id)
            .push_bind(r.year)
            .push_bind(r.month)
            .push_bind(&r.contract_number)
            .push_bind(&r.tercero_name)
            .push_bind(r.status)
            .push_bind(&r.deadline)
            .push_bind(&r.delivered_on)
            .push_bind(r.gross_sales)
            .push_bind(r.returns)
            .push_bind(r.billed)
            .push_bind(r.overdue)
    )
}
