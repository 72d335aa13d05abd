//! The dashboard (`/`) and the full list of alerts (`/alertas`), both filtered by the query string.

use arriendo_projections::alerts::backup_alert;
use arriendo_projections::{AlertKind, Severity};
use arriendo_views::components::page_from_query;
use arriendo_views::format;
use arriendo_views::pages::dashboard::{
    AlertFilters, AlertList, AlertRow, BackupSummary, Dashboard, KindSummary, alerts_page,
    dashboard_page,
};
use arriendo_views::pages::tareas::{MyTasks, WEEK_DAYS};
use axum::extract::State;
use axum::http::Uri;
use axum::response::IntoResponse;

use super::page_error::{OrServerError, PageResult};
use super::respuestas::{can_write, raw_query};
use super::security::{Access, Ctx, Route};
use crate::app::{App, today};
use crate::backup::runs::RunStatus;
use crate::queries;

/// Entries per alert card.
pub const PER_CARD: u64 = 5;
/// Rows per page of `/alertas`.
pub const PER_PAGE: u64 = 25;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/", Access::Authenticated, dashboard),
        Route::get("/alertas", Access::Authenticated, alerts),
    ]
}

fn backup_row(
    f: &AlertFilters,
    now: chrono::DateTime<chrono::Utc>,
    state: Option<&arriendo_projections::BackupState>,
) -> Option<AlertRow> {
    let alert = backup_alert(state, now)?;
    Some(AlertRow::from_alert(alert, None, ""))
        .filter(|_| f.clase.is_none() && f.severidad.is_none_or(|s| s == Severity::Danger))
}

/// What the signed-in user must do today and this week (see `arriendo_views::pages::tareas`).
async fn my_tasks(app: &App, ctx: &Ctx) -> Result<MyTasks, crate::store::StoreError> {
    let Some(user) = ctx.user.as_ref() else {
        return Ok(MyTasks::default());
    };
    let approvals = if user.is_admin() {
        queries::bandeja::pending_count(&app.db).await?
    } else {
        0
    };
    let sent = queries::bandeja::sent_by(&app.db, &user.username)
        .await?
        .into_iter()
        .filter(|i| i.pending || matches!(i.status.as_str(), "rechazado" | "anulada"))
        .collect();
    let alerts = queries::dashboard::task_alerts(&app.db, &user.username, WEEK_DAYS).await?;
    Ok(MyTasks {
        approvals,
        sent,
        alerts,
    })
}

async fn dashboard(State(app): State<App>, ctx: Ctx, uri: Uri) -> PageResult {
    let query = raw_query(&uri);
    let filters = AlertFilters::from_query(&query);
    let day = today();
    let result = async {
        let stamp = queries::stamped::stamp(&app.db).await?;
        let panel = app
            .dashboard
            .panel(&app.db, &stamp, &query, &filters, day, PER_CARD)
            .await?;
        let tasks = match ctx.user.as_ref() {
            Some(user) => {
                let key = (user.username.clone(), user.is_admin(), day);
                let read_tasks = || my_tasks(&app, &ctx);
                app.dashboard
                    .tasks
                    .get_or_read(key, &stamp, read_tasks)
                    .await?
            }
            None => std::sync::Arc::default(),
        };
        let (state, last) = queries::backup_state_and_latest(&app.db).await?;
        Ok::<_, crate::store::StoreError>((panel, tasks, state, last))
    }
    .await;
    let (panel, tasks, state, last) = result.or_500(&ctx.page)?;
    let queries::dashboard::Panel {
        counts,
        mut cards,
        chart,
    } = panel.as_ref().clone();
    let tasks = tasks.as_ref().clone();
    let backup = backup_row(&filters, chrono::Utc::now(), state.as_ref());
    if filters.tipo.is_none_or(|t| t == AlertKind::Respaldo) {
        let entries: Vec<AlertRow> = backup.iter().cloned().collect();
        cards.push(KindSummary {
            kind: AlertKind::Respaldo,
            count: entries.len() as u64,
            worst: entries.first().map(|a| a.severity),
            entries,
        });
    }
    let last_backup = last.map(|run| BackupSummary {
        started_at: super::auth::local_time_seconds(&run.started_at.to_rfc3339()),
        status: match run.status {
            RunStatus::Success => "exitoso",
            RunStatus::Failed => "fallido",
            RunStatus::Running => "en curso",
            RunStatus::Interrupted => "interrumpido",
        }
        .to_string(),
        ok: run.status == RunStatus::Success,
        detail: run.error.clone().or_else(|| {
            run.total_bytes.map(|b| {
                format!(
                    "{}, {}",
                    arriendo_events::format_size(u64::try_from(b).unwrap_or(0)),
                    format::count_noun(
                        u64::try_from(run.event_count.unwrap_or(0)).unwrap_or(0),
                        "evento",
                        "eventos"
                    )
                )
            })
        }),
    });
    Ok(dashboard_page(
        &ctx.page,
        &Dashboard {
            today: day,
            counts,
            filters,
            cards,
            chart,
            last_backup,
            backup_alert: backup,
            can_write: can_write(&ctx),
            tasks,
        },
    )
    .into_response())
}

async fn alerts(State(app): State<App>, ctx: Ctx, uri: Uri) -> PageResult {
    let query = raw_query(&uri);
    let filters = AlertFilters::from_query(&query);
    let page = page_from_query(&query);
    let (mut rows, mut total) = if filters.tipo == Some(AlertKind::Respaldo) {
        (Vec::new(), 0)
    } else {
        let stamp = queries::stamped::stamp(&app.db).await.or_500(&ctx.page)?;
        let kept = app
            .dashboard
            .alert_page(&app.db, &stamp, &query, &filters, (page, PER_PAGE))
            .await
            .or_500(&ctx.page)?;
        kept.as_ref().clone()
    };
    if filters.tipo.is_none_or(|t| t == AlertKind::Respaldo) && page == 1 {
        let state = queries::backup_state(&app.db).await.or_500(&ctx.page)?;
        if let Some(b) = backup_row(&filters, chrono::Utc::now(), state.as_ref()) {
            rows.insert(0, b);
            total += 1;
        }
    }
    Ok(alerts_page(
        &ctx.page,
        &AlertList {
            filters,
            rows,
            total,
            page,
            per_page: PER_PAGE,
            can_write: can_write(&ctx),
        },
    )
    .into_response())
}
