//! The rent roll («relación de cánones»): every contract in force today (`status = vigente`, as the
//! dashboard counts them) with its tenant, local,
//! modality, canon or minimum, share of sales, next adjustment and end date, read from
//! `rm_contracts` in pages by number (keyset), and its totals per class and modality.

use arriendo_events::Contrato;
use chrono::NaiveDate;

use super::decode::iso_date;
use crate::store::{Db, StoreError};

/// One contract of the rent roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentRollRow {
    pub id: String,
    pub number: String,
    /// `cliente` | `proveedor`.
    pub kind: String,
    pub tercero_name: String,
    pub tercero_nit: String,
    pub local_name: Option<String>,
    /// `fijo` | `variable` | `hibrido`.
    pub modality: String,
    /// Fixed canon or híbrido minimum in force today, in pesos.
    pub canon: Option<i64>,
    /// Share of sales in force today (`8`, `5.5`).
    pub percentage: Option<String>,
    /// The first adjustment not applied yet (overdue ones included).
    pub next_adjustment: Option<NaiveDate>,
    pub end_date: NaiveDate,
}

/// Contracts and canon per class and modality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentRollTotal {
    pub kind: String,
    pub modality: String,
    pub contracts: i64,
    /// Sum of the fixed canons and híbrido minimums (variable puro adds nothing).
    pub canon: i64,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    String,
);

/// Up to `limit` contracts in force after the number `after`, by number.
pub async fn page(db: &Db, after: &str, limit: i64) -> Result<Vec<RentRollRow>, StoreError> {
    let sql = "SELECT id, number, kind, tercero_name, tercero_nit, local_name, modality, canon, \
               percentage, end_date FROM rm_contracts WHERE status = 'vigente' AND number > $1 \
               ORDER BY number LIMIT $2";
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(sql).bind(after).bind(limit).fetch_all(pool).await?
    });
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let states = crate::read_models::contract_events::load_many(db, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let end_date = iso_date(&r.9)?;
            // Only a fixed canon or a minimum is adjusted; variable puro has nothing to adjust.
            let next_adjustment = r.7.and_then(|_| {
                states
                    .get(&r.0)
                    .and_then(|c: &Contrato| c.pending_adjustments(end_date).first().copied())
            });
            Ok(RentRollRow {
                id: r.0,
                number: r.1,
                kind: r.2,
                tercero_name: r.3,
                tercero_nit: r.4,
                local_name: r.5,
                modality: r.6,
                canon: r.7,
                percentage: r.8,
                next_adjustment,
                end_date,
            })
        })
        .collect()
}

/// Totals per class and modality of the contracts in force.
pub async fn totals(db: &Db) -> Result<Vec<RentRollTotal>, StoreError> {
    let sql = "SELECT kind, modality, COUNT(*) AS contracts, \
               CAST(COALESCE(SUM(canon), 0) AS BIGINT) AS canon FROM rm_contracts \
               WHERE status = 'vigente' GROUP BY kind, modality ORDER BY kind, modality";
    let rows: Vec<TotalRecord> =
        crate::on_pool!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|r| RentRollTotal {
            kind: r.kind,
            modality: r.modality,
            contracts: r.contracts,
            canon: r.canon,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct TotalRecord {
    kind: String,
    modality: String,
    contracts: i64,
    canon: i64,
}
