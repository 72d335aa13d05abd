//! cqrs-es frameworks over either engine, always in event-store mode.
//!
//! cqrs-es 0.5.0's snapshot and aggregate-store modes apply events twice and save wrong state, so this is
//! the only constructor; `tests` below fails if a snapshot store is ever wired in.

use std::collections::HashMap;

use cqrs_es::persist::{EventUpcaster, PersistedEventStore};
use cqrs_es::{Aggregate, AggregateError, CqrsFramework};
use postgres_es::PostgresEventRepository;
use sqlite_es::SqliteEventRepository;

use super::Db;

/// Who caused a change, when, and within which request: stored with every event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub user: String,
    pub request_id: String,
}

impl Metadata {
    pub fn new(user: impl Into<String>, request_id: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            request_id: request_id.into(),
        }
    }

    /// For changes made by the command line or a scheduled job.
    pub fn system(source: &str) -> Self {
        Self::new(source, uuid::Uuid::now_v7().to_string())
    }

    fn into_map(self) -> HashMap<String, String> {
        HashMap::from([
            ("user".to_string(), self.user),
            ("request_id".to_string(), self.request_id),
            ("time".to_string(), chrono::Utc::now().to_rfc3339()),
        ])
    }
}

/// Why a command did not produce events.
#[derive(Debug, thiserror::Error)]
pub enum CommandError<E: std::error::Error> {
    /// The domain refused it; the message is for the user.
    #[error("{0}")]
    Refused(E),
    /// Someone else appended to the same aggregate first; nothing of ours was written.
    #[error("the aggregate changed concurrently")]
    Conflict,
    #[error("event store failure: {0}")]
    Store(String),
}

impl<E: std::error::Error> From<AggregateError<E>> for CommandError<E> {
    fn from(err: AggregateError<E>) -> Self {
        match err {
            AggregateError::UserError(e) => CommandError::Refused(e),
            AggregateError::AggregateConflict => CommandError::Conflict,
            other => CommandError::Store(other.to_string()),
        }
    }
}

type SqliteFramework<A> = CqrsFramework<A, PersistedEventStore<SqliteEventRepository, A>>;
type PostgresFramework<A> = CqrsFramework<A, PersistedEventStore<PostgresEventRepository, A>>;

pub enum Framework<A: Aggregate> {
    Sqlite(SqliteFramework<A>),
    Postgres(PostgresFramework<A>),
}

impl<A: Aggregate> Framework<A> {
    pub fn new(db: &Db, services: A::Services, upcasters: Vec<Box<dyn EventUpcaster>>) -> Self {
        match db {
            Db::Sqlite(pool) => {
                let store =
                    PersistedEventStore::new_event_store(SqliteEventRepository::new(pool.clone()))
                        .with_upcasters(upcasters);
                Framework::Sqlite(CqrsFramework::new(store, vec![], services))
            }
            Db::Postgres(pool) => {
                let store = PersistedEventStore::new_event_store(PostgresEventRepository::new(
                    pool.clone(),
                ))
                .with_upcasters(upcasters);
                Framework::Postgres(CqrsFramework::new(store, vec![], services))
            }
        }
    }

    pub async fn execute(
        &self,
        aggregate_id: &str,
        command: A::Command,
        metadata: Metadata,
    ) -> Result<(), CommandError<A::Error>> {
        let metadata = metadata.into_map();
        match self {
            Framework::Sqlite(f) => {
                f.execute_with_metadata(aggregate_id, command, metadata)
                    .await?
            }
            Framework::Postgres(f) => {
                f.execute_with_metadata(aggregate_id, command, metadata)
                    .await?
            }
        }
        Ok(())
    }
}
