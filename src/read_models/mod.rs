//! The read models the pages query, kept by the projector.

mod catalogos;
mod catalogs;
pub mod company;
pub mod contract_events;
mod contracts;
mod history;
pub(crate) mod payload;
pub mod search;
mod shape;
mod users;

use chrono::NaiveDate;

pub use catalogos::load as catalogos_state;
pub use catalogs::{indices_from_rows, local_from, tercero_from};
pub use contract_events::load as contract_state;
pub use contracts::{kind_slug, modality_slug};
pub use shape::{VERSION, is_current, stamp_version};

use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

/// Applies one event to every read model; `today` is the date the "in force today" columns are for.
pub async fn apply(tx: &mut Tx, event: &StoredEvent, today: NaiveDate) -> Result<(), StoreError> {
    history::apply(tx, event).await?;
    users::apply(tx, event).await?;
    match event.aggregate_type.as_str() {
        "contrato" => contracts::apply(tx, event, today).await,
        "tercero" => catalogs::apply_tercero(tx, event, today).await,
        "local" => catalogs::apply_local(tx, event, today).await,
        "indice" => catalogs::apply_indice(tx, event).await,
        "empresa" => company::apply(tx, event).await,
        "catalogos" => catalogos::apply(tx, event, today).await,
        _ => Ok(()),
    }
}

/// What a rebuild writes for one batch of events in log order, except contracts: their history lines
/// (one statement per few hundred), accounts, catalogs and indices. Contracts come whole, afterwards,
/// through [`apply_contract`]; they are written once each instead of once per event.
pub async fn apply_batch_except_contracts(
    tx: &mut Tx,
    events: &[StoredEvent],
    today: NaiveDate,
) -> Result<(), StoreError> {
    history::insert_many(tx, events).await?;
    for event in events {
        users::apply(tx, event).await?;
        match event.aggregate_type.as_str() {
            "tercero" => catalogs::apply_tercero(tx, event, today).await?,
            "local" => catalogs::apply_local(tx, event, today).await?,
            "indice" => catalogs::apply_indice(tx, event).await?,
            "empresa" => company::apply(tx, event).await?,
            "catalogos" => catalogos::apply(tx, event, today).await?,
            _ => {}
        }
    }
    Ok(())
}

/// Every event of one contract, in order, into read models that do not hold it yet.
pub async fn apply_contract(
    tx: &mut Tx,
    events: &[&StoredEvent],
    today: NaiveDate,
) -> Result<(), StoreError> {
    contracts::apply_whole(tx, events, today).await
}

/// The date the today-dependent columns were last computed for.
pub async fn computed_for(tx: &mut Tx) -> Result<Option<NaiveDate>, StoreError> {
    let value: Option<String> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT value FROM rm_meta WHERE key = 'computed_for'")
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(value.and_then(|v| v.parse().ok()))
}

/// Recomputes the today-dependent columns (terms in force, alerts, statuses) for `today`.
pub async fn recompute_for(tx: &mut Tx, today: NaiveDate) -> Result<(), StoreError> {
    contracts::refresh_all(tx, today).await?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_meta (key, value) VALUES ('computed_for', $1) \
             ON CONFLICT (key) DO UPDATE SET value = $1",
        )
        .bind(today.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Empties every read model (before a rebuild).
pub async fn reset(tx: &mut Tx) -> Result<(), StoreError> {
    for table in TABLES {
        crate::on_tx!(tx, conn => {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(())
}

/// Every read-model table, so reset and the rebuild-equals-incremental test cannot forget one.
pub const TABLES: &[&str] = &[
    "rm_history",
    "rm_users",
    "rm_meta",
    "rm_terceros",
    "rm_locales",
    "rm_contracts",
    "rm_contract_events",
    "rm_alerts",
    "rm_polizas",
    "rm_sales_reports",
    "rm_renewals",
    "rm_otrosi",
    "rm_indices",
    "rm_catalog_events",
];
