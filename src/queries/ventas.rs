//! The list of informes de ventas (from `rm_sales_reports`) with its filters.

use arriendo_views::pages::ventas::{SalesFilters, SalesRow};

use super::decode::{iso_date, opt_iso_date};
use super::filters::{Bind, Filters, bind_all, limit_offset};
use crate::store::{Db, StoreError};

#[derive(sqlx::FromRow)]
struct SalesListed {
    contract_id: String,
    contract_number: String,
    tercero_name: String,
    year: i64,
    month: i64,
    status: String,
    deadline: String,
    delivered_on: Option<String>,
    gross_sales: Option<i64>,
    returns: Option<i64>,
    billed: Option<i64>,
    overdue: bool,
}

/// One page of sales reports, sorted by deadline (soonest first).
pub async fn list(
    db: &Db,
    filters: &SalesFilters,
    page: u64,
) -> Result<(Vec<SalesRow>, u64), StoreError> {
    let mut f = Filters::new();
    if matches!(filters.estado.as_str(), "pendiente" | "entregado") {
        f.add("status = ?", vec![Bind::Text(filters.estado.clone())]);
    }
    if filters.vencido == "si" {
        // Bound, not written: each engine compares its own boolean type.
        f.add("overdue = ?", vec![Bind::Bool(true)]);
    }
    if !filters.contrato.is_empty() {
        f.add(
            "contract_id = ?",
            vec![Bind::Text(filters.contrato.clone())],
        );
    }
    if let Ok(month) = filters.mes.parse::<i64>()
        && (1..=12).contains(&month)
    {
        f.add("month = ?", vec![Bind::Int(month)]);
    }
    if let Ok(year) = filters.anio.parse::<i64>() {
        f.add("year = ?", vec![Bind::Int(year)]);
    }
    let (limit, offset) = limit_offset(page);
    let sql = format!(
        "SELECT contract_id, contract_number, tercero_name, year, month, status, deadline, delivered_on, \
         gross_sales, returns, billed, overdue FROM rm_sales_reports{} \
         ORDER BY deadline, contract_number, year, month{}",
        f.where_sql(),
        f.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_sales_reports{}", f.where_sql());
    let rows: Vec<SalesListed> = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_as(&sql), f.binds()).bind(limit).bind(offset).fetch_all(pool).await?
    });
    let total: i64 = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_scalar(&count_sql), f.binds()).fetch_one(pool).await?
    });
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(SalesRow {
                year: i32::try_from(r.year).unwrap_or_default(),
                month: u32::try_from(r.month).unwrap_or(1),
                deadline: iso_date(&r.deadline)?,
                delivered_on: opt_iso_date(r.delivered_on.as_deref())?,
                contract_id: r.contract_id,
                contract_number: r.contract_number,
                tercero_name: r.tercero_name,
                status: r.status,
                gross_sales: r.gross_sales,
                returns: r.returns,
                billed: r.billed,
                overdue: r.overdue,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}
