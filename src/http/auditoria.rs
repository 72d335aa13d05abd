//! `/auditoria`: the whole event log for auditors and everyone who reads, newest first, filtered
//! and paged by position. Users' own events (passwords, roles) stay on the Usuarios pages.

use arriendo_views::pages::auditoria::{
    self as views, ChainLine, LogFilters, LogPage, LogRow, RECORD_KINDS,
};
use arriendo_views::query::QueryString;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{parse_date, unprocessable};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::queries;
use crate::store::event_log::{self, LogFilter, StoredEvent};

/// Events per page.
const PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/auditoria", Access::Authenticated, log),
        Route::get(
            "/auditoria/eventos/{position}",
            Access::Authenticated,
            event,
        ),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    contrato: String,
    tipo: String,
    evento: String,
    usuario: String,
    desde: String,
    hasta: String,
    antes: String,
    despues: String,
}

async fn log(State(app): State<App>, ctx: Ctx, Query(q): Query<LogQuery>) -> PageResult {
    let (filter, typed) = filter_or_page(&app, &ctx, &q).await?;
    let chain = match app.chain.recent(&app.db).await {
        Ok((at, report)) => Some(ChainLine {
            intact: report.is_intact(),
            summary: crate::audit::summary(&report),
            verified_at: crate::export::bogota_label(at),
        }),
        Err(e) => {
            tracing::error!(error = %e, "the chain could not be verified for /auditoria");
            None
        }
    };
    let (rows, newer, older) = page_of(&app, &filter, &typed).await.or_500(&ctx.page)?;
    Ok(views::log_page(
        &ctx.page,
        &LogPage {
            rows: &rows,
            filters: &typed,
            newer,
            older,
            chain: chain.as_ref(),
            filter_query: &filter_query(&typed).encoded(),
        },
    )
    .into_response())
}

/// The store filter the query asks for, with the filters as typed; or the log page with the
/// fields that could not be read (422), or an error page.
pub(super) async fn filter_or_page(
    app: &App,
    ctx: &Ctx,
    q: &LogQuery,
) -> Result<(LogFilter, LogFilters), PageError> {
    let mut typed = LogFilters {
        contrato: q.contrato.trim().to_string(),
        tipo: q.tipo.trim().to_string(),
        evento: q.evento.trim().to_string(),
        usuario: q.usuario.trim().to_string(),
        desde: q.desde.trim().to_string(),
        hasta: q.hasta.trim().to_string(),
        ..LogFilters::default()
    };
    match filter_from(app, &mut typed, q).await.or_500(&ctx.page)? {
        Some(filter) => Ok((filter, typed)),
        None => {
            let page = views::log_page(
                &ctx.page,
                &LogPage {
                    rows: &[],
                    filters: &typed,
                    newer: None,
                    older: None,
                    chain: None,
                    filter_query: "",
                },
            );
            Err(unprocessable(page.into_response()).into())
        }
    }
}

/// The store filter for the typed one; `None` (with the errors on `typed`) when a field cannot be
/// read. A contract number that does not exist matches nothing rather than everything.
async fn filter_from(
    app: &App,
    typed: &mut LogFilters,
    q: &LogQuery,
) -> Result<Option<LogFilter>, crate::store::StoreError> {
    for (field, text) in [
        ("contrato", &typed.contrato),
        ("evento", &typed.evento),
        ("usuario", &typed.usuario),
    ] {
        if text.chars().any(char::is_control) || text.chars().count() > 200 {
            let message = "Escriba a lo sumo 200 caracteres, sin caracteres de control.";
            typed.errors.add(field, message);
        }
    }
    if !typed.errors.is_empty() {
        return Ok(None);
    }
    let mut filter = LogFilter {
        aggregate_types: match RECORD_KINDS.iter().find(|(slug, _)| *slug == typed.tipo) {
            Some((slug, _)) => vec![(*slug).to_string()],
            None => RECORD_KINDS.iter().map(|(s, _)| (*s).to_string()).collect(),
        },
        event_type: (!typed.evento.is_empty()).then(|| typed.evento.clone()),
        user: (!typed.usuario.is_empty()).then(|| typed.usuario.clone()),
        ..LogFilter::default()
    };
    if !typed.contrato.is_empty() {
        filter.aggregate_types = vec!["contrato".into()];
        filter.aggregate_id = Some(
            queries::auditoria::contract_id(&app.db, &typed.contrato)
                .await?
                .unwrap_or_else(|| format!("sin-contrato:{}", typed.contrato)),
        );
    }
    let mut day = |field: &str, text: &str| -> Option<Option<NaiveDate>> {
        if text.is_empty() {
            return Some(None);
        }
        match parse_date(text) {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                typed.errors.add(field, e.to_string());
                None
            }
        }
    };
    let from = day("desde", q.desde.trim());
    let until = day("hasta", q.hasta.trim());
    let (Some(from), Some(until)) = (from, until) else {
        return Ok(None);
    };
    if !typed.errors.is_empty() {
        return Ok(None);
    }
    filter.from = from.map(bogota_midnight);
    filter.until = until.and_then(|d| d.succ_opt()).map(bogota_midnight);
    filter.before = position(&q.antes);
    filter.after = position(&q.despues).filter(|_| filter.before.is_none());
    Ok(Some(filter))
}

/// A keyset position from the query; anything else (text, negative, beyond i64) starts at the
/// newest event.
fn position(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|p| *p > 0)
}

/// Midnight in Bogotá (UTC−5 all year) as a UTC instant.
fn bogota_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono_tz::America::Bogota
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The filters as typed, as a query string (empty ones left out).
fn filter_query(typed: &LogFilters) -> QueryString {
    QueryString::from_pairs(
        [
            ("contrato", typed.contrato.as_str()),
            ("tipo", typed.tipo.as_str()),
            ("evento", typed.evento.as_str()),
            ("usuario", typed.usuario.as_str()),
            ("desde", typed.desde.as_str()),
            ("hasta", typed.hasta.as_str()),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty()),
    )
}

type Page = (Vec<LogRow>, Option<String>, Option<String>);

async fn page_of(
    app: &App,
    filter: &LogFilter,
    typed: &LogFilters,
) -> Result<Page, crate::store::StoreError> {
    let mut events = event_log::search(&app.db, filter, PAGE + 1).await?;
    let extra = events.len() > PAGE as usize;
    if extra {
        // Newest first: the extra event is the oldest when reading down, the newest when reading up.
        if filter.after.is_some() {
            events.remove(0);
        } else {
            events.truncate(PAGE as usize);
        }
    }
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Ok((Vec::new(), None, None));
    };
    let (newest, oldest) = (first.position, last.position);
    let exists = |f: LogFilter| async move {
        event_log::search(&app.db, &f, 1)
            .await
            .map(|e| !e.is_empty())
    };
    let has_newer = if filter.after.is_some() {
        extra
    } else {
        exists(LogFilter {
            before: None,
            after: Some(newest),
            ..filter.clone()
        })
        .await?
    };
    let has_older = if filter.after.is_some() {
        exists(LogFilter {
            before: Some(oldest),
            after: None,
            ..filter.clone()
        })
        .await?
    } else {
        extra
    };
    let base = filter_query(typed);
    let newer = has_newer.then(|| base.with("despues", &newest.to_string()).href());
    let older = has_older.then(|| base.with("antes", &oldest.to_string()).href());
    Ok((rows(app, &events).await?, newer, older))
}

async fn rows(app: &App, events: &[StoredEvent]) -> Result<Vec<LogRow>, crate::store::StoreError> {
    let ids: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.aggregate_type.clone(), e.aggregate_id.clone()))
        .collect();
    let names = queries::auditoria::subjects(&app.db, &ids).await?;
    Ok(events
        .iter()
        .map(|e| {
            let key = (e.aggregate_type.clone(), e.aggregate_id.clone());
            row(e, names.get(&key).cloned())
        })
        .collect())
}

/// How the log shows `e`; `name` is its record's number or name when known.
pub(super) fn row(e: &StoredEvent, name: Option<String>) -> LogRow {
    let (record_kind, href) = match e.aggregate_type.as_str() {
        "contrato" => ("Contrato", Some(format!("/contratos/{}", e.aggregate_id))),
        "tercero" => ("Tercero", Some(format!("/terceros/{}", e.aggregate_id))),
        "local" => ("Local", Some(format!("/locales/{}", e.aggregate_id))),
        "indice" => ("Índice", Some("/indices".to_string())),
        "empresa" => ("Empresa", Some("/empresa".to_string())),
        "catalogos" => ("Catálogos", Some("/catalogos".to_string())),
        _ => ("Otro", None),
    };
    let subject = match e.aggregate_id.as_str() {
        "ipc" => "IPC".to_string(),
        "salario_minimo" => "Salario mínimo".to_string(),
        "catalogos" => "Tipos y cláusulas".to_string(),
        id => name.unwrap_or_else(|| id.to_string()),
    };
    LogRow {
        position: e.position,
        recorded_at: e
            .recorded_at
            .with_timezone(&chrono_tz::America::Bogota)
            .format("%d/%m/%Y %H:%M:%S")
            .to_string(),
        record_kind,
        subject,
        subject_href: href,
        event_type: e.event_type.clone(),
        sentence: arriendo_projections::history::describe(&e.aggregate_type, &e.payload)
            .unwrap_or_else(|| e.event_type.clone()),
        user: e.actor().to_string(),
    }
}

/// The reason an event states: `{"ContractTermsUpdated": {"reason": …}}` and the like.
fn stated_reason(payload: &serde_json::Value) -> Option<&str> {
    payload
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|inner| inner.get("reason"))
        .and_then(serde_json::Value::as_str)
        .filter(|r| !r.trim().is_empty())
}

/// `/auditoria/eventos/{position}`: one event opened, with the fields it changed.
async fn event(
    State(app): State<App>,
    ctx: Ctx,
    axum::extract::Path(position): axum::extract::Path<String>,
) -> PageResult {
    let Some(position) = position.trim().parse::<i64>().ok().filter(|p| *p > 0) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let detail = queries::auditoria::event_detail(&app.db, position)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    let e = &detail.event;
    let shown = row(e, detail.subject.clone());
    let raw = serde_json::to_string_pretty(&serde_json::json!({
        "payload": e.payload,
        "metadata": e.metadata,
    }))
    .unwrap_or_default();
    let changes: Vec<(String, Option<String>, Option<String>)> = detail
        .changes
        .iter()
        .map(|c| (c.path.clone(), c.before.clone(), c.after.clone()))
        .collect();
    let request_id = e
        .metadata
        .get("request_id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("—");
    Ok(views::event_page(
        &ctx.page,
        &views::EventPage {
            position: e.position,
            sequence: e.sequence,
            event_type: &e.event_type,
            event_version: &e.event_version,
            record_kind: shown.record_kind,
            subject: &shown.subject,
            subject_href: shown.subject_href.as_deref(),
            sentence: &shown.sentence,
            user: &shown.user,
            request_id,
            reason: stated_reason(&e.payload),
            recorded_at: &shown.recorded_at,
            changes: &changes,
            raw: &raw,
        },
    )
    .into_response())
}
