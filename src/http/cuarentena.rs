//! Eventos en cuarentena (administradores): the events the projector set aside, and a button to
//! apply them again after a fix. Also the middleware that tells every page how many there are, for
//! the administrador's banner.

use arriendo_views::format::count_noun;
use arriendo_views::layout::Flash;
use arriendo_views::pages::cuarentena::{self as views, CuarentenaPage, QuarantineRow};
use axum::extract::{Request, State};
use axum::http::Extensions;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::auth::local_time;
use super::page_error::{OrServerError, PageResult};
use super::respuestas::done;
use super::security::{Access, Ctx, RequireAdmin, Route};
use crate::app::App;
use crate::projector::quarantine::{self, QuarantinedEvent};

/// The page lists at most this many; the count above it says how many there are in all.
const LIMIT: i64 = 1_000;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/cuarentena", Access::Admin, page),
        Route::post("/cuarentena/reintentar", Access::Admin, retry),
    ]
}

/// How many events are in quarantine, as the request saw it (set by [`notice`]).
#[derive(Clone, Copy, Debug)]
pub struct QuarantineNotice(pub i64);

/// Puts the projector's quarantine count on the request, without a query: the projector keeps it
/// current on every catch-up.
pub async fn notice(State(app): State<App>, mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(QuarantineNotice(app.projector.quarantined()));
    next.run(request).await
}

/// The count [`notice`] left on a request (0 when it did not run).
pub fn quarantined(extensions: &Extensions) -> i64 {
    extensions.get::<QuarantineNotice>().map_or(0, |n| n.0)
}

fn subject(event: &QuarantinedEvent) -> (String, Option<String>) {
    let kind = match event.aggregate_type.as_str() {
        "contrato" => "Contrato",
        "tercero" => "Tercero",
        "local" => "Local",
        "indice" => "Índice",
        "empresa" => "Empresa",
        "catalogos" => "Catálogos",
        "usuario" => "Usuario",
        other => other,
    };
    match &event.contract_number {
        Some(number) => (
            format!("{kind} {number}"),
            Some(format!("/contratos/{}", event.aggregate_id)),
        ),
        None => (format!("{kind} {}", event.aggregate_id), None),
    }
}

fn row(event: &QuarantinedEvent) -> QuarantineRow {
    let (subject, href) = subject(event);
    QuarantineRow {
        position: event.position,
        subject,
        href,
        event_type: event.event_type.clone(),
        error: event.error.clone(),
        when: local_time(&event.quarantined_at.to_rfc3339()),
    }
}

async fn page(State(app): State<App>, RequireAdmin(_): RequireAdmin, ctx: Ctx) -> PageResult {
    let listed = quarantine::list(&app.db, LIMIT).await.or_500(&ctx.page)?;
    let total = quarantine::count(&app.db).await.or_500(&ctx.page)?;
    let rows: Vec<QuarantineRow> = listed.iter().map(row).collect();
    Ok(views::cuarentena_page(&ctx.page, &CuarentenaPage { rows: &rows, total }).into_response())
}

async fn retry(State(app): State<App>, RequireAdmin(user): RequireAdmin, ctx: Ctx) -> PageResult {
    let outcome = app.projector.retry().await.or_500(&ctx.page)?;
    tracing::info!(
        user = %user.username,
        applied = outcome.applied,
        remaining = outcome.remaining,
        "quarantined events retried from the web"
    );
    let applied = count_noun(
        outcome.applied as u64,
        "evento aplicado",
        "eventos aplicados",
    );
    let flash = if outcome.remaining == 0 {
        Flash::exito(format!("{applied}; ya no hay eventos en cuarentena."))
    } else {
        let still = if outcome.remaining == 1 {
            "queda"
        } else {
            "quedan"
        };
        Flash::error(format!(
            "{applied}; {still} {} en cuarentena.",
            count_noun(outcome.remaining as u64, "evento", "eventos")
        ))
    };
    Ok(done(&ctx.session, flash, "/cuarentena").await)
}
