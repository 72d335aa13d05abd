//! `rm_contract_events`: the read side's own record of each contract.
//!
//! The write side's `Contrato` struct is free to change shape; the events are the one format both
//! sides keep readable (versioned, with upcasters). So the read model keeps each contract's events as
//! stored and folds them with the aggregate's own `apply_event` when a page needs the whole contract:
//! a field added to `Contrato` then needs no migration and breaks no stored row.

use arriendo_events::{Contrato, ContratoEvent};

use super::folds::{Folds, LastRow};
use super::payload::{KeptRow, decode_kept};
use crate::store::event_log::StoredEvent;
use crate::store::{Db, StoreError, Tx};

type Row = KeptRow;

/// A kept event with the contract it belongs to, for reads of several contracts at once.
#[derive(Debug, sqlx::FromRow)]
struct ContractEventRow {
    contract_id: String,
    #[sqlx(flatten)]
    event: KeptRow,
}

const SELECT_ONE: &str = "SELECT sequence, event_type, event_version, payload FROM rm_contract_events \
     WHERE contract_id = $1 ORDER BY sequence";
/// The rows from a kept fold's last sequence on.
const SELECT_FROM: &str = "SELECT sequence, event_type, event_version, payload FROM rm_contract_events \
     WHERE contract_id = $1 AND sequence >= $2 ORDER BY sequence";

/// Folds one contract's stored events; `None` when it has none.
fn fold(id: &str, rows: Vec<Row>) -> Result<Option<Contrato>, StoreError> {
    if rows.is_empty() {
        return Ok(None);
    }
    let mut state = Contrato::default();
    for event in decode_kept::<ContratoEvent>("contrato", id, rows)? {
        state.apply_event(event);
    }
    Ok(Some(state))
}

/// The contract as the pages see it, or `None` for an unknown id.
pub async fn load(db: &Db, id: &str) -> Result<Option<Contrato>, StoreError> {
    let folds = Folds::of(db);
    if let Some((last, state)) = folds.get(id) {
        let rows: Vec<Row> = crate::on_pool!(db, pool => {
            sqlx::query_as(SELECT_FROM).bind(id).bind(last.sequence).fetch_all(pool).await?
        });
        if let Some((state, newest)) = extend(id, &last, state, rows, &folds)? {
            if let Some(newest) = newest {
                folds.keep(id, newest, &state);
            }
            return Ok(Some(state));
        }
    }
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(SELECT_ONE).bind(id).fetch_all(pool).await?
    });
    let last = rows.last().map(LastRow::of);
    let state = fold(id, rows)?;
    if let (Some(last), Some(state)) = (last, &state) {
        folds.keep(id, last, state);
    }
    Ok(state)
}

/// A kept fold brought up to date from `rows` (its own last row, then the newer ones), with the
/// newest row when there were newer ones; `None` (and the fold forgotten) when the store no longer
/// holds the event it was folded up to.
fn extend(
    id: &str,
    last: &LastRow,
    mut state: Contrato,
    rows: Vec<Row>,
    folds: &Folds,
) -> Result<Option<(Contrato, Option<LastRow>)>, StoreError> {
    if !rows.first().is_some_and(|first| last.matches(first)) {
        folds.forget(id);
        return Ok(None);
    }
    let newest = rows
        .last()
        .filter(|row| row.sequence > last.sequence)
        .map(LastRow::of);
    for event in decode_kept::<ContratoEvent>("contrato", id, rows.into_iter().skip(1).collect())? {
        state.apply_event(event);
    }
    Ok(Some((state, newest)))
}

/// Up to `limit` contracts with a row in `rm_contracts` after the id `after`, folded, in id order. Used to recompute a range of
/// contracts without holding every contract in memory.
pub async fn load_range(
    tx: &mut Tx,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, Contrato)>, StoreError> {
    let ids: Vec<String> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM rm_contracts WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    });
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        return Ok(Vec::new());
    };
    let rows: Vec<ContractEventRow> = crate::on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT contract_id, sequence, event_type, event_version, payload FROM rm_contract_events \
             WHERE contract_id >= $1 AND contract_id <= $2 ORDER BY contract_id, sequence",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?
    });
    let mut by_contract = fold_many(rows)?;
    Ok(ids
        .into_iter()
        .filter_map(|id| by_contract.remove(&id).map(|state| (id, state)))
        .collect())
}

/// Keeps `events` (all of one contract, in order) as that contract's record.
pub async fn insert(tx: &mut Tx, events: &[&StoredEvent]) -> Result<(), StoreError> {
    // 5 binds a row: 500 rows stay far below both engines' limit on bound parameters.
    for chunk in events.chunks(500) {
        let mut payloads = Vec::with_capacity(chunk.len());
        for event in chunk {
            payloads.push(serde_json::to_string(&event.payload)?);
        }
        crate::on_tx!(tx, conn => {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO rm_contract_events (contract_id, sequence, event_type, event_version, payload) ",
            );
            insert.push_values(chunk.iter().zip(&payloads), |mut row, (event, payload)| {
                row.push_bind(&event.aggregate_id)
                    .push_bind(event.sequence)
                    .push_bind(&event.event_type)
                    .push_bind(&event.event_version)
                    .push_bind(payload);
            });
            insert.build().execute(&mut *conn).await?.rows_affected()
        });
    }
    Ok(())
}

/// `SELECT … WHERE contract_id IN ($1, …)` for `n` ids, in stream order.
fn select_many(n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "SELECT contract_id, sequence, event_type, event_version, payload FROM rm_contract_events \
         WHERE contract_id IN ({}) ORDER BY contract_id, sequence",
        marks.join(", ")
    )
}

/// Rows of several contracts, folded by contract; contracts without rows are left out.
fn fold_many(
    rows: Vec<ContractEventRow>,
) -> Result<std::collections::HashMap<String, Contrato>, StoreError> {
    let mut by_contract: std::collections::HashMap<String, Vec<Row>> =
        std::collections::HashMap::new();
    for row in rows {
        by_contract
            .entry(row.contract_id)
            .or_default()
            .push(row.event);
    }
    let mut folded = std::collections::HashMap::with_capacity(by_contract.len());
    for (id, rows) in by_contract {
        if let Some(state) = fold(&id, rows)? {
            folded.insert(id, state);
        }
    }
    Ok(folded)
}

/// The contracts `ids` (at most a few hundred: one statement), folded, by id; ids without events are
/// left out.
pub async fn load_many(
    db: &Db,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Contrato>, StoreError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = select_many(ids.len());
    let rows: Vec<ContractEventRow> = crate::on_pool!(db, pool => {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(id.as_str());
        }
        q.fetch_all(pool).await?
    });
    fold_many(rows)
}

/// [`load_many`] inside the projector's transaction, for any number of ids (a statement per 500
/// for the ones not kept in `folds`). With `folds`, kept folds are brought up to date one contract
/// at a time; keeping the result is the caller's (the projector keeps the state after its batch).
pub async fn load_many_in(
    tx: &mut Tx,
    ids: &[String],
    folds: Option<&Folds>,
) -> Result<std::collections::HashMap<String, Contrato>, StoreError> {
    let mut folded = std::collections::HashMap::with_capacity(ids.len());
    let mut rest = Vec::with_capacity(ids.len());
    for id in ids {
        let kept = folds.and_then(|f| f.get(id).map(|kept| (f, kept)));
        let Some((folds, (last, state))) = kept else {
            rest.push(id.clone());
            continue;
        };
        let rows: Vec<Row> = crate::on_tx!(tx, conn => {
            sqlx::query_as(SELECT_FROM).bind(id).bind(last.sequence).fetch_all(&mut *conn).await?
        });
        match extend(id, &last, state, rows, folds)? {
            Some((state, _)) => {
                folded.insert(id.clone(), state);
            }
            None => rest.push(id.clone()),
        }
    }
    for chunk in rest.chunks(500) {
        let sql = select_many(chunk.len());
        let rows: Vec<ContractEventRow> = crate::on_tx!(tx, conn => {
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(id.as_str());
            }
            q.fetch_all(&mut *conn).await?
        });
        folded.extend(fold_many(rows)?);
    }
    Ok(folded)
}
