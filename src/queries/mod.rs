//! Queries over the read models, shared by pages. Pages never read the event log.
//! Area-specific list queries live in their own modules here.

pub mod auditoria;
pub mod bandeja;
pub mod buscar;
pub mod catalogos;
pub mod clausulas;
pub mod contratos;
pub mod dashboard;
pub mod decode;
pub mod empresa;
pub mod filters;
pub mod indices;
pub mod polizas;
pub mod relacion;
pub mod renovaciones;
pub mod stamped;
pub mod time_travel;
pub mod ventas;

use chrono::{DateTime, Utc};
use serde::Serialize;

use arriendo_events::Contrato;
use arriendo_projections::schedule::Indices;

use crate::store::{Db, StoreError};

/// The contract as the projector last recorded it (its events, folded), or `None` for an unknown id.
pub async fn contract_state(db: &Db, id: &str) -> Result<Option<Contrato>, StoreError> {
    crate::read_models::contract_state(db, id).await
}

/// IPC and minimum-wage values by year.
pub async fn indices(db: &Db) -> Result<Indices, StoreError> {
    Ok(crate::read_models::indices_from_rows(
        indices::values(db).await?,
    ))
}

/// One line of an aggregate's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryRow {
    pub position: i64,
    pub sequence: i64,
    pub event_type: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
    pub summary: String,
}

/// Every event of one aggregate, oldest first, with who, when and a Spanish sentence.
pub async fn history(
    db: &Db,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<Vec<HistoryRow>, StoreError> {
    let rows: Vec<HistoryRecord> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT position, sequence, event_type, actor, recorded_at, summary FROM rm_history \
             WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence",
        )
        .bind(aggregate_type)
        .bind(aggregate_id)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            let recorded_at = DateTime::parse_from_rfc3339(&r.recorded_at)
                .map_err(|e| {
                    StoreError::Invalid(format!("bad recorded_at {:?}: {e}", r.recorded_at))
                })?
                .with_timezone(&Utc);
            Ok(HistoryRow {
                position: r.position,
                sequence: r.sequence,
                event_type: r.event_type,
                actor: r.actor,
                recorded_at,
                summary: r.summary,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct HistoryRecord {
    position: i64,
    sequence: i64,
    event_type: String,
    actor: String,
    recorded_at: String,
    summary: String,
}

/// What the Respaldo alert needs: the last successful backup and whether the last run failed.
pub async fn backup_state(
    db: &Db,
) -> Result<Option<arriendo_projections::alerts::BackupState>, StoreError> {
    Ok(backup_state_and_latest(db).await?.0)
}

/// [`backup_state`] and the newest backup run it was read from (the dashboard shows both), with
/// that run read once.
pub async fn backup_state_and_latest(
    db: &Db,
) -> Result<
    (
        Option<arriendo_projections::alerts::BackupState>,
        Option<crate::backup::runs::BackupRun>,
    ),
    StoreError,
> {
    use crate::backup::runs::{self, RunStatus};
    let failure = |e: crate::backup::BackupError| StoreError::Invalid(e.to_string());
    let Some(latest) = runs::latest(db).await.map_err(failure)? else {
        return Ok((None, None));
    };
    let last_success = runs::latest_success(db).await.map_err(failure)?;
    let drill = runs::latest_of(db, runs::RunKind::Drill)
        .await
        .map_err(failure)?;
    let state = arriendo_projections::alerts::BackupState {
        last_success: last_success.map(|run| run.finished_at.unwrap_or(run.started_at)),
        last_failed: matches!(latest.status, RunStatus::Failed | RunStatus::Interrupted),
        drill_failed_at: drill
            .filter(|d| matches!(d.status, RunStatus::Failed | RunStatus::Interrupted))
            .map(|d| d.started_at),
    };
    Ok((Some(state), Some(latest)))
}
