//! The event log read in global order, and raw appends for restores.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use super::{Db, StoreError, Tx};

/// One event as stored, with its place in the global order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub position: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: Value,
    pub metadata: Value,
    pub recorded_at: DateTime<Utc>,
}

impl StoredEvent {
    /// The user that caused the event, from its metadata.
    pub fn actor(&self) -> &str {
        self.metadata
            .get("user")
            .and_then(Value::as_str)
            .unwrap_or("sistema")
    }
}

const SQLITE_SELECT: &str = "SELECT position, aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload, metadata, recorded_at FROM events";
const POSTGRES_SELECT: &str = "SELECT position, aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload::text AS payload, metadata::text AS metadata, recorded_at FROM events";

fn parse_row_sqlite(row: &sqlx::sqlite::SqliteRow) -> Result<StoredEvent, StoreError> {
    let recorded: String = row.try_get("recorded_at")?;
    let recorded_at = DateTime::parse_from_rfc3339(&recorded)
        .map_err(|e| StoreError::Invalid(format!("bad recorded_at {recorded:?}: {e}")))?
        .with_timezone(&Utc);
    build(row, recorded_at)
}

fn parse_row_postgres(row: &sqlx::postgres::PgRow) -> Result<StoredEvent, StoreError> {
    let recorded_at: DateTime<Utc> = row.try_get("recorded_at")?;
    build(row, recorded_at)
}

fn build<'r, R>(row: &'r R, recorded_at: DateTime<Utc>) -> Result<StoredEvent, StoreError>
where
    R: Row,
    &'r str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let payload: String = row.try_get("payload")?;
    let metadata: String = row.try_get("metadata")?;
    Ok(StoredEvent {
        position: row.try_get("position")?,
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: row.try_get("sequence")?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: serde_json::from_str(&payload)?,
        metadata: serde_json::from_str(&metadata)?,
        recorded_at,
    })
}

/// Up to `limit` events after `position`, in global order.
pub async fn read_after(
    db: &Db,
    position: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut tx = db.begin_read().await?;
    let events = read_after_in(&mut tx, position, limit).await?;
    tx.commit().await?;
    Ok(events)
}

/// [`read_after`] inside a transaction, so the projector reads and writes one consistent view.
pub async fn read_after_in(
    tx: &mut Tx,
    position: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let tail = " WHERE position > $1 ORDER BY position LIMIT $2";
    match tx {
        Tx::Sqlite(tx, _) => {
            let rows = sqlx::query(&format!("{SQLITE_SELECT}{tail}"))
                .bind(position)
                .bind(limit)
                .fetch_all(&mut **tx)
                .await?;
            rows.iter().map(parse_row_sqlite).collect()
        }
        Tx::Postgres(tx) => {
            let rows = sqlx::query(&format!("{POSTGRES_SELECT}{tail}"))
                .bind(position)
                .bind(limit)
                .fetch_all(&mut **tx)
                .await?;
            rows.iter().map(parse_row_postgres).collect()
        }
    }
}

/// Every event of one aggregate, in its own order.
pub async fn read_stream(
    db: &Db,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Vec<StoredEvent>, StoreError> {
    let tail = " WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence";
    match db {
        Db::Sqlite(pool) => {
            let rows = sqlx::query(&format!("{SQLITE_SELECT}{tail}"))
                .bind(aggregate_type)
                .bind(aggregate_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(parse_row_sqlite).collect()
        }
        Db::Postgres(pool) => {
            let rows = sqlx::query(&format!("{POSTGRES_SELECT}{tail}"))
                .bind(aggregate_type)
                .bind(aggregate_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(parse_row_postgres).collect()
        }
    }
}

/// Up to `limit` events of one aggregate type at or before `upto` (a position), in stream order
/// (aggregate id, then sequence) after the stream place `after`: what a rebuild folds one aggregate
/// at a time. The primary key serves this order.
pub async fn read_streams_after(
    db: &Db,
    aggregate_type: &str,
    after: (&str, i64),
    upto: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let tail = " WHERE aggregate_type = $1 AND (aggregate_id, sequence) > ($2, $3) AND position <= $4 \
                ORDER BY aggregate_id, sequence LIMIT $5";
    match db {
        Db::Sqlite(pool) => {
            let rows = sqlx::query(&format!("{SQLITE_SELECT}{tail}"))
                .bind(aggregate_type)
                .bind(after.0)
                .bind(after.1)
                .bind(upto)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(parse_row_sqlite).collect()
        }
        Db::Postgres(pool) => {
            let rows = sqlx::query(&format!("{POSTGRES_SELECT}{tail}"))
                .bind(aggregate_type)
                .bind(after.0)
                .bind(after.1)
                .bind(upto)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(parse_row_postgres).collect()
        }
    }
}

/// The number of events and the last global position (0 when empty).
pub async fn head(db: &Db) -> Result<(i64, i64), StoreError> {
    let sql = "SELECT COUNT(*), CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM events";
    let (count, last): (i64, i64) =
        crate::on_pool!(db, pool => sqlx::query_as(sql).fetch_one(pool).await?);
    Ok((count, last))
}

/// The last global position (0 when empty): one step down the `position` index, whatever the size
/// of the log (no `COUNT(*)`).
pub async fn last_position(db: &Db) -> Result<i64, StoreError> {
    let sql = "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM events";
    let last: i64 = crate::on_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
    Ok(last)
}

/// Appends an event exactly as it was recorded elsewhere (restores): position, sequence, metadata and
/// time are kept.
pub async fn append_raw(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    let payload = serde_json::to_string(&event.payload)?;
    let metadata = serde_json::to_string(&event.metadata)?;
    match tx {
        Tx::Sqlite(tx, _) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata, position, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&event.aggregate_type)
            .bind(&event.aggregate_id)
            .bind(event.sequence)
            .bind(&event.event_type)
            .bind(&event.event_version)
            .bind(payload)
            .bind(metadata)
            .bind(event.position)
            .bind(
                event
                    .recorded_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )
            .execute(&mut **tx)
            .await?;
        }
        Tx::Postgres(tx) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata, position, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6::json, $7::json, $8, $9)",
            )
            .bind(&event.aggregate_type)
            .bind(&event.aggregate_id)
            .bind(event.sequence)
            .bind(&event.event_type)
            .bind(&event.event_version)
            .bind(payload)
            .bind(metadata)
            .bind(event.position)
            .bind(event.recorded_at)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// After raw appends on PostgreSQL the position sequence must continue after the restored head.
pub async fn resync_position_sequence(tx: &mut Tx) -> Result<(), StoreError> {
    if let Tx::Postgres(tx) = tx {
        sqlx::query(
            "SELECT setval('events_position_seq', GREATEST(COALESCE((SELECT MAX(position) FROM events), 0), 1), \
             (SELECT COUNT(*) FROM events) > 0)",
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Which events of the whole log to list (the auditor's `/auditoria`): every field narrows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub aggregate_types: Vec<String>,
    pub aggregate_id: Option<String>,
    pub event_type: Option<String>,
    /// The `user` of the event's metadata.
    pub user: Option<String>,
    /// Recorded at or after (UTC).
    pub from: Option<DateTime<Utc>>,
    /// Recorded before (UTC).
    pub until: Option<DateTime<Utc>>,
    /// Keyset paging: only positions below (newer pages are above).
    pub before: Option<i64>,
    /// Keyset paging backwards: only positions above.
    pub after: Option<i64>,
}

/// Up to `limit` events matching `filter`, newest first; with `filter.after` the oldest `limit`
/// above it (still returned newest first). Paged by position, never by offset, so a page costs the
/// same at the start and at the end of a log of millions.
pub async fn search(
    db: &Db,
    filter: &LogFilter,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    use crate::queries::filters::{Bind, Filters};
    let postgres = matches!(db, Db::Postgres(_));
    let mut f = Filters::new();
    if !filter.aggregate_types.is_empty() {
        let marks = vec!["?"; filter.aggregate_types.len()].join(", ");
        f.add(
            &format!("aggregate_type IN ({marks})"),
            filter
                .aggregate_types
                .iter()
                .map(|t| Bind::Text(t.clone()))
                .collect(),
        );
    }
    if let Some(id) = &filter.aggregate_id {
        f.add("aggregate_id = ?", vec![Bind::Text(id.clone())]);
    }
    if let Some(t) = &filter.event_type {
        f.add("event_type = ?", vec![Bind::Text(t.clone())]);
    }
    if let Some(user) = &filter.user {
        let clause = if postgres {
            "metadata->>'user' = ?"
        } else {
            "json_extract(metadata, '$.user') = ?"
        };
        f.add(clause, vec![Bind::Text(user.clone())]);
    }
    // SQLite keeps RFC 3339 text in UTC whose first 19 characters sort as the instant (a bound
    // without fraction or zone sorts before every stored time of that second); PostgreSQL compares
    // timestamptz, so its bound names its zone.
    let pattern = if postgres {
        "%Y-%m-%dT%H:%M:%SZ"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    let instant = |t: &DateTime<Utc>| Bind::Text(t.format(pattern).to_string());
    let cast = if postgres { "::timestamptz" } else { "" };
    if let Some(from) = &filter.from {
        f.add(&format!("recorded_at >= ?{cast}"), vec![instant(from)]);
    }
    if let Some(until) = &filter.until {
        f.add(&format!("recorded_at < ?{cast}"), vec![instant(until)]);
    }
    if let Some(before) = filter.before {
        f.add("position < ?", vec![Bind::Int(before)]);
    }
    if let Some(after) = filter.after {
        f.add("position > ?", vec![Bind::Int(after)]);
    }
    let order = if filter.after.is_some() {
        "ASC"
    } else {
        "DESC"
    };
    let limit_mark = format!("${}", f.binds().len() + 1);
    let tail = format!(
        "{} ORDER BY position {order} LIMIT {limit_mark}",
        f.where_sql()
    );
    let mut events = match db {
        Db::Sqlite(pool) => {
            let sql = format!("{SQLITE_SELECT}{tail}");
            let q = sqlx::query(&sql);
            let rows = crate::queries::filters::bind_all!(q, f.binds())
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(parse_row_sqlite)
                .collect::<Result<Vec<_>, _>>()?
        }
        Db::Postgres(pool) => {
            let sql = format!("{POSTGRES_SELECT}{tail}");
            let q = sqlx::query(&sql);
            let rows = crate::queries::filters::bind_all!(q, f.binds())
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(parse_row_postgres)
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    if filter.after.is_some() {
        events.reverse();
    }
    Ok(events)
}
