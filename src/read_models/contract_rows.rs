//! The rows a contract puts in the read models (its list row, alerts, pólizas, renewals, Otros Sí and
//! sales reports), computed in memory for many contracts and written together: one `DELETE` and one
//! multi-row `INSERT` per table and few hundred contracts, instead of one statement per row. The
//! projector, the rebuild and the daily recompute all write contracts through [`Rows`].

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{AlertDecision, Catalogos, Contrato, OtroSiStatus, SalesReportStatus};
use arriendo_projections::alerts::{Severity, contract_alerts};
use arriendo_projections::clausulas::missing_clauses_alert;
use arriendo_projections::polizas::{ComplianceStatus, poliza_views};
use arriendo_projections::{billing, vigente};

use super::contracts::{kind_slug, modality_slug};

mod names;
mod tables;

use crate::store::{StoreError, Tx};
pub use names::Names;
use names::marks;
use tables::*;

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
