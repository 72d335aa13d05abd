//! What the auditor's log needs besides the events themselves: a contract's id from its number, the
//! names of the records a page of events touches, and what one event changed.

use std::collections::HashMap;

use arriendo_events::{
    Contrato, ContratoEvent, Empresa, EmpresaEvent, Indice, IndiceEvent, Local, LocalEvent,
    Tercero, TerceroEvent,
};
use arriendo_projections::diff::{FieldChange, changed_fields};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::read_models::payload::typed;
use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError};

/// The id of the contract numbered `number` (deleted contracts included: their history stays).
pub async fn contract_id(db: &Db, number: &str) -> Result<Option<String>, StoreError> {
    crate::on_pool!(db, pool => {
        Ok(sqlx::query_scalar("SELECT id FROM rm_contracts WHERE number = $1")
            .bind(number.trim())
            .fetch_optional(pool)
            .await?)
    })
}

/// `(aggregate type, id) → name`: contract numbers, razón social of terceros, names of locales.
pub async fn subjects(
    db: &Db,
    ids: &[(String, String)],
) -> Result<HashMap<(String, String), String>, StoreError> {
    let mut names = HashMap::new();
    for (kind, table, column) in [
        ("contrato", "rm_contracts", "number"),
        ("tercero", "rm_terceros", "razon_social"),
        ("local", "rm_locales", "name"),
    ] {
        let wanted: Vec<&String> = ids
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| id)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let marks: Vec<String> = (1..=wanted.len()).map(|i| format!("${i}")).collect();
        // `table` and `column` come from the list above, never from the request.
        let sql = format!(
            "SELECT id, {column} FROM {table} WHERE id IN ({})",
            marks.join(", ")
        );
        let rows: Vec<(String, String)> = crate::on_pool!(db, pool => {
            let mut q = sqlx::query_as(&sql);
            for id in &wanted {
                q = q.bind(id.as_str());
            }
            q.fetch_all(pool).await?
        });
        for (id, name) in rows {
            names.insert((kind.to_string(), id), name);
        }
    }
    Ok(names)
}

/// One event with what it changed in its record (the record's state before and after it).
pub struct EventDetail {
    pub event: StoredEvent,
    pub changes: Vec<FieldChange>,
    /// The contract number, tercero or local name.
    pub subject: Option<String>,
}

/// The event at `position`, if it is one the log shows (users' own events are not).
pub async fn event_detail(db: &Db, position: i64) -> Result<Option<EventDetail>, StoreError> {
    let Some(previous) = position.checked_sub(1).filter(|p| *p >= 0) else {
        return Ok(None);
    };
    let Some(event) = event_log::read_after(db, previous, 1)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.position == position)
    else {
        return Ok(None);
    };
    let stream = event_log::read_stream(db, &event.aggregate_type, &event.aggregate_id).await?;
    let sequence = event.sequence;
    let (before, after) = match event.aggregate_type.as_str() {
        "contrato" => states::<Contrato, ContratoEvent>(&stream, sequence, Contrato::apply_event)?,
        "tercero" => states::<Tercero, TerceroEvent>(&stream, sequence, Tercero::apply_event)?,
        "local" => states::<Local, LocalEvent>(&stream, sequence, Local::apply_event)?,
        "indice" => states::<Indice, IndiceEvent>(&stream, sequence, Indice::apply_event)?,
        "empresa" => states::<Empresa, EmpresaEvent>(&stream, sequence, Empresa::apply_event)?,
        "catalogos" => states::<arriendo_events::Catalogos, arriendo_events::CatalogosEvent>(
            &stream,
            sequence,
            arriendo_events::Catalogos::apply_event,
        )?,
        _ => return Ok(None),
    };
    let key = (event.aggregate_type.clone(), event.aggregate_id.clone());
    let subject = subjects(db, std::slice::from_ref(&key)).await?.remove(&key);
    Ok(Some(EventDetail {
        changes: changed_fields(&before, &after),
        event,
        subject,
    }))
}

/// The record's state (as JSON) just before and just after event `sequence` of its stream.
fn states<A, E>(
    stream: &[StoredEvent],
    sequence: i64,
    apply: impl Fn(&mut A, E),
) -> Result<(Value, Value), StoreError>
where
    A: Default + Serialize,
    E: DeserializeOwned,
{
    let json = |state: &A| serde_json::to_value(state).map_err(StoreError::from);
    let mut state = A::default();
    let mut before = Value::Null;
    for stored in stream.iter().filter(|e| e.sequence <= sequence) {
        if stored.sequence == sequence {
            before = json(&state)?;
        }
        apply(&mut state, typed(stored)?);
    }
    Ok((before, json(&state)?))
}
