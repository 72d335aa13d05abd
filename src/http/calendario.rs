//! `/calendario`: the critical-dates month page, the rotation of the user's iCal feed URL, and the
//! feed itself (`/calendario/ical/{token}.ics`), public because calendar apps cannot log in: the
//! token in the path is the secret.

use arriendo_events::YearMonth;
use arriendo_projections::calendar::CalendarKind;
use arriendo_views::pages::calendario::{CalendarPage, FeedView, calendar_page};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::page_error::{OrServerError, PageResult};
use super::respuestas::{not_found, raw_query};
use super::security::{Access, Ctx, CurrentUser, Route};
use crate::app::{App, today};
use crate::calendario::{self, feeds, ical};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/calendario", Access::Authenticated, month),
        // Self-service: it only replaces the user's own feed secret.
        Route::post("/calendario/enlace", Access::Authenticated, rotate),
        Route::get("/calendario/ical/{archivo}", Access::Public, feed),
    ]
}

/// The kinds asked for with `tipo=` (repeatable); unknown values are ignored.
fn kinds_of(query: &str) -> Vec<CalendarKind> {
    let q = arriendo_views::query::QueryString::parse(query);
    let mut kinds: Vec<CalendarKind> = q
        .pairs()
        .iter()
        .filter(|(k, _)| k == "tipo")
        .filter_map(|(_, v)| CalendarKind::from_slug(v))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The application's address for links in the feed: `ARRIENDO_PUBLIC_URL` when set, else the
/// request's Host (plain http: behind a TLS proxy, set `ARRIENDO_PUBLIC_URL`).
fn base_url(app: &App, headers: &HeaderMap) -> String {
    if let Some(url) = &app.auth.public_url {
        return url.as_str().trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn render(
    app: &App,
    ctx: &Ctx,
    user: &CurrentUser,
    month: YearMonth,
    kinds: &[CalendarKind],
    new_url: Option<String>,
) -> PageResult {
    let day = today();
    let loaded = async {
        let entries =
            calendario::entries(&app.db, day, month.first_day(), month.last_day(), kinds).await?;
        let created = feeds::created_at(&app.db, &user.username).await?;
        Ok::<_, calendario::CalendarError>((entries, created))
    }
    .await;
    let (mut entries, created) = loaded.or_500(&ctx.page)?;
    // A month of a very large portfolio: the page stays a page; the filters reach the rest.
    let total = (entries.len() > calendario::PAGE_MAX_ENTRIES).then_some(entries.len());
    entries.truncate(calendario::PAGE_MAX_ENTRIES);
    let page = CalendarPage {
        month,
        today: day,
        entries: &entries,
        kinds,
        feed: FeedView {
            created_at: created.map(|at| super::auth::local_time(&at)),
            new_url,
        },
        total,
    };
    let mut response = calendar_page(&ctx.page, &page).into_response();
    // The page may show the feed's secret URL.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn month(State(app): State<App>, ctx: Ctx, user: CurrentUser, uri: Uri) -> PageResult {
    let query = raw_query(&uri);
    let q = arriendo_views::query::QueryString::parse(&query);
    let month = match q.get("mes").filter(|m| !m.trim().is_empty()) {
        None => YearMonth::of(today()),
        Some(text) => match calendario::parse_month(text) {
            Ok(m) => m,
            Err(e) => {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    arriendo_views::errors::error_page(
                        &ctx.page,
                        422,
                        "Mes no válido",
                        html! { p { (e.to_string()) } p { a href="/calendario" { "Ver el mes actual" } } },
                    ),
                )
                    .into_response());
            }
        },
    };
    render(&app, &ctx, &user, month, &kinds_of(&query), None).await
}

/// Replaces the user's feed secret and shows the new URL once (no redirect: the URL is not kept
/// anywhere to show it again).
async fn rotate(
    State(app): State<App>,
    ctx: Ctx,
    user: CurrentUser,
    headers: HeaderMap,
) -> PageResult {
    let token = feeds::rotate(&app.db, &user.username)
        .await
        .or_500(&ctx.page)?;
    tracing::info!(username = %user.username, "calendar feed URL rotated");
    let url = format!("{}/calendario/ical/{token}.ics", base_url(&app, &headers));
    render(&app, &ctx, &user, YearMonth::of(today()), &[], Some(url)).await
}

/// An unknown, malformed or revoked feed: the Spanish 404 page, like every other refusal.
fn feed_not_found(ctx: &Ctx) -> Response {
    not_found(&ctx.page)
}

async fn feed(
    State(app): State<App>,
    ctx: Ctx,
    Path(archivo): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = archivo.strip_suffix(".ics") else {
        return feed_not_found(&ctx);
    };
    let owner = match feeds::owner(&app.db, token).await {
        Ok(Some(owner)) => owner,
        Ok(None) => return feed_not_found(&ctx),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed: lookup failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Error interno").into_response();
        }
    };
    let day = today();
    let (from, to) = calendario::feed_range(day);
    let mut entries = match calendario::entries(&app.db, day, from, to, &[]).await {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "calendar feed: reading the contracts failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Error interno").into_response();
        }
    };
    if entries.len() > calendario::FEED_MAX_EVENTS {
        tracing::warn!(
            events = entries.len(),
            kept = calendario::FEED_MAX_EVENTS,
            "calendar feed truncated"
        );
        entries.truncate(calendario::FEED_MAX_EVENTS);
    }
    tracing::debug!(username = %owner, events = entries.len(), "calendar feed served");
    let body = ical::feed(&entries, &base_url(&app, &headers), chrono::Utc::now());
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response()
}
