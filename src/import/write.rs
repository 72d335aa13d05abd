//! The planned events in one transaction, so a failure leaves the store as it was.
//! Positions and `recorded_at` are the store's (its triggers assign them, and the uniqueness
//! claims of numbers, NITs and names are taken as for any command).

use crate::store::{Db, StoreError, Tx};

use super::plan::Planned;
use super::plan::digests::DigestImport;
use crate::digest::settings::text;

/// Business events already in the store (accounts do not count: a first start creates `admin`).
pub async fn business_events(db: &Db) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM events WHERE aggregate_type <> 'usuario'";
    Ok(crate::on_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?))
}

async fn append(tx: &mut Tx, e: &Planned) -> Result<(), StoreError> {
    let payload = serde_json::to_string(&e.payload)?;
    let metadata = serde_json::to_string(&e.metadata)?;
    match tx {
        Tx::Sqlite(tx, _) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(e.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(payload)
            .bind(metadata)
            .execute(&mut **tx)
            .await?;
        }
        Tx::Postgres(tx) => {
            sqlx::query(
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)",
            )
            .bind(e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(e.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(payload)
            .bind(metadata)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The alert digests' rows. `last_run_at` is the import's time, so a slot that passed before the
/// import is not sent late by the first tick.
async fn append_digests(tx: &mut Tx, d: &DigestImport) -> Result<(), StoreError> {
    let now = text(chrono::Utc::now());
    for s in &d.settings {
        let weekdays: Vec<String> = s
            .change
            .schedule
            .weekdays
            .iter()
            .map(u8::to_string)
            .collect();
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO digest_settings (kind, enabled, frequency, weekdays, send_time, \
                 only_critical, subject, updated_at, updated_by, last_run_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(s.kind.slug())
            .bind(i64::from(s.change.enabled))
            .bind(s.change.schedule.frequency.slug())
            .bind(weekdays.join(","))
            .bind(s.change.schedule.time.format("%H:%M").to_string())
            .bind(i64::from(s.change.only_critical))
            .bind(s.change.subject.as_deref())
            .bind(text(s.changed_at))
            .bind(&s.changed_by)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
            sqlx::query("INSERT INTO digest_changes (id, at, actor, kind, summary) VALUES ($1, $2, $3, $4, $5)")
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&now)
                .bind(super::plan::IMPORT_USER)
                .bind(s.kind.slug())
                .bind(format!("importado del sistema anterior: {}", s.change.summary()))
                .execute(&mut *conn)
                .await?;
        });
    }
    for r in &d.recipients {
        crate::on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO digest_recipients (id, kind, email, name, username, active, created_at) \
                 VALUES ($1, $2, $3, $4, NULL, $5, $6)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(r.kind.slug())
            .bind(&r.email)
            .bind(&r.name)
            .bind(i64::from(r.active))
            .bind(&now)
            .execute(&mut *conn)
            .await?;
        });
    }
    for h in &d.history {
        crate::on_tx!(tx, conn => {
            sqlx::query(crate::digest::history::INSERT)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&h.run_id)
            .bind(&h.kind)
            .bind(&h.recipient)
            .bind(&h.subject)
            .bind(&h.status)
            .bind(h.error.as_deref())
            .bind(h.alert_count)
            .bind(text(h.at))
            .bind(&h.trigger)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(())
}

/// One transaction that receives the events a window at a time; dropped without `commit`, it
/// rolls back and the store is as it was.
pub struct Writer {
    tx: Tx,
}

impl Writer {
    pub async fn begin(db: &Db) -> Result<Writer, StoreError> {
        Ok(Writer {
            tx: db.begin().await?,
        })
    }

    pub async fn append(&mut self, events: &[Planned]) -> Result<(), StoreError> {
        for e in events {
            append(&mut self.tx, e).await?;
        }
        Ok(())
    }

    /// Writes the alert digests' rows and commits everything.
    pub async fn commit(mut self, digests: &DigestImport) -> Result<(), StoreError> {
        append_digests(&mut self.tx, digests).await?;
        self.tx.commit().await
    }
}
