//! Contracts folded from `rm_contract_events`, kept in memory between page views and catch-ups.
//!
//! A contract's page, a command's form check and the projector's catch-up after a command each fold
//! the contract from all its kept events: with a few hundred notes on a contract, that fold (reading
//! and decoding every payload) was most of a command's cost. A kept fold is used only after checking
//! the store: the row at its last sequence must still hold the same event (type, version and
//! payload, compared whole), and only the rows after it are read and applied. Anything else (a
//! rebuild from another log, a restore, a transaction that rolled back, another process) shows up
//! as a different or missing row, and the contract is folded from the start as before.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use arriendo_events::Contrato;

use super::payload::KeptRow;
use crate::store::Db;
use crate::store::event_log::StoredEvent;

/// Contracts kept per database; a kept fold is a few KB to a few tens of KB.
const CAPACITY: usize = 256;
/// Events the kept folds may stand for together (a fold's size grows with its contract's events:
/// a contract with thousands of notes is a few MB), so memory stays bounded whatever the contracts.
const EVENT_BUDGET: i64 = 50_000;

/// What a fold was folded up to: its last kept event, whole.
#[derive(Clone, PartialEq, Eq)]
pub struct LastRow {
    pub sequence: i64,
    event_type: String,
    event_version: String,
    payload: String,
}

impl LastRow {
    pub fn of(row: &KeptRow) -> Self {
        Self {
            sequence: row.sequence,
            event_type: row.event_type.clone(),
            event_version: row.event_version.clone(),
            payload: row.payload.clone(),
        }
    }

    /// The row the projector is about to write for `event` (the payload as `insert` writes it).
    pub fn written(event: &StoredEvent) -> Result<Self, serde_json::Error> {
        Ok(Self {
            sequence: event.sequence,
            event_type: event.event_type.clone(),
            event_version: event.event_version.clone(),
            payload: serde_json::to_string(&event.payload)?,
        })
    }

    pub fn matches(&self, row: &KeptRow) -> bool {
        self.sequence == row.sequence
            && self.event_type == row.event_type
            && self.event_version == row.event_version
            && self.payload == row.payload
    }
}

/// One database's kept folds.
#[derive(Default)]
pub struct Folds {
    entries: Mutex<HashMap<String, (LastRow, Contrato)>>,
}

impl Folds {
    /// The kept folds of `db` (one set per database file or PostgreSQL database in this process).
    pub fn of(db: &Db) -> Arc<Folds> {
        static ALL: LazyLock<Mutex<HashMap<String, Arc<Folds>>>> = LazyLock::new(Default::default);
        let key = db.identity();
        match ALL.lock() {
            Ok(mut all) => Arc::clone(all.entry(key).or_default()),
            // A poisoned registry only loses the cache: fold from the start.
            Err(_) => Arc::new(Folds::default()),
        }
    }

    /// The kept fold of contract `id`, if any: where it ends and a copy of the state.
    pub fn get(&self, id: &str) -> Option<(LastRow, Contrato)> {
        self.entries.lock().ok()?.get(id).cloned()
    }

    pub fn keep(&self, id: &str, last: LastRow, state: &Contrato) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if last.sequence > EVENT_BUDGET {
            entries.remove(id);
            return;
        }
        entries.remove(id);
        let mut events: i64 = entries.values().map(|(kept, _)| kept.sequence).sum();
        while entries.len() >= CAPACITY || events + last.sequence > EVENT_BUDGET {
            let Some(evicted) = entries.keys().next().cloned() else {
                break;
            };
            if let Some((kept, _)) = entries.remove(&evicted) {
                events -= kept.sequence;
            }
        }
        entries.insert(id.to_string(), (last, state.clone()));
    }

    /// How many folds are kept and how many events they stand for.
    pub fn size(&self) -> (usize, i64) {
        self.entries.lock().map_or((0, 0), |entries| {
            (
                entries.len(),
                entries.values().map(|(kept, _)| kept.sequence).sum(),
            )
        })
    }

    pub fn forget(&self, id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(sequence: i64) -> LastRow {
        LastRow {
            sequence,
            event_type: "SeguimientoAdded".into(),
            event_version: "1".into(),
            payload: "{}".into(),
        }
    }

    /// However many contracts and however long their histories, the kept folds stay within both
    /// bounds; a contract longer than the whole budget is not kept at all.
    #[test]
    fn kept_folds_stay_within_their_count_and_their_events() {
        let folds = Folds::default();
        let state = Contrato::default();
        for n in 0..1_000 {
            folds.keep(&format!("c{n}"), last(10), &state);
        }
        assert_eq!(folds.size(), (CAPACITY, 10 * CAPACITY as i64));
        for n in 0..20 {
            folds.keep(&format!("long{n}"), last(20_000), &state);
            let (_, events) = folds.size();
            assert!(events <= EVENT_BUDGET, "{events} events kept");
        }
        assert!(folds.get("long19").is_some(), "the newest is kept");
        folds.keep("huge", last(EVENT_BUDGET + 1), &state);
        assert!(folds.get("huge").is_none());
    }
}
