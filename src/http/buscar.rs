//! The global search: the header's box sends GET `/buscar?q=…`; the page shows what matches, grouped
//! by kind. Every signed-in user may read every list, so every one may find everything.

use arriendo_views::pages::buscar as views;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::page_error::{OrServerError, PageResult};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/buscar", Access::Authenticated, search)]
}

/// Longest search kept (the contract list keeps as many characters).
const MAX_CHARS: usize = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

async fn search(State(app): State<App>, ctx: Ctx, Query(query): Query<SearchQuery>) -> PageResult {
    let q: String = query.q.trim().chars().take(MAX_CHARS).collect();
    let groups = queries::buscar::everything(&app.db, &q)
        .await
        .or_500(&ctx.page)?;
    Ok(views::search_page(&ctx.page, &q, &groups).into_response())
}
