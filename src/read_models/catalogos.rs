//! `rm_catalog_events`: the catalogs' stream as stored, folded with the aggregate's own `apply`
//! when a page or a contract's alerts need it (see [`super::contract_events`] for why events).

use arriendo_events::{CATALOGOS_ID, Catalogos, CatalogosEvent};

use super::payload::{KeptRow, decode_kept};
use crate::store::event_log::StoredEvent;
use crate::store::{Db, StoreError, Tx};

type Row = KeptRow;

const SELECT: &str =
    "SELECT sequence, event_type, event_version, payload FROM rm_catalog_events ORDER BY sequence";

fn fold(rows: Vec<Row>) -> Result<Catalogos, StoreError> {
    let mut state = Catalogos::default();
    for event in decode_kept::<CatalogosEvent>("catalogos", CATALOGOS_ID, rows)? {
        state.apply_event(event);
    }
    Ok(state)
}

/// The catalogs as the projector last folded them, inside its transaction.
pub async fn load_in(tx: &mut Tx) -> Result<Catalogos, StoreError> {
    let rows: Vec<Row> = crate::on_tx!(tx, conn => {
        sqlx::query_as(SELECT).fetch_all(&mut *conn).await?
    });
    fold(rows)
}

/// The catalogs as the pages see them.
pub async fn load(db: &Db) -> Result<Catalogos, StoreError> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(SELECT).fetch_all(pool).await?
    });
    fold(rows)
}

/// Keeps the event; a change of the clauses or of where they are mandatory changes which contracts
/// miss mandatory clauses, so every contract's alerts are computed again.
pub async fn apply(
    tx: &mut Tx,
    event: &StoredEvent,
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let typed: CatalogosEvent = super::payload::typed(event)?;
    let payload = serde_json::to_string(&event.payload)?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_catalog_events (sequence, event_type, event_version, payload) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (sequence) DO NOTHING",
        )
        .bind(event.sequence)
        .bind(&event.event_type)
        .bind(&event.event_version)
        .bind(&payload)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    match typed {
        CatalogosEvent::TypeRegistered { .. } | CatalogosEvent::TypeUpdated { .. } => Ok(()),
        _ => super::contracts::refresh_all(tx, today).await,
    }
}
