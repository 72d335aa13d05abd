//! Contract pages' queries over `rm_contracts`, `rm_alerts`, `rm_terceros`, `rm_locales` and
//! `rm_history`: the searchable list (whitelisted sort columns, LIMIT/OFFSET and one COUNT),
//! the select options of the forms and uniqueness of the number.

use arriendo_projections::{AlertAction, AlertKind, Severity};
use arriendo_views::components::SortDir;
use arriendo_views::pages::contratos_list::{ContractFilters, ContractListRow};
use arriendo_views::pages::dashboard::{AlertRow, Handled};

use super::decode::{iso_date, opt_iso_date};
use super::filters::{Bind, Filters, bind_all, limit_offset};
use crate::store::{Db, StoreError};

fn sort_column(key: &str) -> &'static str {
    match key {
        "arrendatario" => "tercero_name",
        "local" => "local_name",
        "inicio" => "start_date",
        "fin" => "end_date",
        "canon" => "canon",
        _ => "number",
    }
}

#[derive(sqlx::FromRow)]
struct ContractListed {
    id: String,
    number: String,
    kind: String,
    tercero_name: String,
    tercero_nit: String,
    local_name: Option<String>,
    modality: String,
    start_date: String,
    end_date: String,
    canon: Option<i64>,
    percentage: Option<String>,
    status: String,
    alert_count: i64,
    type_id: Option<String>,
}

/// The contracts a search finds (the list's box and the global search): not deleted, and `q` in the
/// number, tenant, NIT or local.
pub fn searched(q: &str) -> Filters {
    let mut filters = Filters::new();
    filters.add("status <> 'eliminado'", vec![]);
    filters.search(q);
    filters
}

/// One page of the contract list and the total with the same filters.
pub async fn list(db: &Db, f: &ContractFilters) -> Result<(Vec<ContractListRow>, u64), StoreError> {
    let mut filters = searched(&f.q);
    for (clause, value) in [
        ("modality = ?", &f.modalidad),
        ("status = ?", &f.estado),
        ("kind = ?", &f.clase),
        ("type_id = ?", &f.tipo),
    ] {
        if let Some(value) = value {
            filters.add(clause, vec![Bind::Text(value.clone())]);
        }
    }
    if let Some(month) = f.vence {
        // What the dashboard chart's bar counts: not terminated, ending in the month.
        filters.add(
            "status <> 'terminado' AND end_date >= ? AND end_date <= ?",
            vec![
                Bind::Text(month.first_day().format("%Y-%m-%d").to_string()),
                Bind::Text(month.last_day().format("%Y-%m-%d").to_string()),
            ],
        );
    }
    let dir = match f.sort.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let column = sort_column(&f.sort.key);
    let (limit, offset) = limit_offset(f.page);
    let sql = format!(
        "SELECT id, number, kind, tercero_name, tercero_nit, local_name, modality, start_date, \
         end_date, canon, percentage, status, alert_count, type_id FROM rm_contracts{} \
         ORDER BY {column} {dir}, number ASC{}",
        filters.where_sql(),
        filters.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_contracts{}", filters.where_sql());
    let (rows, total): (Vec<ContractListed>, i64) = crate::on_pool!(db, pool => {
        let q = bind_all!(sqlx::query_as(&sql), filters.binds()).bind(limit).bind(offset);
        let c = bind_all!(sqlx::query_scalar(&count_sql), filters.binds());
        (q.fetch_all(pool).await?, c.fetch_one(pool).await?)
    });
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(ContractListRow {
                start_date: iso_date(&r.start_date)?,
                end_date: iso_date(&r.end_date)?,
                id: r.id,
                number: r.number,
                kind: r.kind,
                tercero_name: r.tercero_name,
                tercero_nit: r.tercero_nit,
                local_name: r.local_name,
                modality: r.modality,
                canon: r.canon,
                percentage: r.percentage,
                status: r.status,
                alert_count: r.alert_count,
                type_id: r.type_id,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

#[derive(sqlx::FromRow)]
struct TerceroOption {
    id: String,
    razon_social: String,
    nit: String,
    kind: String,
}

/// (id, "Razón social · NIT") of every tercero, for the contract form.
pub async fn tercero_options(db: &Db) -> Result<Vec<(String, String)>, StoreError> {
    let rows: Vec<TerceroOption> = crate::on_pool!(db, pool => {
        sqlx::query_as("SELECT id, razon_social, nit, kind FROM rm_terceros ORDER BY razon_social")
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|t| {
            let label = format!("{} · NIT {} · {}", t.razon_social, t.nit, t.kind);
            (t.id, label)
        })
        .collect())
}

/// (id, name) of every local.
pub async fn local_options(db: &Db) -> Result<Vec<(String, String)>, StoreError> {
    crate::on_pool!(db, pool => {
        Ok(sqlx::query_as("SELECT id, name FROM rm_locales ORDER BY name")
            .fetch_all(pool)
            .await?)
    })
}

/// Whether another contract already has this number.
pub async fn number_taken(db: &Db, number: &str, except_id: &str) -> Result<bool, StoreError> {
    let n: i64 = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM rm_contracts WHERE number = $1 AND id <> $2")
            .bind(number)
            .bind(except_id)
            .fetch_one(pool)
            .await?
    });
    Ok(n > 0)
}

/// The list columns the detail pages need: (tercero name, local name, status).
pub async fn names(
    db: &Db,
    id: &str,
) -> Result<Option<(String, Option<String>, String)>, StoreError> {
    crate::on_pool!(db, pool => {
        Ok(sqlx::query_as(
            "SELECT tercero_name, local_name, status FROM rm_contracts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?)
    })
}

/// One alert as [`ALERT_COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct AlertRecord {
    kind: String,
    severity: String,
    contract_id: String,
    contract_number: String,
    tercero_name: Option<String>,
    trigger_date: String,
    days_left: i64,
    source: String,
    message: String,
    subject: Option<String>,
    action_label: Option<String>,
    action_href: Option<String>,
    handled: Option<String>,
    handled_until: Option<String>,
    handled_by: Option<String>,
    handled_note: Option<String>,
}

/// The columns of an alert row (`a` = rm_alerts, `c` = rm_contracts).
pub(crate) const ALERT_COLUMNS: &str = "a.kind, a.severity, a.contract_id, a.contract_number, \
     c.tercero_name, a.trigger_date, a.days_left, a.source, a.message, a.subject, a.action_label, \
     a.action_href, a.handled, a.handled_until, a.handled_by, a.handled_note";

pub(crate) fn alert_row(r: AlertRecord) -> Result<AlertRow, StoreError> {
    let action = match (r.action_label, r.action_href) {
        (Some(label), Some(href)) => Some(AlertAction { label, href }),
        _ => None,
    };
    let handled = match r.handled {
        Some(_) => Some(Handled {
            until: opt_iso_date(r.handled_until.as_deref())?,
            by: r.handled_by.unwrap_or_default(),
            note: r.handled_note.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(AlertRow {
        kind: AlertKind::from_slug(&r.kind)
            .ok_or_else(|| StoreError::Invalid(format!("unknown alert kind {:?}", r.kind)))?,
        severity: Severity::from_slug(&r.severity).unwrap_or(Severity::Info),
        contract_id: Some(r.contract_id),
        contract_number: r.contract_number,
        tercero_name: r.tercero_name.unwrap_or_default(),
        trigger_date: iso_date(&r.trigger_date)?,
        days_left: r.days_left,
        source: r.source,
        message: r.message,
        subject: r.subject.unwrap_or_default(),
        action,
        handled,
    })
}

/// The alerts of one contract, most severe first.
pub async fn contract_alerts(db: &Db, id: &str) -> Result<Vec<AlertRow>, StoreError> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM rm_alerts a LEFT JOIN rm_contracts c ON c.id = a.contract_id \
         WHERE a.contract_id = $1 ORDER BY a.severity_rank, a.days_left"
    );
    let rows: Vec<AlertRecord> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(id).fetch_all(pool).await?
    });
    rows.into_iter().map(alert_row).collect()
}

/// Every contract on `local_id` but `except_id` (deleted ones included: the caller decides).
pub async fn contracts_on_local(
    db: &Db,
    local_id: &str,
    except_id: &str,
) -> Result<Vec<arriendo_events::Contrato>, StoreError> {
    let ids: Vec<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts WHERE local_id = $1 AND id <> $2")
            .bind(local_id)
            .bind(except_id)
            .fetch_all(pool)
            .await?
    });
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(contrato) = crate::read_models::contract_state(db, &id).await? {
            out.push(contrato);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_escapes_wildcards() {
        assert_eq!(sort_column("x; DROP"), "number");
        assert_eq!(sort_column("fin"), "end_date");
    }
}
