//! HTTP routes.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};

use crate::app::App;

pub fn router(app: App) -> Router {
    Router::new().route("/", get(home)).with_state(app)
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
