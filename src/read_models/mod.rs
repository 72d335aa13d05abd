//! The read models the pages query, kept by the projector.

mod catalogos;
mod catalogs;
pub mod company;
pub mod contract_events;
mod contract_rows;
mod contracts;
pub mod folds;
mod history;
pub(crate) mod payload;
pub mod search;
mod shape;
mod users;

use chrono::NaiveDate;

pub use catalogos::load as catalogos_state;
pub use catalogs::{IndexValueRow, indices_from_rows, local_from, tercero_from};
pub use contract_events::load as contract_state;
pub use contracts::{kind_slug, modality_slug};
pub use shape::{VERSION, is_current, stamp_version};

use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

/// Applies one event to every read model; `today` is the date the "in force today" columns are for.
pub async fn apply(tx: &mut Tx, event: &StoredEvent, today: NaiveDate) -> Result<(), StoreError> {
    apply_batch(tx, std::slice::from_ref(event), today, None).await
}

/// Applies a batch of events in log order to every read model. History lines go in one statement
/// per few hundred events; accounts, catalogs and indices event by event; each contract touched is
/// folded once with all its events of the batch and written once, after the catalogs (its rows
/// depend only on its final state and on the final names of its tercero and local, so this equals
/// applying the batch event by event).
/// With `folds`, contracts folded before are brought up to date from their kept fold.
pub async fn apply_batch(
    tx: &mut Tx,
    events: &[StoredEvent],
    today: NaiveDate,
    folds: Option<&folds::Folds>,
) -> Result<(), StoreError> {
    apply_batch_except_contracts(tx, events, today).await?;
    let mut groups: Vec<Vec<&StoredEvent>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for event in events.iter().filter(|e| e.aggregate_type == "contrato") {
        let slot = *index.entry(event.aggregate_id.as_str()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(slot) {
            group.push(event);
        }
    }
    contracts::apply_groups(tx, &groups, today, folds).await
}

/// What a batch of events in log order writes except contracts: their history lines (one statement
/// per few hundred), accounts, catalogs and indices. A rebuild writes contracts afterwards, whole,
/// through [`apply_contracts`].
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

/// Several contracts, each with all its events in order (a group per contract), into read models:
/// one fold and one write of rows per contract, the rows of all of them in a few statements.
pub async fn apply_contracts(
    tx: &mut Tx,
    groups: &[Vec<&StoredEvent>],
    today: NaiveDate,
) -> Result<(), StoreError> {
    contracts::apply_groups(tx, groups, today, None).await
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
