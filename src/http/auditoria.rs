//! `/auditoria`: the whole event log for auditors and everyone who reads, newest first, filtered
//! and paged by position. Users' own events (passwords, roles) stay on the Usuarios pages.

use arriendo_views::pages::auditoria::{self as views, LogFilters, LogPage, LogRow, RECORD_KINDS};
use arriendo_views::query::QueryString;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::respuestas::{parse_date, server_error, unprocessable};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::queries;
use crate::store::event_log::{self, LogFilter, StoredEvent};

/// Events per page.
const PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/auditoria", Access::Authenticated, log)]
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

async fn log(State(app): State<App>, ctx: Ctx, Query(q): Query<LogQuery>) -> Response {
    let mut typed = LogFilters {
        contrato: q.contrato.trim().to_string(),
        tipo: q.tipo.trim().to_string(),
        evento: q.evento.trim().to_string(),
        usuario: q.usuario.trim().to_string(),
        desde: q.desde.trim().to_string(),
        hasta: q.hasta.trim().to_string(),
        ..LogFilters::default()
    };
    let filter = match filter_from(&app, &mut typed, &q).await {
        Ok(filter) => filter,
        Err(e) => return server_error(&ctx.page, e),
    };
    let Some(filter) = filter else {
        let page = views::log_page(
            &ctx.page,
            &LogPage {
                rows: &[],
                filters: &typed,
                newer: None,
                older: None,
            },
        );
        return unprocessable(page.into_response());
    };
    match page_of(&app, &filter, &typed).await {
        Ok((rows, newer, older)) => views::log_page(
            &ctx.page,
            &LogPage {
                rows: &rows,
                filters: &typed,
                newer,
                older,
            },
        )
        .into_response(),
        Err(e) => server_error(&ctx.page, e),
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
    let base = QueryString::from_pairs(
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
    );
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
            let (record_kind, href) = match e.aggregate_type.as_str() {
                "contrato" => ("Contrato", Some(format!("/contratos/{}", e.aggregate_id))),
                "tercero" => ("Tercero", Some(format!("/terceros/{}", e.aggregate_id))),
                "local" => ("Local", Some(format!("/locales/{}", e.aggregate_id))),
                "indice" => ("Índice", Some("/indices".to_string())),
                _ => ("Otro", None),
            };
            let subject = match e.aggregate_id.as_str() {
                "ipc" => "IPC".to_string(),
                "salario_minimo" => "Salario mínimo".to_string(),
                id => names.get(&key).cloned().unwrap_or_else(|| id.to_string()),
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
        })
        .collect())
}
