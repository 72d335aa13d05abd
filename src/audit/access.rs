//! The trail of reads: who exported what, who looked at a contract as it stood on another day or as it
//! was recorded at another moment, who compared or printed. Item 7 of the auditor's workspace: the
//! auditor reads everything and changes nothing, and even the reading leaves a trace.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::store::{Db, StoreError};

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadKind {
    Export,
    TimeTravel,
    Compare,
    Print,
}

impl ReadKind {
    pub fn code(self) -> &'static str {
        match self {
            ReadKind::Export => "exportar",
            ReadKind::TimeTravel => "viaje",
            ReadKind::Compare => "comparar",
            ReadKind::Print => "imprimir",
        }
    }

    /// The action as the access page says it.
    pub fn label(code: &str) -> &str {
        match code {
            "exportar" => "Exportación",
            "viaje" => "Vista en otra fecha",
            "comparar" => "Comparación",
            "imprimir" => "Impresión",
            other => other,
        }
    }
}

/// One read, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub username: String,
    pub ip: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Records a read. Texts are cut so a crafted query string cannot grow the table without bound.
pub async fn record(
    db: &Db,
    at: DateTime<Utc>,
    username: &str,
    ip: &str,
    kind: ReadKind,
    target: &str,
    detail: &str,
) -> Result<(), StoreError> {
    let cut = |text: &str, n: usize| -> String { text.chars().take(n).collect() };
    crate::on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO audit_access (at, username, ip, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .bind(cut(username, 128))
        .bind(cut(ip, 64))
        .bind(kind.code())
        .bind(cut(target, 200))
        .bind(cut(detail, 1000))
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Up to `limit` reads before the id `before` (newest first): keyset paging.
pub async fn latest(db: &Db, before: Option<i64>, limit: i64) -> Result<Vec<Read>, StoreError> {
    let before = before.unwrap_or(i64::MAX);
    let rows = crate::on_pool!(db, pool => {
        sqlx::query(
            "SELECT id, at, username, ip, action, target, detail FROM audit_access WHERE id < $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let at: String = row.try_get("at")?;
            Ok::<_, StoreError>(Read {
                id: row.try_get("id")?,
                at: DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| StoreError::Invalid(format!("bad audit_access.at {at:?}: {e}")))?
                    .with_timezone(&Utc),
                username: row.try_get("username")?,
                ip: row.try_get("ip")?,
                action: row.try_get("action")?,
                target: row.try_get("target")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows)
}
