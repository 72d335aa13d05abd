//! The list of automatic renewals (from `rm_renewals`).

use arriendo_views::pages::renovaciones::RenewalRow;

use super::decode::iso_date;
use super::filters::{Bind, Filters, bind_all, limit_offset};
use crate::store::{Db, StoreError};

#[derive(sqlx::FromRow)]
struct RenewalListed {
    contract_id: String,
    contract_number: String,
    tercero_name: String,
    number: i64,
    status: String,
    previous_end: String,
    new_end: String,
    proposed_by: String,
    approved_by: Option<String>,
    annulment_reason: Option<String>,
}

/// One page of renewals, proposals first, then by new end date.
pub async fn list(db: &Db, estado: &str, page: u64) -> Result<(Vec<RenewalRow>, u64), StoreError> {
    let mut f = Filters::new();
    if matches!(estado, "propuesta" | "aprobada" | "anulada") {
        f.add("status = ?", vec![Bind::Text(estado.to_string())]);
    }
    let (limit, offset) = limit_offset(page);
    let sql = format!(
        "SELECT contract_id, contract_number, tercero_name, number, status, previous_end, new_end, \
         proposed_by, approved_by, annulment_reason FROM rm_renewals{} \
         ORDER BY CASE status WHEN 'propuesta' THEN 0 WHEN 'aprobada' THEN 1 ELSE 2 END, new_end, \
         contract_number, number{}",
        f.where_sql(),
        f.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_renewals{}", f.where_sql());
    let rows: Vec<RenewalListed> = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_as(&sql), f.binds()).bind(limit).bind(offset).fetch_all(pool).await?
    });
    let total: i64 = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_scalar(&count_sql), f.binds()).fetch_one(pool).await?
    });
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(RenewalRow {
                number: format!("RA-{}", r.number),
                previous_end: iso_date(&r.previous_end)?,
                new_end: iso_date(&r.new_end)?,
                contract_id: r.contract_id,
                contract_number: r.contract_number,
                tercero_name: r.tercero_name,
                status: r.status,
                proposed_by: r.proposed_by,
                approved_by: r.approved_by,
                annulment_reason: r.annulment_reason,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}
