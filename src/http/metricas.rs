//! `GET /metrics`: the Prometheus scrape, for administradores only (it names routes and shows how far
//! behind the projector and the backups are). A scraper logs in as an administrador account, or scrapes
//! through a proxy that does.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::{Access, RequireAdmin, Route};
use crate::app::App;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/metrics", Access::Admin, metrics)]
}

async fn metrics(State(app): State<App>, _admin: RequireAdmin) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(&app).await,
    )
}
