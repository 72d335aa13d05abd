//! Index values by year and the contracts whose canon adjustment is due (the `ajuste` alerts).

use arriendo_views::pages::indices::PendingAdjustment;

use super::decode::iso_date;
use crate::read_models::IndexValueRow;
use crate::store::{Db, StoreError};

/// Every published value, by kind and year.
pub async fn values(db: &Db) -> Result<Vec<IndexValueRow>, StoreError> {
    let rows: Vec<IndexValueRow> = crate::on_pool!(db, pool => {
        sqlx::query_as("SELECT kind, year, value FROM rm_indices ORDER BY kind, year")
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// The published value of an index for a year, as decimal text.
pub async fn value(db: &Db, kind: &str, year: i64) -> Result<Option<String>, StoreError> {
    let value: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT value FROM rm_indices WHERE kind = $1 AND year = $2")
            .bind(kind)
            .bind(year)
            .fetch_optional(pool)
            .await?
    });
    Ok(value)
}

#[derive(sqlx::FromRow)]
struct AdjustmentListed {
    contract_id: String,
    contract_number: String,
    trigger_date: String,
    days_left: i64,
    severity: String,
    message: String,
    source_phrase: String,
}

/// Contracts with an adjustment due or overdue, most urgent first (at most 200).
pub async fn pending_adjustments(db: &Db) -> Result<Vec<PendingAdjustment>, StoreError> {
    let rows: Vec<AdjustmentListed> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT contract_id, contract_number, trigger_date, days_left, severity, message, source_phrase \
             FROM rm_alerts WHERE kind = $1 ORDER BY severity_rank, trigger_date, contract_number LIMIT 200",
        )
        .bind("ajuste")
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            Ok(PendingAdjustment {
                date: iso_date(&r.trigger_date)?,
                contract_id: r.contract_id,
                contract_number: r.contract_number,
                days_left: r.days_left,
                severity: r.severity,
                message: r.message,
                source_phrase: r.source_phrase,
            })
        })
        .collect()
}
