//! Contracts with their terms in force today, and what hangs off them: alerts, pólizas and sales
//! reports. Each contract's events are kept beside the list columns (`contract_events`), so detail
//! pages fold the contract and compute everything else with the projections' pure functions.

use chrono::NaiveDate;

use arriendo_events::{ContractKind, Contrato, ContratoEvent, PaymentModality};

use super::contract_events;
use super::contract_rows::{Names, Rows};
use super::folds::{Folds, LastRow};
use super::payload::typed;
use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

pub fn kind_slug(kind: ContractKind) -> &'static str {
    match kind {
        ContractKind::Cliente => "cliente",
        ContractKind::Proveedor => "proveedor",
    }
}

pub fn modality_slug(modality: &PaymentModality) -> &'static str {
    match modality {
        PaymentModality::Fijo { .. } => "fijo",
        PaymentModality::VariablePuro { .. } => "variable",
        PaymentModality::Hibrido { .. } => "hibrido",
    }
}

/// Several contracts' new events (each group one contract's events, in order): each contract is
/// folded once from what the read models hold plus its new events, its events are kept, and every
/// contract's rows are written together (see [`Rows`]). The rows depend only on the contract's final
/// state and on its tercero's and local's names, so this equals applying the events one by one.
pub async fn apply_groups(
    tx: &mut Tx,
    groups: &[Vec<&StoredEvent>],
    today: NaiveDate,
    folds: Option<&Folds>,
) -> Result<(), StoreError> {
    if groups.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = groups
        .iter()
        .filter_map(|g| g.first().map(|e| e.aggregate_id.clone()))
        .collect();
    let mut states = contract_events::load_many_in(tx, &ids, folds).await?;
    let mut folded = Vec::with_capacity(groups.len());
    for group in groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let mut state = states.remove(&first.aggregate_id).unwrap_or_default();
        for event in group {
            state.apply_event(typed::<ContratoEvent>(event)?);
        }
        if let Some(folds) = folds {
            folds.keep(&first.aggregate_id, LastRow::written(last)?, &state);
        }
        folded.push((first.aggregate_id.clone(), state));
    }
    let all: Vec<&StoredEvent> = groups.iter().flatten().copied().collect();
    contract_events::insert(tx, &all).await?;
    write_states(tx, &folded, today).await
}

/// Writes the rows of `contracts` (id, folded state) for `today`.
async fn write_states(
    tx: &mut Tx,
    contracts: &[(String, Contrato)],
    today: NaiveDate,
) -> Result<(), StoreError> {
    let catalog = super::catalogos::load_in(tx).await?;
    let names = Names::load(tx, contracts.iter().map(|(_, state)| state)).await?;
    let mut rows = Rows::default();
    for (id, state) in contracts {
        rows.add(id, state, today, &catalog, &names);
    }
    rows.write(tx).await
}

/// Recomputes every contract whose `column` (tercero_id or local_id) is `value`: names changed.
pub async fn refresh_where(
    tx: &mut Tx,
    column: &'static str,
    value: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let sql = format!("SELECT id FROM rm_contracts WHERE {column} = $1");
    let ids: Vec<String> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(value).fetch_all(&mut *conn).await?
    });
    for chunk in ids.chunks(200) {
        let mut states = contract_events::load_many_in(tx, chunk, None).await?;
        let contracts: Vec<(String, Contrato)> = chunk
            .iter()
            .filter_map(|id| states.remove(id).map(|state| (id.clone(), state)))
            .collect();
        write_states(tx, &contracts, today).await?;
    }
    Ok(())
}

/// Recomputes every contract for a new date (terms in force, alerts and statuses change with it), a
/// few hundred contracts in memory at a time.
pub async fn refresh_all(tx: &mut Tx, today: NaiveDate) -> Result<(), StoreError> {
    let mut after = String::new();
    loop {
        let contracts = contract_events::load_range(tx, &after, 200).await?;
        let Some((last, _)) = contracts.last() else {
            return Ok(());
        };
        after = last.clone();
        write_states(tx, &contracts, today).await?;
    }
}
