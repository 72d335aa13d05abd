//! cqrs-es frameworks over either engine, always in event-store mode.
//!
//! cqrs-es 0.5.0's snapshot and aggregate-store modes apply events twice and save wrong state, so this is
//! the only constructor; `tests` below fails if a snapshot store is ever wired in.

use std::collections::HashMap;

use cqrs_es::persist::{EventUpcaster, PersistedEventStore};
use cqrs_es::{Aggregate, AggregateError, CqrsFramework, EventStore};
use postgres_es::PostgresEventRepository;
use sqlite_es::SqliteEventRepository;

use super::Db;
use super::cache::Cached;
use super::claims::ClaimScope;

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
    /// The number, NIT or name is claimed by another aggregate (checked by the `unique_claims`
    /// trigger in the transaction of the append); nothing of ours was written.
    #[error("the value is already claimed in scope {0}")]
    Taken(ClaimScope),
    #[error("event store failure: {0}")]
    Store(String),
}

impl<E: std::error::Error> From<AggregateError<E>> for CommandError<E> {
    fn from(err: AggregateError<E>) -> Self {
        match err {
            AggregateError::UserError(e) => CommandError::Refused(e),
            AggregateError::AggregateConflict => CommandError::Conflict,
            // sqlite-es and postgres-es box sqlx's error; the claim trigger's refusal is a raised
            // error (not a unique violation, which they would report as AggregateConflict).
            AggregateError::UnexpectedError(e) | AggregateError::DatabaseConnectionError(e) => {
                match e
                    .downcast_ref::<sqlx::Error>()
                    .and_then(ClaimScope::refused_by)
                {
                    Some(scope) => CommandError::Taken(scope),
                    None => CommandError::Store(e.to_string()),
                }
            }
            other => CommandError::Store(other.to_string()),
        }
    }
}

/// The only query wired into the frameworks: it counts appended events for `/metrics`. Read models
/// are the projector's job, not the framework's.
fn counted<A: Aggregate>() -> Vec<Box<dyn cqrs_es::Query<A>>> {
    vec![Box::new(crate::metrics::CountAppended)]
}

type SqliteStore<A> = Cached<PersistedEventStore<SqliteEventRepository, A>, A>;
type PostgresStore<A> = Cached<PersistedEventStore<PostgresEventRepository, A>, A>;
type SqliteFramework<A> = CqrsFramework<A, SqliteStore<A>>;
type PostgresFramework<A> = CqrsFramework<A, PostgresStore<A>>;

/// The command side of one aggregate type, and a reader of single streams for edit forms.
/// Both keep the aggregates they load in memory between commands (see [`Cached`]).
pub enum Framework<A: Aggregate + Clone> {
    Sqlite(SqliteFramework<A>, SqliteStore<A>),
    Postgres(PostgresFramework<A>, PostgresStore<A>),
}

impl<A: Aggregate + Clone> Framework<A> {
    pub fn new(
        db: &Db,
        services: A::Services,
        upcasters: fn() -> Vec<Box<dyn EventUpcaster>>,
    ) -> Self {
        match db {
            Db::Sqlite(pool) => {
                let store = || {
                    PersistedEventStore::new_event_store(SqliteEventRepository::new(pool.clone()))
                        .with_upcasters(upcasters())
                };
                let reader = Cached::new(store(), db.clone());
                let commands = reader.sharing(store());
                Framework::Sqlite(CqrsFramework::new(commands, counted(), services), reader)
            }
            Db::Postgres(pool) => {
                let store = || {
                    PersistedEventStore::new_event_store(PostgresEventRepository::new(pool.clone()))
                        .with_upcasters(upcasters())
                };
                let reader = Cached::new(store(), db.clone());
                let commands = reader.sharing(store());
                Framework::Postgres(CqrsFramework::new(commands, counted(), services), reader)
            }
        }
    }

    /// The aggregate as its stream says now, with the version it counted in `apply`.
    /// Edit forms show this state and send its version back, so what the user saw and the version
    /// the command checks come from one read (a read model may lag or be rebuilt meanwhile).
    pub async fn load(&self, aggregate_id: &str) -> Result<A, CommandError<A::Error>> {
        Ok(match self {
            Framework::Sqlite(_, store) => store.load_aggregate(aggregate_id).await?.aggregate,
            Framework::Postgres(_, store) => store.load_aggregate(aggregate_id).await?.aggregate,
        })
    }

    pub async fn execute(
        &self,
        aggregate_id: &str,
        command: A::Command,
        metadata: Metadata,
    ) -> Result<(), CommandError<A::Error>> {
        let metadata = metadata.into_map();
        match self {
            Framework::Sqlite(f, _) => {
                f.execute_with_metadata(aggregate_id, command, metadata)
                    .await?
            }
            Framework::Postgres(f, _) => {
                f.execute_with_metadata(aggregate_id, command, metadata)
                    .await?
            }
        }
        Ok(())
    }
}
