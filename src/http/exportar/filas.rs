//! The rows of an events export: which events (the filtered log, or one contract's stream with what
//! each event changed), read page after page, and how each becomes cells or stored JSON.

use std::collections::HashMap;

use arriendo_events::{Contrato, ContratoEvent};
use arriendo_projections::diff::changed_fields;
use serde_json::{Value, json};

use super::super::auditoria::row;
use super::Failure;
use crate::export::{Cell, Column};
use crate::queries;
use crate::read_models::payload::typed;
use crate::store::event_log::{self, LogFilter, StoredEvent};
use crate::store::{Db, StoreError};

/// Events read from the store per round trip.
const BATCH: i64 = 500;

/// Which events: the filtered log, or one contract's stream with what each event changed.
pub(super) enum Source {
    Log(LogFilter),
    Contract(String),
}

impl Source {
    pub(super) fn columns(&self) -> Vec<Column> {
        let mut columns = vec![
            Column::new("Posición", 10.0),
            Column::new("Registrado (hora de Bogotá)", 20.0),
            Column::new("Registro", 10.0),
            Column::new("Número o nombre", 22.0),
            Column::new("Evento", 24.0),
            Column::new("Versión", 8.0),
            Column::new("Secuencia", 10.0),
            Column::new("Usuario", 14.0),
            Column::new("Descripción", 60.0),
        ];
        if matches!(self, Source::Contract(_)) {
            columns.push(Column::new("Cambios", 60.0));
        }
        columns.extend([
            Column::new("Solicitud", 38.0),
            Column::new("Importado de", 24.0),
            Column::new("Hora original (Bogotá)", 20.0),
            Column::new("Huella SHA-256", 66.0),
        ]);
        columns
    }
}

/// One page of events in global order, with what the rows need beside them.
pub(super) struct Batch {
    pub(super) events: Vec<StoredEvent>,
    pub(super) digests: HashMap<i64, String>,
    names: HashMap<(String, String), String>,
    /// Contract export: each event's changed fields, in order.
    changes: Vec<String>,
}

/// Reads the source page after page and hands each page to `sink`, in order.
pub(super) async fn drive<F, Fut>(db: &Db, source: &Source, mut sink: F) -> Result<(), Failure>
where
    F: FnMut(Batch) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    match source {
        Source::Log(filter) => {
            let mut cursor = 0;
            loop {
                let mut page = LogFilter {
                    after: Some(cursor),
                    before: None,
                    ..filter.clone()
                };
                page.after = Some(cursor);
                let mut events = event_log::search(db, &page, BATCH).await?;
                events.reverse();
                let Some(last) = events.last() else { break };
                cursor = last.position;
                let batch = enrich(db, events, Vec::new()).await?;
                sink(batch).await?;
            }
        }
        Source::Contract(id) => {
            let stream = event_log::read_stream(db, "contrato", id).await?;
            let mut state = Contrato::default();
            let mut before = serde_json::to_value(&state).map_err(StoreError::from)?;
            let mut changes = Vec::with_capacity(stream.len());
            for stored in &stream {
                state.apply_event(typed::<ContratoEvent>(stored)?);
                let after = serde_json::to_value(&state).map_err(StoreError::from)?;
                changes.push(
                    changed_fields(&before, &after)
                        .iter()
                        .map(|c| {
                            format!(
                                "{}: {} → {}",
                                c.path,
                                c.before.as_deref().unwrap_or("—"),
                                c.after.as_deref().unwrap_or("—")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                before = after;
            }
            let mut changes = changes.into_iter();
            for chunk in stream.chunks(BATCH as usize) {
                let chunk_changes = changes.by_ref().take(chunk.len()).collect();
                sink(enrich(db, chunk.to_vec(), chunk_changes).await?).await?;
            }
        }
    }
    Ok(())
}

async fn enrich(
    db: &Db,
    events: Vec<StoredEvent>,
    changes: Vec<String>,
) -> Result<Batch, StoreError> {
    let ids: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.aggregate_type.clone(), e.aggregate_id.clone()))
        .collect();
    let names = queries::auditoria::subjects(db, &ids).await?;
    let positions: Vec<i64> = events.iter().map(|e| e.position).collect();
    let digests = crate::audit::seal::digests_of(db, &positions).await?;
    Ok(Batch {
        events,
        digests,
        names,
        changes,
    })
}

pub(super) fn cells(batch: &Batch) -> Vec<Vec<Cell>> {
    let text_meta = |e: &StoredEvent, key: &str| -> Option<String> {
        e.metadata
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    batch
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let key = (e.aggregate_type.clone(), e.aggregate_id.clone());
            let shown = row(e, batch.names.get(&key).cloned());
            let mut cells = vec![
                Cell::Int(e.position),
                Cell::Moment(e.recorded_at),
                Cell::text(shown.record_kind),
                Cell::text(shown.subject),
                Cell::text(&e.event_type),
                Cell::text(&e.event_version),
                Cell::Int(e.sequence),
                Cell::text(shown.user),
                Cell::text(shown.sentence),
            ];
            if !batch.changes.is_empty() {
                cells.push(Cell::text(
                    batch.changes.get(i).cloned().unwrap_or_default(),
                ));
            }
            let imported = text_meta(e, "imported_from").map(|system| {
                format!(
                    "{system}: {} {}",
                    text_meta(e, "source_table").unwrap_or_default(),
                    text_meta(e, "source_id").unwrap_or_default()
                )
            });
            let original = text_meta(e, "source_time")
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| Cell::Moment(t.with_timezone(&chrono::Utc)))
                .unwrap_or(Cell::Empty);
            cells.extend([
                text_meta(e, "request_id")
                    .map(Cell::Text)
                    .unwrap_or(Cell::Empty),
                imported.map(Cell::Text).unwrap_or(Cell::Empty),
                original,
                batch
                    .digests
                    .get(&e.position)
                    .map(|d| Cell::text(d.as_str()))
                    .unwrap_or(Cell::Empty),
            ]);
            cells
        })
        .collect()
}

/// An event as stored, with its digest: what the JSON export lists.
pub(super) fn stored_json(e: &StoredEvent, digest: Option<&String>) -> Value {
    json!({
        "position": e.position,
        "aggregate_type": e.aggregate_type,
        "aggregate_id": e.aggregate_id,
        "sequence": e.sequence,
        "event_type": e.event_type,
        "event_version": e.event_version,
        "payload": e.payload,
        "metadata": e.metadata,
        "recorded_at": e.recorded_at,
        "digest": digest,
    })
}
