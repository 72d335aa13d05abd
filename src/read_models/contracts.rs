//! Contracts with their terms in force today, and what hangs off them: alerts, pólizas and sales
//! reports. Each contract's events are kept beside the list columns (`contract_events`), so detail
//! pages fold the contract and compute everything else with the projections' pure functions.

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{
    AlertDecision, Catalogos, ContractKind, Contrato, ContratoEvent, OtroSiStatus, PaymentModality,
    SalesReportStatus,
};
use arriendo_projections::alerts::{Alert, Severity, contract_alerts};
use arriendo_projections::clausulas::missing_clauses_alert;
use arriendo_projections::polizas::{ComplianceStatus, poliza_views};
use arriendo_projections::{billing, vigente};

use super::contract_events;
use super::payload::typed;
use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

pub fn kind_slug(kind: ContractKind) -> &'static str {
    match kind {
        ContractKind::Cliente => "cliente",
        ContractKind::Proveedor => "proveedor",
    }
}

pub fn modality_slug(modality: &PaymentModality) -> &'static str {
    match modality {
        PaymentModality::Fijo { .. } => "fijo",
        PaymentModality::VariablePuro { .. } => "variable",
        PaymentModality::Hibrido { .. } => "hibrido",
    }
}

fn severity_rank(severity: Severity) -> i64 {
    match severity {
        Severity::Danger => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

pub async fn apply(tx: &mut Tx, event: &StoredEvent, today: NaiveDate) -> Result<(), StoreError> {
    let mut state = contract_events::load_in(tx, &event.aggregate_id).await?;
    state.apply_event(typed::<ContratoEvent>(event)?);
    contract_events::insert(tx, &[event]).await?;
    let catalog = super::catalogos::load_in(tx).await?;
    write(tx, &event.aggregate_id, &state, today, &catalog).await
}

/// Every event of one contract at once, into empty read models (a rebuild): one write of its rows
/// instead of one per event.
pub async fn apply_whole(
    tx: &mut Tx,
    events: &[&StoredEvent],
    today: NaiveDate,
) -> Result<(), StoreError> {
    let Some(first) = events.first() else {
        return Ok(());
    };
    let mut state = Contrato::default();
    for event in events {
        state.apply_event(typed::<ContratoEvent>(event)?);
    }
    contract_events::insert(tx, events).await?;
    let catalog = super::catalogos::load_in(tx).await?;
    write(tx, &first.aggregate_id, &state, today, &catalog).await
}

/// Recomputes every contract whose `column` (tercero_id or local_id) is `value`: names changed.
pub async fn refresh_where(
    tx: &mut Tx,
    column: &'static str,
    value: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let sql = format!("SELECT id FROM rm_contracts WHERE {column} = $1");
    let ids: Vec<String> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(value).fetch_all(&mut *conn).await?
    });
    let catalog = super::catalogos::load_in(tx).await?;
    for id in ids {
        let state = contract_events::load_in(tx, &id).await?;
        write(tx, &id, &state, today, &catalog).await?;
    }
    Ok(())
}

/// Recomputes every contract for a new date (terms in force, alerts and statuses change with it), a
/// few hundred contracts in memory at a time.
pub async fn refresh_all(tx: &mut Tx, today: NaiveDate) -> Result<(), StoreError> {
    let catalog = super::catalogos::load_in(tx).await?;
    let mut after = String::new();
    loop {
        let contracts = contract_events::load_range(tx, &after, 200).await?;
        let Some((last, _)) = contracts.last() else {
            return Ok(());
        };
        after = last.clone();
        for (id, state) in &contracts {
            write(tx, id, state, today, &catalog).await?;
        }
    }
}

/// Names of the contract's tenant (name, NIT) and premises, from the catalog read models.
async fn names(
    tx: &mut Tx,
    tercero_id: Uuid,
    local_id: Option<Uuid>,
) -> Result<(String, String, Option<String>), StoreError> {
    let tercero: Option<(String, String)> = crate::on_tx!(tx, conn => {
        sqlx::query_as("SELECT razon_social, nit FROM rm_terceros WHERE id = $1")
            .bind(tercero_id.to_string())
            .fetch_optional(&mut *conn)
            .await?
    });
    let local: Option<String> = match local_id {
        Some(local_id) => crate::on_tx!(tx, conn => {
            sqlx::query_scalar("SELECT name FROM rm_locales WHERE id = $1")
                .bind(local_id.to_string())
                .fetch_optional(&mut *conn)
                .await?
        }),
        None => None,
    };
    let (name, nit) = tercero.unwrap_or_else(|| ("(tercero desconocido)".into(), String::new()));
    Ok((name, nit, local))
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

async fn write(
    tx: &mut Tx,
    id: &str,
    state: &Contrato,
    today: NaiveDate,
    catalog: &Catalogos,
) -> Result<(), StoreError> {
    let Some(terms) = &state.terms else {
        return Ok(());
    };
    let Some(current) = vigente::vigente(state, today) else {
        return Ok(());
    };
    let (tercero_name, tercero_nit, local_name) =
        names(tx, terms.tercero_id, terms.local_id).await?;
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
    let canon = current
        .canon
        .as_ref()
        .or(current.minimum.as_ref())
        .map(|c| c.value.pesos());
    let percentage = current
        .percentage
        .as_ref()
        .map(|p| p.value.as_decimal().to_string());
    let visible = alerts.iter().filter(|a| a.handled.is_none()).count();
    let alert_count = i64::try_from(visible).unwrap_or(i64::MAX);
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_contracts (id, number, kind, modality, tercero_id, tercero_name, tercero_nit, \
             local_id, local_name, start_date, end_date, canon, percentage, status, in_force, alert_count, \
             search, computed_for, type_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
             ON CONFLICT (id) DO UPDATE SET number = $2, kind = $3, modality = $4, tercero_id = $5, \
             tercero_name = $6, tercero_nit = $7, local_id = $8, local_name = $9, start_date = $10, \
             end_date = $11, canon = $12, percentage = $13, status = $14, in_force = $15, \
             alert_count = $16, search = $17, computed_for = $18, type_id = $19",
        )
        .bind(id)
        .bind(&terms.number)
        .bind(kind_slug(terms.kind))
        .bind(modality_slug(&current.modality.value))
        .bind(terms.tercero_id.to_string())
        .bind(&tercero_name)
        .bind(&tercero_nit)
        .bind(terms.local_id.map(|l| l.to_string()))
        .bind(&local_name)
        .bind(terms.start_date.to_string())
        .bind(current.end_date.value.to_string())
        .bind(canon)
        .bind(&percentage)
        .bind(status)
        .bind(current.in_force && status == "vigente")
        .bind(alert_count)
        .bind(&search)
        .bind(today.to_string())
        .bind(terms.type_id.map(|t| t.to_string()))
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    write_alerts(tx, id, &alerts).await?;
    let contract = PolizaContract {
        id,
        number: &terms.number,
        tercero_name: &tercero_name,
        kind: kind_slug(terms.kind),
        status,
    };
    write_polizas(tx, &contract, state, today).await?;
    write_renewals(tx, id, state, &terms.number, &tercero_name).await?;
    write_otrosi(tx, id, state, &terms.number, &tercero_name).await?;
    write_sales_reports(tx, id, state, &terms.number, &tercero_name, today).await
}

async fn write_renewals(
    tx: &mut Tx,
    id: &str,
    state: &Contrato,
    number: &str,
    tercero_name: &str,
) -> Result<(), StoreError> {
    clear(tx, "rm_renewals", id).await?;
    for renewal in &state.renovaciones {
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO rm_renewals (contract_id, number, contract_number, tercero_name, status, \
                 previous_end, new_end, proposed_by, approved_by, annulment_reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(i64::from(renewal.number.0))
            .bind(number)
            .bind(tercero_name)
            .bind(renewal.status.to_string())
            .bind(renewal.previous_end.to_string())
            .bind(renewal.new_end.to_string())
            .bind(&renewal.proposed_by)
            .bind(&renewal.approved_by)
            .bind(&renewal.annulment_reason)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
    }
    Ok(())
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

async fn write_otrosi(
    tx: &mut Tx,
    id: &str,
    state: &Contrato,
    number: &str,
    tercero_name: &str,
) -> Result<(), StoreError> {
    clear(tx, "rm_otrosi", id).await?;
    for o in &state.otro_si {
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO rm_otrosi (contract_id, number, contract_number, tercero_name, status, \
                 effective_from, description, drafted_by, submitted_by, decided_by, rejection_reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(i64::from(o.number.0))
            .bind(number)
            .bind(tercero_name)
            .bind(otrosi_status_slug(o.status))
            .bind(o.effective_from.to_string())
            .bind(&o.description)
            .bind(&o.drafted_by)
            .bind(&o.submitted_by)
            .bind(&o.decided_by)
            .bind(&o.rejection_reason)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}

async fn clear(tx: &mut Tx, table: &str, id: &str) -> Result<(), StoreError> {
    let sql = format!("DELETE FROM {table} WHERE contract_id = $1");
    crate::on_tx!(tx, conn => {
        sqlx::query(&sql).bind(id).execute(&mut *conn).await?.rows_affected()
    });
    Ok(())
}

async fn write_alerts(tx: &mut Tx, id: &str, alerts: &[Alert]) -> Result<(), StoreError> {
    clear(tx, "rm_alerts", id).await?;
    for (ordinal, alert) in alerts.iter().enumerate() {
        let ordinal = i64::try_from(ordinal).unwrap_or(i64::MAX);
        let handled = alert.handled.as_ref().map(|h| match h.decision {
            AlertDecision::Postponed { until } => ("pospuesta", Some(until.to_string())),
            AlertDecision::Acknowledged { .. } => ("enterada", None),
        });
        let handled = handled
            .as_ref()
            .map(|(how, until)| (*how, until.as_deref()));
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO rm_alerts (contract_id, ordinal, contract_number, contract_kind, kind, severity, \
                 severity_rank, trigger_date, days_left, source, source_phrase, message, subject, owner, \
                 action_label, action_href, handled, handled_until, handled_by, handled_note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                 $18, $19, $20)",
            )
            .bind(id)
            .bind(ordinal)
            .bind(alert.contract_number.as_deref().unwrap_or_default())
            .bind(alert.contract_kind.map(kind_slug).unwrap_or("cliente"))
            .bind(alert.kind.slug())
            .bind(alert.severity.slug())
            .bind(severity_rank(alert.severity))
            .bind(alert.trigger_date.to_string())
            .bind(alert.days_left)
            .bind(alert.source.short())
            .bind(alert.source.phrase())
            .bind(&alert.message)
            .bind(&alert.subject)
            .bind(&alert.owner)
            .bind(alert.action.as_ref().map(|a| a.label.as_str()))
            .bind(alert.action.as_ref().map(|a| a.href.as_str()))
            .bind(handled.map(|(how, _)| how))
            .bind(handled.and_then(|(_, until)| until))
            .bind(alert.handled.as_ref().map(|h| h.by.as_str()))
            .bind(alert.handled.as_ref().map(|h| h.note.as_str()))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}

/// What a póliza row repeats of its contract: the lists show the number and tenant, the dashboard's
/// chart filters on the kind and status without a join.
struct PolizaContract<'a> {
    id: &'a str,
    number: &'a str,
    tercero_name: &'a str,
    kind: &'a str,
    status: &'a str,
}

async fn write_polizas(
    tx: &mut Tx,
    contract: &PolizaContract<'_>,
    state: &Contrato,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let id = contract.id;
    clear(tx, "rm_polizas", id).await?;
    for view in poliza_views(state, today) {
        let compliance = match view.compliance.status {
            ComplianceStatus::Cumple => "cumple",
            ComplianceStatus::NoCumple => "no_cumple",
            ComplianceStatus::NoExigida => "no_exigida",
        };
        let required_by = state
            .find_poliza(view.id)
            .map(|p| p.data.required_by.to_string())
            .unwrap_or_default();
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO rm_polizas (id, contract_id, contract_number, tercero_name, kind, number, insurer, \
                 insured_value, valid_from, valid_to, effective_expiry, status, compliance, required_by, \
                 contract_kind, contract_status) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(view.id.to_string())
            .bind(id)
            .bind(contract.number)
            .bind(contract.tercero_name)
            .bind(view.kind.to_string())
            .bind(&view.number)
            .bind(&view.insurer)
            .bind(view.insured_value.pesos())
            .bind(view.validity.from().to_string())
            .bind(view.validity.to().to_string())
            .bind(view.effective_expiry.to_string())
            .bind(view.status.slug())
            .bind(compliance)
            .bind(&required_by)
            .bind(contract.kind)
            .bind(contract.status)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}

async fn write_sales_reports(
    tx: &mut Tx,
    id: &str,
    state: &Contrato,
    number: &str,
    tercero_name: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    clear(tx, "rm_sales_reports", id).await?;
    for report in &state.informes_ventas {
        let (status, delivered_on, gross, returns) = match report.status {
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
        let billed = billing::bill_report(state, report)
            .ok()
            .map(|b| b.total.pesos());
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO rm_sales_reports (contract_id, year, month, contract_number, tercero_name, status, \
                 deadline, delivered_on, gross_sales, returns, billed, overdue) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id)
            .bind(i64::from(report.period.year()))
            .bind(i64::from(report.period.month()))
            .bind(number)
            .bind(tercero_name)
            .bind(status)
            .bind(report.deadline.to_string())
            .bind(&delivered_on)
            .bind(gross)
            .bind(returns)
            .bind(billed)
            .bind(report.is_overdue(today))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}
