//! The company (one stream): its state folded into `rm_meta` under `company`, as JSON of the
//! aggregate's own state (a singleton needs no table of its own; a rebuild clears and refolds it).

use arriendo_events::{Empresa, EmpresaEvent};

use super::payload::typed;
use crate::store::event_log::StoredEvent;
use crate::store::{Db, StoreError, Tx};

const KEY: &str = "company";

pub async fn apply(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    let event = typed::<EmpresaEvent>(event)?;
    let current: Option<String> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT value FROM rm_meta WHERE key = $1")
            .bind(KEY)
            .fetch_optional(&mut *conn)
            .await?
    });
    let mut state: Empresa = match current {
        Some(json) => serde_json::from_str(&json)?,
        None => Empresa::default(),
    };
    state.apply_event(event);
    let json = serde_json::to_string(&state)?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = $2",
        )
        .bind(KEY)
        .bind(&json)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The company as recorded, or the empty state before anyone filled it in.
pub async fn load(db: &Db) -> Result<Empresa, StoreError> {
    let json: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT value FROM rm_meta WHERE key = $1")
            .bind(KEY)
            .fetch_optional(pool)
            .await?
    });
    Ok(match json {
        Some(json) => serde_json::from_str(&json)?,
        None => Empresa::default(),
    })
}
