//! Aggregates kept in memory between commands, so a command on a contract does not replay its whole
//! stream every time.
//!
//! [`Cached`] wraps cqrs-es's event store. Loading first reads the stream's head (its last event's
//! sequence, global position and metadata: one step down the primary key) and uses the kept
//! aggregate only when it was folded up to exactly that event; otherwise it replays the stream as
//! before and keeps the result. After a commit the aggregate the command produced (the loaded one
//! with the new events applied by `decide`'s sink) is kept at the event it wrote last, read back
//! right after the commit (the store assigns the position) and kept only if that row carries the
//! metadata this commit wrote (its request id and nanosecond time): had another process replaced the
//! stream meanwhile, the entry is dropped. A failed commit (a conflict, a claim refused) drops the
//! entry too. Whatever another process or instance appends or replaces later (a restore writes a
//! stream of the same length, at new positions or even at the same ones), the head no longer
//! matches and the stream is replayed: the cache can be stale only in memory, never in what a
//! command decides on. At most [`CAPACITY`] aggregates per type are kept.
//! This is not cqrs-es's snapshot mode (which applies events twice): nothing is written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cqrs_es::persist::EventStoreAggregateContext;
use cqrs_es::{Aggregate, AggregateError, EventEnvelope, EventStore};

use super::Db;

/// Aggregates kept per aggregate type: a few megabytes at most for contracts.
const CAPACITY: usize = 512;

/// The last event of a stream, as stored: its sequence, its global position and its metadata
/// (request id and nanosecond time), which together name one event even across a log rewritten
/// with the same positions.
#[derive(Clone, PartialEq, Eq)]
struct Head {
    sequence: usize,
    position: i64,
    metadata: String,
}

impl Head {
    fn from_row((sequence, position, metadata): (i64, i64, String)) -> Self {
        Self {
            sequence: usize::try_from(sequence).unwrap_or(0),
            position,
            metadata,
        }
    }
}

struct Entry<A> {
    aggregate: A,
    /// The event the aggregate was folded up to.
    head: Head,
}

/// An event store that keeps the aggregates it loaded or committed (see the module's doc).
pub struct Cached<S, A> {
    inner: S,
    db: Db,
    entries: Arc<Mutex<HashMap<String, Entry<A>>>>,
}

impl<S, A: Aggregate + Clone> Cached<S, A> {
    pub fn new(inner: S, db: Db) -> Self {
        Self {
            inner,
            db,
            entries: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Another store over `inner` that shares this one's kept aggregates (the framework's and the
    /// edit forms' reader).
    pub fn sharing(&self, inner: S) -> Self {
        Self {
            inner,
            db: self.db.clone(),
            entries: Arc::clone(&self.entries),
        }
    }

    /// The kept aggregate when it stands at `head`.
    fn hit(&self, aggregate_id: &str, head: &Head) -> Option<A> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(aggregate_id)?;
        (entry.head == *head).then(|| entry.aggregate.clone())
    }

    fn keep(&self, aggregate_id: &str, entry: Entry<A>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY && !entries.contains_key(aggregate_id) {
                // Any entry makes room: a missed one only costs a replay.
                if let Some(evicted) = entries.keys().next().cloned() {
                    entries.remove(&evicted);
                }
            }
            entries.insert(aggregate_id.to_string(), entry);
        }
    }

    fn forget(&self, aggregate_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(aggregate_id);
        }
    }

    /// The stream's last event; `None` for an empty stream.
    async fn head(&self, aggregate_id: &str) -> Result<Option<Head>, sqlx::Error> {
        const SQL: &str = "SELECT sequence, position, CAST(metadata AS text) FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence DESC LIMIT 1";
        let row: Option<(i64, i64, String)> = crate::on_pool!(&self.db, pool => {
            sqlx::query_as(SQL)
                .bind(A::TYPE)
                .bind(aggregate_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Head::from_row))
    }

    /// The stored event at `sequence` when it carries `metadata` (the one our commit wrote);
    /// `None` when the row is gone or is another's.
    async fn committed(
        &self,
        aggregate_id: &str,
        sequence: usize,
        metadata: &HashMap<String, String>,
    ) -> Result<Option<Head>, sqlx::Error> {
        const SQL: &str = "SELECT sequence, position, CAST(metadata AS text) FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence = $3";
        let sequence = i64::try_from(sequence).unwrap_or(i64::MAX);
        let row: Option<(i64, i64, String)> = crate::on_pool!(&self.db, pool => {
            sqlx::query_as(SQL)
                .bind(A::TYPE)
                .bind(aggregate_id)
                .bind(sequence)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Head::from_row).filter(|head| {
            serde_json::from_str::<HashMap<String, String>>(&head.metadata)
                .is_ok_and(|stored| &stored == metadata)
        }))
    }
}

impl<S, A> EventStore<A> for Cached<S, A>
where
    S: EventStore<A, AC = EventStoreAggregateContext<A>>,
    A: Aggregate + Clone,
{
    type AC = EventStoreAggregateContext<A>;

    async fn load_events(
        &self,
        aggregate_id: &str,
    ) -> Result<Vec<EventEnvelope<A>>, AggregateError<A::Error>> {
        self.inner.load_events(aggregate_id).await
    }

    async fn load_aggregate(
        &self,
        aggregate_id: &str,
    ) -> Result<Self::AC, AggregateError<A::Error>> {
        let head = self
            .head(aggregate_id)
            .await
            .map_err(|e| AggregateError::DatabaseConnectionError(Box::new(e)))?;
        if let Some(head) = &head
            && let Some(aggregate) = self.hit(aggregate_id, head)
        {
            return Ok(EventStoreAggregateContext {
                aggregate_id: aggregate_id.to_string(),
                aggregate,
                current_sequence: head.sequence,
                current_snapshot: None,
            });
        }
        let context = self.inner.load_aggregate(aggregate_id).await?;
        // Kept only when nothing was appended between reading the head and replaying.
        if let Some(head) = head
            && context.current_sequence == head.sequence
        {
            self.keep(
                aggregate_id,
                Entry {
                    aggregate: context.aggregate.clone(),
                    head,
                },
            );
        }
        Ok(context)
    }

    async fn commit(
        &self,
        events: Vec<A::Event>,
        context: Self::AC,
        metadata: HashMap<String, String>,
    ) -> Result<Vec<EventEnvelope<A>>, AggregateError<A::Error>> {
        if events.is_empty() {
            return self.inner.commit(events, context, metadata).await;
        }
        let aggregate_id = context.aggregate_id.clone();
        // The command's handler applied its events to the loaded aggregate as it decided them.
        let after = context.aggregate.clone();
        let sequence = context.current_sequence.saturating_add(events.len());
        // The append is a write transaction of its own (inside the library): on SQLite it waits for
        // this process's turn to write like every other (see `writer`).
        let turn = match super::writer::turn(&self.db).await {
            Ok(turn) => turn,
            Err(err) => return Err(AggregateError::DatabaseConnectionError(Box::new(err))),
        };
        let committed = match self.inner.commit(events, context, metadata).await {
            Ok(committed) => committed,
            Err(err) => {
                self.forget(&aggregate_id);
                return Err(err);
            }
        };
        drop(turn);
        // The store assigned the position: read it back, and keep the aggregate only if the row at
        // our sequence is still the one we wrote.
        let ours = committed
            .last()
            .filter(|last| last.sequence == sequence)
            .map(|last| last.metadata.clone());
        let head = match ours {
            Some(metadata) => self
                .committed(&aggregate_id, sequence, &metadata)
                .await
                .ok()
                .flatten(),
            None => None,
        };
        match head {
            Some(head) => self.keep(
                &aggregate_id,
                Entry {
                    aggregate: after,
                    head,
                },
            ),
            // Unknown or not ours: the next load replays the stream.
            None => self.forget(&aggregate_id),
        }
        Ok(committed)
    }
}
