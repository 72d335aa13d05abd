//! The version of the read models' shape, kept in `rm_meta` under `version`.
//!
//! Bump [`VERSION`] whenever a read-model table or a JSON kept in one changes meaning: a store whose
//! read models carry another version (or none, as before 0008) is rebuilt on start instead of serving
//! rows the code cannot read.

use arriendo_events::{LocalData, TerceroData};

use crate::store::{Db, StoreError, Tx};

/// 1: the aggregates' serde form in `state` columns (until migration 0008).
/// 2: contracts as their events (`rm_contract_events`), catalogs as their last event's data.
/// 3: search columns folded (no accents, NITs also as digits), so older rows are rebuilt.
/// 4: the catalogs' events (`rm_catalog_events`) and the contracts' type (`rm_contracts.type_id`).
pub const VERSION: i64 = 4;

/// Rows decoded per table when checking that stored rows still read: the shape changes for every row
/// at once, so a few rows tell.
const PROBE: i64 = 20;

/// Records that the read models being built have the current shape (in the rebuild's transaction).
pub async fn stamp_version(tx: &mut Tx) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_meta (key, value) VALUES ('version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = $1",
        )
        .bind(VERSION.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Whether the stored read models have the current shape and their first rows decode. `false` means
/// they must be rebuilt before they are used; errors are only those of reaching the database.
pub async fn is_current(db: &Db) -> Result<bool, StoreError> {
    let version: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT value FROM rm_meta WHERE key = 'version'")
            .fetch_optional(pool)
            .await?
    });
    if version.and_then(|v| v.parse::<i64>().ok()) != Some(VERSION) {
        return Ok(false);
    }
    Ok(decodes::<TerceroData>(db, "rm_terceros").await?
        && decodes::<LocalData>(db, "rm_locales").await?
        && contracts_decode(db).await?)
}

async fn decodes<T: serde::de::DeserializeOwned>(db: &Db, table: &str) -> Result<bool, StoreError> {
    let sql = format!("SELECT data FROM {table} ORDER BY id LIMIT {PROBE}");
    let rows: Vec<Option<String>> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(&sql).fetch_all(pool).await?
    });
    Ok(rows.iter().all(|data| {
        data.as_deref()
            .is_some_and(|json| serde_json::from_str::<T>(json).is_ok())
    }))
}

async fn contracts_decode(db: &Db) -> Result<bool, StoreError> {
    let ids: Vec<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(&format!("SELECT id FROM rm_contracts ORDER BY id LIMIT {PROBE}"))
            .fetch_all(pool)
            .await?
    });
    for id in ids {
        match super::contract_events::load(db, &id).await {
            Ok(Some(_)) => {}
            Ok(None) | Err(StoreError::Invalid(_) | StoreError::Json(_)) => return Ok(false),
            Err(other) => return Err(other),
        }
    }
    Ok(true)
}
