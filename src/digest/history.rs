//! The send history: one row per recipient per run (ENVIADO or ERROR with the error), the number
//! of alerts the digest listed, and how the run started (programado, manual, importado).

use chrono::{DateTime, Utc};

use super::Result;
use super::settings::text;
use crate::store::Db;

pub const SENT: &str = "ENVIADO";
pub const ERROR: &str = "ERROR";

/// How a run started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Scheduled,
    Manual,
    /// Brought over from the old system by the importer.
    Imported,
}

impl Trigger {
    pub fn slug(self) -> &'static str {
        match self {
            Trigger::Scheduled => "programado",
            Trigger::Manual => "manual",
            Trigger::Imported => "importado",
        }
    }
}

/// One row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub run_id: String,
    /// An `AlertKind` slug (imported rows keep the old system's code when it has no kind here).
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub error: Option<String>,
    pub alert_count: i64,
    pub at: DateTime<Utc>,
    pub trigger: String,
}

/// The insert of one row (the importer writes its rows in its own transaction).
pub const INSERT: &str = "INSERT INTO digest_history (id, run_id, kind, recipient, subject, \
     status, error, alert_count, at, run_trigger) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub async fn record(db: &Db, entry: &Entry) -> Result<()> {
    crate::on_pool!(db, pool => {
        sqlx::query(INSERT)
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&entry.run_id)
        .bind(&entry.kind)
        .bind(&entry.recipient)
        .bind(&entry.subject)
        .bind(&entry.status)
        .bind(entry.error.as_deref())
        .bind(entry.alert_count)
        .bind(text(entry.at))
        .bind(&entry.trigger)
        .execute(pool)
        .await?;
    });
    Ok(())
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    String,
    String,
);

/// The latest rows, newest first.
pub async fn latest(db: &Db, limit: i64, offset: i64) -> Result<Vec<Entry>> {
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT run_id, kind, recipient, subject, status, error, alert_count, at, run_trigger \
             FROM digest_history ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            run_id: r.0,
            kind: r.1,
            recipient: r.2,
            subject: r.3,
            status: r.4,
            error: r.5,
            alert_count: r.6,
            at: DateTime::parse_from_rfc3339(&r.7)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            trigger: r.8,
        })
        .collect())
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM digest_history").fetch_one(pool).await?
    }))
}
