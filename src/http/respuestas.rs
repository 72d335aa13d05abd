//! Helpers shared by the page handlers of the catalogs, pólizas, informes, índices and respaldos:
//! error pages, POST-redirect-GET with a flash, command outcomes and form value parsing.

use arriendo_events::DomainError;
use arriendo_views::components::FormErrors;
use arriendo_views::layout::{Flash, PageContext};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use tower_sessions::Session;

use super::page_error::{OrNotFound, OrServerError, PageError};
use super::security::{Ctx, push_flash};
use crate::app::App;
use crate::store::{ClaimScope, CommandError};

/// What the user reads when someone else changed the contract meanwhile.
pub const CONFLICT: &str = "El contrato cambió mientras lo editaba. Revise el estado actual y vuelva a enviar: sus datos se conservaron.";

/// A server-side failure: logged in English with a reference, shown in Spanish.
pub fn server_error(ctx: &PageContext, err: impl std::fmt::Display) -> Response {
    let reference = uuid::Uuid::now_v7().to_string();
    tracing::error!(error = %err, %reference, "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        arriendo_views::errors::server_error(ctx, &reference),
    )
        .into_response()
}

pub fn not_found(ctx: &PageContext) -> Response {
    (
        StatusCode::NOT_FOUND,
        arriendo_views::errors::not_found(ctx),
    )
        .into_response()
}

/// Something Arriendo depends on (the document store) did not answer: 503 with what to do.
pub fn service_unavailable(ctx: &PageContext, message: &str) -> Response {
    let page = arriendo_views::errors::error_page(
        ctx,
        503,
        "Servicio no disponible",
        maud::html! { p { (message) } },
    );
    (StatusCode::SERVICE_UNAVAILABLE, page).into_response()
}

/// A form shown again with its errors (422, so tests and tools see it was refused).
pub fn invalid(markup: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
}

/// A form shown again because what it edits changed meanwhile (409): the user's input stays,
/// the current state is beside it.
pub fn conflict(mut response: Response) -> Response {
    // An error page (404, 500) keeps its own status.
    if response.status().is_success() || response.status() == StatusCode::UNPROCESSABLE_ENTITY {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    response
}

/// What the user reads when the number, NIT or name went to someone else first.
pub fn taken_message(scope: ClaimScope) -> &'static str {
    match scope {
        ClaimScope::ContratoNumero => "Ya existe un contrato con ese número.",
        ClaimScope::NitArrendatario => "Ya existe un arrendatario con ese NIT.",
        ClaimScope::NitProveedor => "Ya existe un proveedor con ese NIT.",
        ClaimScope::LocalNombre => "Ya existe un local con ese nombre.",
    }
}

/// POST-redirect-GET with a flash message for the next page.
pub async fn done(session: &Session, flash: Flash, to: &str) -> Response {
    push_flash(session, flash).await;
    Redirect::to(to).into_response()
}

/// Whether the user may change data (gestor or administrador).
pub fn can_write(ctx: &Ctx) -> bool {
    ctx.user.as_ref().is_some_and(|u| u.can_write())
}

/// A domain message as a sentence: capitalised, with a final period.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// How a command went, for a form handler.
pub enum Outcome {
    Done,
    /// Show the form again with this message.
    Refused(String),
    /// Show the form again with [`CONFLICT`] and the current state (409): another append won the
    /// race, or the edit was prepared from a version that changed since.
    Conflict,
    /// Store failure: the 500 page.
    Failed(Response),
}

/// Reads a command's result; on success brings the read models up to date (read-your-writes).
pub async fn outcome(
    app: &App,
    ctx: &PageContext,
    result: Result<(), CommandError<DomainError>>,
) -> Outcome {
    match result {
        Ok(()) => {
            if let Err(err) = app.projector.catch_up().await {
                // The events are stored; the background run will catch up.
                tracing::error!(error = %err, "catch-up after a command failed");
            }
            Outcome::Done
        }
        Err(CommandError::Refused(e)) if e.is_stale() => Outcome::Conflict,
        Err(CommandError::Refused(e)) => Outcome::Refused(sentence(&e.to_string())),
        Err(CommandError::Conflict) => Outcome::Conflict,
        Err(CommandError::Taken(scope)) => Outcome::Refused(taken_message(scope).to_string()),
        Err(err @ CommandError::Store(_)) => Outcome::Failed(server_error(ctx, err)),
    }
}

/// Parses a required value; on error adds the Spanish message beside `field`.
pub fn required<T>(
    errors: &mut FormErrors,
    field: &str,
    label: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Option<T> {
    if text.trim().is_empty() {
        errors.add(field, format!("Indique {label}."));
        return None;
    }
    match parse(text.trim()) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.add(field, sentence(&e.to_string()));
            None
        }
    }
}

/// Parses an optional value (empty is `None`); on error adds the message beside `field`.
pub fn optional<T>(
    errors: &mut FormErrors,
    field: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Option<T> {
    if text.trim().is_empty() {
        return None;
    }
    match parse(text.trim()) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.add(field, sentence(&e.to_string()));
            None
        }
    }
}

/// A date from `<input type="date">` (ISO) or typed as `31/12/2025`, within 1900..=2200.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, DomainError> {
    arriendo_events::parse_date(text)
}

/// The raw query string of the request, for links that keep the filters.
pub fn raw_query(uri: &axum::http::Uri) -> String {
    uri.query().unwrap_or("").to_string()
}

/// A page re-rendered with form errors answers 422 (an error page keeps its own status).
pub fn unprocessable(response: Response) -> Response {
    if response.status().is_success() {
        let (mut parts, body) = response.into_parts();
        parts.status = StatusCode::UNPROCESSABLE_ENTITY;
        Response::from_parts(parts, body)
    } else {
        response
    }
}

/// The `pagina` query parameter: 1 when absent or not a positive number, at most
/// [`MAX_PAGE`](arriendo_views::components::MAX_PAGE) (a larger one overflowed `OFFSET`).
pub fn page_number(pagina: Option<String>) -> u64 {
    pagina
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, arriendo_views::components::MAX_PAGE)
}

/// The contract a page is about, or the 404 / 500 page to answer with.
pub async fn existing_contract(
    app: &crate::app::App,
    ctx: &Ctx,
    id: &str,
) -> Result<arriendo_events::Contrato, PageError> {
    crate::queries::contract_state(&app.db, id)
        .await
        .or_500(&ctx.page)?
        .filter(|c| c.terms.is_some())
        .or_404(&ctx.page)
}
