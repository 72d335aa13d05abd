//! The read models the pages query, kept by the projector.

mod history;
mod users;

use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

/// Applies one event to every read model.
pub async fn apply(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    history::apply(tx, event).await?;
    users::apply(tx, event).await?;
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
pub const TABLES: &[&str] = &["rm_history", "rm_users"];
