//! `projections rebuild` without stopping writers.
//!
//! The read models are built from the log into a shadow copy of their tables while commands and the
//! incremental projector keep running against the live ones; only the final swap takes the checkpoint
//! lock, for as long as copying the shadow rows into the live tables takes. Events appended during the
//! build are applied afterwards by an ordinary catch-up, because the swap leaves the checkpoint at the
//! head the build stopped at.
//!
//! The build writes each contract once, with all its events folded, instead of once per event: the
//! catalogs, accounts, indices and history lines go first in log order, then the contracts in stream
//! order. The result equals the incremental one because a contract's rows depend only on its final
//! state and on the final names of its tercero and local (a rename rewrites the contracts that use it).

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use futures::FutureExt;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{CHECKPOINT, Projector, quarantine};
use crate::read_models;
use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError, Tx};

/// Events read from the log per step of the build.
const BATCH: i64 = 2_000;
/// Events per batch when rebuilding event by event: a failing batch is replayed one event at a time.
const GUARDED_BATCH: i64 = 500;

/// The tables a rebuild writes: the read models and the quarantine, which a rebuild fills anew.
fn shadow_tables() -> impl Iterator<Item = &'static str> {
    read_models::TABLES
        .iter()
        .copied()
        .chain(std::iter::once(quarantine::TABLE))
}

impl Projector {
    /// Rebuilds every read model from the log into shadow tables and swaps them in; returns how many
    /// events the read models reflect afterwards. Writers are not held up while the shadow is built.
    pub async fn rebuild(&self) -> Result<usize, StoreError> {
        let today = self.today();
        let head = event_log::last_position(&self.db).await?;
        let shadow = Shadow::create(&self.db).await?;
        let started = std::time::Instant::now();
        let built = async {
            let built = build_tolerant(&self.db, &shadow, head, today).await?;
            let _running = self.running.lock().await;
            let swapping = std::time::Instant::now();
            shadow.swap_into(&self.db, head).await?;
            Ok::<_, StoreError>((built, swapping.elapsed()))
        }
        .await;
        shadow.discard().await;
        let (built, swap) = built?;
        tracing::info!(
            events = built,
            head,
            total_ms = started.elapsed().as_millis(),
            swap_ms = swap.as_millis(),
            "read models rebuilt in a shadow and swapped in"
        );
        Ok(built + self.catch_up().await?)
    }

    /// Rebuilds when the stored read models have another shape than this code's (see
    /// `read_models::VERSION`) or their rows do not decode; returns whether it did.
    pub async fn rebuild_if_stale(&self) -> Result<bool, StoreError> {
        if read_models::is_current(&self.db).await? {
            return Ok(false);
        }
        tracing::warn!(
            version = read_models::VERSION,
            "read models have another shape than this version; rebuilding them"
        );
        self.rebuild().await?;
        Ok(true)
    }
}

/// Fills the shadow fast ([`build`]); when an event cannot be applied (an error caused by the data,
/// or a panic), empties the shadow and builds it again event by event under the quarantine's
/// guard, so the rebuild finishes with that event set aside instead of failing: a rebuild (by hand,
/// after a restore, or for a new read-model version when the server starts) must never be what
/// one bad event stops.
async fn build_tolerant(
    live: &Db,
    shadow: &Shadow,
    head: i64,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let fast = AssertUnwindSafe(build(live, shadow, head, today))
        .catch_unwind()
        .await;
    let fault = match fast {
        Ok(Ok(built)) => return Ok(built),
        Ok(Err(err)) if quarantine::is_infrastructure(&err) => return Err(err),
        Ok(Err(err)) => err.to_string(),
        Err(panic) => quarantine::panic_message(panic.as_ref()),
    };
    tracing::warn!(error = %fault, "an event failed the fast rebuild; rebuilding event by event");
    shadow.empty().await?;
    build_guarded(live, shadow, head, today).await
}

/// Marks the empty shadow as computed for `today` with this code's read-model version.
async fn stamp(shadow: &Shadow, today: NaiveDate) -> Result<(), StoreError> {
    let mut tx = shadow.begin().await?;
    read_models::recompute_for(&mut tx, today).await?;
    read_models::stamp_version(&mut tx).await?;
    tx.commit().await
}

/// Every event up to `head` in global order, each batch under the quarantine's guard.
async fn build_guarded(
    live: &Db,
    shadow: &Shadow,
    head: i64,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    stamp(shadow, today).await?;
    let mut guard = quarantine::Guard::empty();
    let mut position = 0;
    let mut built = 0;
    while position < head {
        let mut events = event_log::read_after(live, position, GUARDED_BATCH).await?;
        events.retain(|e| e.position <= head);
        let Some(last) = events.last().map(|e| e.position) else {
            break;
        };
        let mut tx = shadow.begin().await?;
        guard.apply_batch(&mut tx, &events, today).await?;
        tx.commit().await?;
        position = last;
        built += events.len();
    }
    Ok(built)
}

/// Fills the shadow with every event up to `head`; returns how many events that was.
async fn build(
    live: &Db,
    shadow: &Shadow,
    head: i64,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    stamp(shadow, today).await?;

    let mut position = 0;
    let mut built = 0;
    while position < head {
        let mut events = event_log::read_after(live, position, BATCH).await?;
        events.retain(|e| e.position <= head);
        let Some(last) = events.last().map(|e| e.position) else {
            break;
        };
        let mut tx = shadow.begin().await?;
        read_models::apply_batch_except_contracts(&mut tx, &events, today).await?;
        tx.commit().await?;
        position = last;
        built += events.len();
    }

    // Contracts in stream order: a contract's events are contiguous, and the one still being read
    // at the end of a batch is carried into the next. The contracts completed in a batch are
    // written together.
    let mut pending: Vec<StoredEvent> = Vec::new();
    loop {
        let after = pending.last().map_or((String::new(), -1), |e| {
            (e.aggregate_id.clone(), e.sequence)
        });
        let events =
            event_log::read_streams_after(live, "contrato", (&after.0, after.1), head, BATCH)
                .await?;
        let done = events.is_empty();
        let mut complete: Vec<Vec<StoredEvent>> = Vec::new();
        for event in events {
            if pending
                .first()
                .is_some_and(|first| first.aggregate_id != event.aggregate_id)
            {
                complete.push(std::mem::take(&mut pending));
            }
            pending.push(event);
        }
        if done && !pending.is_empty() {
            complete.push(std::mem::take(&mut pending));
        }
        let groups: Vec<Vec<&StoredEvent>> = complete.iter().map(|c| c.iter().collect()).collect();
        let mut tx = shadow.begin().await?;
        read_models::apply_contracts(&mut tx, &groups, today).await?;
        tx.commit().await?;
        if done {
            return Ok(built);
        }
    }
}

/// Where a rebuild writes: a separate database file next to the SQLite store (its writes take no lock
/// on the store), or a schema of its own in the PostgreSQL database.
enum Shadow {
    Sqlite {
        db: Db,
        path: PathBuf,
    },
    Postgres {
        db: Db,
        schema: String,
        live_schema: String,
    },
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// A table or index of the live SQLite file and the statement that created it.
#[derive(sqlx::FromRow)]
struct SchemaObject {
    tbl_name: String,
    sql: String,
}

impl Shadow {
    /// Empty read-model tables with the live ones' definitions (whatever the migrations made them).
    async fn create(live: &Db) -> Result<Self, StoreError> {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        match live {
            Db::Sqlite(pool) => {
                let path = shadow_path(pool.connect_options().get_filename(), &tag)?;
                let ddl: Vec<SchemaObject> = sqlx::query_as(
                    "SELECT tbl_name, sql FROM sqlite_master \
                     WHERE type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC",
                )
                .fetch_all(pool)
                .await?;
                // The shadow is thrown away on any failure, so it needs no fsync; its journal stays
                // in memory because the quarantine's savepoints must be able to roll back.
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Memory)
                    .synchronous(SqliteSynchronous::Off);
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await?;
                let shadow = Shadow::Sqlite {
                    db: Db::Sqlite(pool.clone()),
                    path,
                };
                for object in &ddl {
                    if shadow_tables().any(|t| t == object.tbl_name.as_str())
                        && let Err(e) = sqlx::query(&object.sql).execute(&pool).await
                    {
                        shadow.discard().await;
                        return Err(e.into());
                    }
                }
                Ok(shadow)
            }
            Db::Postgres(pool) => {
                let live_schema: String = sqlx::query_scalar("SELECT current_schema()")
                    .fetch_one(pool)
                    .await?;
                let schema = format!("rm_shadow_{tag}");
                let mut tx = pool.begin().await?;
                sqlx::query(&format!("CREATE SCHEMA {}", quoted(&schema)))
                    .execute(&mut *tx)
                    .await?;
                for table in shadow_tables() {
                    sqlx::query(&format!(
                        "CREATE TABLE {}.{table} (LIKE {}.{table} INCLUDING ALL)",
                        quoted(&schema),
                        quoted(&live_schema)
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(Shadow::Postgres {
                    db: live.clone(),
                    schema,
                    live_schema,
                })
            }
        }
    }

    /// A transaction whose unqualified read-model tables are the shadow's, so the read-model code
    /// writes there unchanged.
    async fn begin(&self) -> Result<Tx, StoreError> {
        match self {
            Shadow::Sqlite { db, .. } => db.begin().await,
            Shadow::Postgres { db, schema, .. } => {
                let mut tx = db.begin().await?;
                crate::on_tx!(&mut tx, conn => {
                    sqlx::query(&format!("SET LOCAL search_path TO {}", quoted(schema)))
                        .execute(&mut *conn)
                        .await?
                        .rows_affected()
                });
                Ok(tx)
            }
        }
    }

    /// Replaces the live read models with the shadow's and sets the checkpoint to `head`, in one
    /// transaction that holds the checkpoint lock: readers see the old rows until it commits.
    async fn swap_into(&self, live: &Db, head: i64) -> Result<(), StoreError> {
        match (self, live) {
            (Shadow::Sqlite { path, .. }, Db::Sqlite(pool)) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("ATTACH DATABASE $1 AS rm_shadow")
                    .bind(path.to_string_lossy().to_string())
                    .execute(&mut *conn)
                    .await?;
                let copied = async {
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    copy_tables!(tx, "main", "rm_shadow", head);
                    tx.commit().await?;
                    Ok::<_, StoreError>(())
                }
                .await;
                if sqlx::query("DETACH DATABASE rm_shadow")
                    .execute(&mut *conn)
                    .await
                    .is_err()
                {
                    // Never hand a connection with the shadow still attached back to the pool.
                    drop(conn.detach());
                }
                copied
            }
            (
                Shadow::Postgres {
                    schema,
                    live_schema,
                    ..
                },
                Db::Postgres(pool),
            ) => {
                let mut tx = pool.begin().await?;
                copy_tables!(tx, quoted(live_schema), quoted(schema), head);
                tx.commit().await?;
                Ok(())
            }
            _ => Err(StoreError::Invalid(
                "the shadow and the store are on different engines".into(),
            )),
        }
    }

    /// Deletes every row the shadow holds, for a second attempt.
    async fn empty(&self) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for table in shadow_tables() {
            crate::on_tx!(&mut tx, conn => {
                sqlx::query(&format!("DELETE FROM {table}"))
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            });
        }
        tx.commit().await
    }

    /// Drops the shadow; failures only leave a file or schema named after the rebuild behind.
    async fn discard(&self) {
        match self {
            Shadow::Sqlite { db, path } => {
                db.close().await;
                for suffix in ["", "-journal", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Shadow::Postgres { db, schema, .. } => {
                let dropped = crate::on_pool!(db, pool => {
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quoted(schema)))
                        .execute(pool)
                        .await
                        .map(|_| ())
                });
                if let Err(err) = dropped {
                    tracing::warn!(error = %err, schema, "could not drop the rebuild's shadow schema");
                }
            }
        }
    }
}

/// `<store file>.rebuild-<tag>`, beside the store so the final copy stays on one disk.
fn shadow_path(store: &Path, tag: &str) -> Result<PathBuf, StoreError> {
    let name = store.to_string_lossy();
    if name.is_empty() || name.starts_with(':') {
        return Err(StoreError::Invalid(
            "a rebuild needs the SQLite store to be a file".into(),
        ));
    }
    let mut path = store.as_os_str().to_owned();
    path.push(format!(".rebuild-{tag}"));
    Ok(PathBuf::from(path))
}

/// Inside a swap transaction `$tx` of either engine: takes the write lock on the checkpoint row
/// (creating it at 0, as the projector does), copies every shadow table `$from` into the live one
/// `$to`, and leaves the checkpoint at `$head`.
macro_rules! copy_tables {
    ($tx:expr, $to:expr, $from:expr, $head:expr) => {{
        sqlx::query(
            "INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) \
             ON CONFLICT (name) DO UPDATE SET position = projection_checkpoints.position",
        )
        .bind(CHECKPOINT)
        .execute(&mut *$tx)
        .await?;
        for table in shadow_tables() {
            sqlx::query(&format!("DELETE FROM {}.{table}", $to))
                .execute(&mut *$tx)
                .await?;
            sqlx::query(&format!(
                "INSERT INTO {}.{table} SELECT * FROM {}.{table}",
                $to, $from
            ))
            .execute(&mut *$tx)
            .await?;
        }
        sqlx::query("UPDATE projection_checkpoints SET position = $1 WHERE name = $2")
            .bind($head)
            .bind(CHECKPOINT)
            .execute(&mut *$tx)
            .await?;
    }};
}
use copy_tables;
