//! HTTP routes.

use axum::Router;
use axum::extract::State;
use maud::{Markup, html};

use crate::app::App;

pub mod assets;
pub mod auth;
pub mod indices;
pub mod locales;
pub mod polizas;
pub mod respaldos;
pub mod respuestas;
pub mod security;
pub mod terceros;
pub mod ventas;

pub use security::{Access, Ctx, CurrentUser, RequireAdmin, RequireWrite, Route};

/// The route table: every route of the application with who may use it. Register new routes here
/// (or in a module's `routes()` extended here); `tests/auth_routes.rs` walks this table for every role.
pub fn routes() -> Vec<Route> {
    let mut routes = vec![Route::get("/", Access::Authenticated, home)];
    routes.extend(assets::routes());
    routes.extend(auth::routes());
    routes.extend(terceros::routes());
    routes.extend(locales::routes());
    routes.extend(polizas::routes());
    routes.extend(ventas::routes());
    routes.extend(indices::routes());
    routes.extend(respaldos::routes());
    routes
}

/// The application: the route table behind sessions, login, roles, CSRF and security headers.
pub fn router(app: App) -> Router {
    security::protect(routes(), &app)
}

async fn home(State(app): State<App>) -> Markup {
    let status = app.projector.status().await.ok();
    html! {
        (maud::DOCTYPE)
        html lang="es" {
            head { meta charset="utf-8"; title { "Arriendo" } }
            body {
                h1 { "Arriendo" }
                @if let Some(status) = status {
                    p { "Eventos registrados: " (status.events) }
                }
            }
        }
    }
}
