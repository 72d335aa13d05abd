//! The stylesheet, script and icon embedded in the views crate, public (the login page needs them)
//! and cached for a year: their URLs carry a version that changes with their content.

use arriendo_views::assets::{APP_CSS, APP_JS, CSS_PATH, FAVICON_PATH, FAVICON_SVG, JS_PATH};
use axum::http::header;
use axum::response::IntoResponse;

use super::security::{Access, Route};

const CACHE: &str = "public, max-age=31536000, immutable";

pub fn routes() -> Vec<Route> {
    vec![
        Route::get(CSS_PATH, Access::Public, css),
        Route::get(JS_PATH, Access::Public, js),
        Route::get(FAVICON_PATH, Access::Public, favicon),
    ]
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        APP_CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        APP_JS,
    )
}

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, CACHE),
        ],
        FAVICON_SVG,
    )
}
