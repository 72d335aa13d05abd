//! The rows of each read-model table a contract fills, and their multi-row writers.

use std::collections::HashMap;

use super::CHUNK;
use crate::store::{StoreError, Tx};

pub(super) struct ContractRow {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) kind: &'static str,
    pub(super) modality: &'static str,
    pub(super) tercero_id: String,
    pub(super) tercero_name: String,
    pub(super) tercero_nit: String,
    pub(super) local_id: Option<String>,
    pub(super) local_name: Option<String>,
    pub(super) start_date: String,
    pub(super) end_date: String,
    pub(super) canon: Option<i64>,
    pub(super) percentage: Option<String>,
    pub(super) status: &'static str,
    pub(super) in_force: bool,
    pub(super) alert_count: i64,
    pub(super) search: String,
    pub(super) computed_for: String,
    pub(super) type_id: Option<String>,
}

pub(super) struct AlertRow {
    pub(super) contract_id: String,
    pub(super) ordinal: i64,
    pub(super) contract_number: String,
    pub(super) contract_kind: &'static str,
    pub(super) kind: &'static str,
    pub(super) severity: &'static str,
    pub(super) severity_rank: i64,
    pub(super) trigger_date: String,
    pub(super) days_left: i64,
    pub(super) source: String,
    pub(super) source_phrase: String,
    pub(super) message: String,
    pub(super) subject: String,
    pub(super) owner: Option<String>,
    pub(super) action_label: Option<String>,
    pub(super) action_href: Option<String>,
    pub(super) handled: Option<&'static str>,
    pub(super) handled_until: Option<String>,
    pub(super) handled_by: Option<String>,
    pub(super) handled_note: Option<String>,
}

pub(super) struct PolizaRow {
    pub(super) id: String,
    pub(super) contract_id: String,
    pub(super) contract_number: String,
    pub(super) tercero_name: String,
    pub(super) kind: String,
    pub(super) number: String,
    pub(super) insurer: String,
    pub(super) insured_value: i64,
    pub(super) valid_from: String,
    pub(super) valid_to: String,
    pub(super) effective_expiry: String,
    pub(super) status: &'static str,
    pub(super) compliance: &'static str,
    pub(super) required_by: String,
    pub(super) contract_kind: &'static str,
    pub(super) contract_status: &'static str,
}

pub(super) struct RenewalRow {
    pub(super) contract_id: String,
    pub(super) number: i64,
    pub(super) contract_number: String,
    pub(super) tercero_name: String,
    pub(super) status: String,
    pub(super) previous_end: String,
    pub(super) new_end: String,
    pub(super) proposed_by: String,
    pub(super) approved_by: Option<String>,
    pub(super) annulment_reason: Option<String>,
}

pub(super) struct OtroSiRow {
    pub(super) contract_id: String,
    pub(super) number: i64,
    pub(super) contract_number: String,
    pub(super) tercero_name: String,
    pub(super) status: &'static str,
    pub(super) effective_from: String,
    pub(super) description: String,
    pub(super) drafted_by: String,
    pub(super) submitted_by: Option<String>,
    pub(super) decided_by: Option<String>,
    pub(super) rejection_reason: Option<String>,
}

pub(super) struct ReportRow {
    pub(super) contract_id: String,
    pub(super) year: i64,
    pub(super) month: i64,
    pub(super) contract_number: String,
    pub(super) tercero_name: String,
    pub(super) status: &'static str,
    pub(super) deadline: String,
    pub(super) delivered_on: Option<String>,
    pub(super) gross_sales: Option<i64>,
    pub(super) returns: Option<i64>,
    pub(super) billed: Option<i64>,
    pub(super) overdue: bool,
}

/// The rows of every contract in `ids`, contract after contract.
pub(super) fn in_order<T>(ids: &[String], rows: &mut HashMap<String, Vec<T>>) -> Vec<T> {
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

pub(super) async fn write_contracts(tx: &mut Tx, rows: &[ContractRow]) -> Result<(), StoreError> {
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

pub(super) async fn write_alerts(tx: &mut Tx, rows: &[AlertRow]) -> Result<(), StoreError> {
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

pub(super) async fn write_polizas(tx: &mut Tx, rows: &[PolizaRow]) -> Result<(), StoreError> {
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

pub(super) async fn write_renewals(tx: &mut Tx, rows: &[RenewalRow]) -> Result<(), StoreError> {
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

pub(super) async fn write_otrosi(tx: &mut Tx, rows: &[OtroSiRow]) -> Result<(), StoreError> {
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

pub(super) async fn write_reports(tx: &mut Tx, rows: &[ReportRow]) -> Result<(), StoreError> {
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
