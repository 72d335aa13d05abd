//! `/renovaciones`: every automatic renewal, filtered by state. Proposing, approving and annulling
//! happen on the contract's page (`contratos::renovaciones`).

use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::renovaciones::{self as views, RenewalList};
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::page_error::{OrServerError, PageResult};
use super::respuestas::{page_number, raw_query};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::queries::filters::PER_PAGE;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/renovaciones", Access::Authenticated, list)]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    estado: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let page = page_number(query.pagina);
    let (rows, total) = crate::queries::renovaciones::list(&app.db, &query.estado, page)
        .await
        .or_500(&ctx.page)?;
    let list = RenewalList {
        rows,
        estado: query.estado,
        paging: Paging {
            page,
            per_page: PER_PAGE,
            total,
            query: raw_query(&uri),
        },
    };
    Ok(views::list_page(&ctx.page, &list).into_response())
}
