//! The one error type of page handlers. A handler returns [`PageResult`] and stops early with `?`:
//! a failed query becomes the Spanish 500 page (logged in English with a reference), a missing
//! record the 404 page, and a page the handler rendered itself (a form shown again with its
//! errors, a conflict) goes out as it is. The error pages need the signed-in user's context for
//! their navigation, so they are rendered where that context is at hand.

use std::fmt::Display;

use arriendo_views::layout::PageContext;
use axum::response::{IntoResponse, Response};

use super::respuestas::{not_found, server_error, service_unavailable};

/// Why a page handler stopped early, already rendered as the page the user reads (boxed: a
/// response is large, and the error travels through every `?`).
#[derive(Debug)]
pub struct PageError(Box<Response>);

/// What every page handler returns.
pub type PageResult = Result<Response, PageError>;

impl PageError {
    /// A failure on our side: logged, shown as the Spanish 500 page with its reference.
    pub fn server(ctx: &PageContext, err: impl Display) -> Self {
        PageError(Box::new(server_error(ctx, err)))
    }

    /// The record asked for does not exist (or is not this user's to see).
    pub fn not_found(ctx: &PageContext) -> Self {
        PageError(Box::new(not_found(ctx)))
    }

    /// Something Arriendo depends on did not answer: 503 with what to do.
    pub fn unavailable(ctx: &PageContext, message: &str) -> Self {
        PageError(Box::new(service_unavailable(ctx, message)))
    }
}

/// A page the handler rendered itself (a form with its errors, a conflict, a refusal).
impl From<Response> for PageError {
    fn from(page: Response) -> Self {
        PageError(Box::new(page))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// `query.await.or_500(&ctx)?`: a failed query or command ends the request with the 500 page.
pub trait OrServerError<T> {
    fn or_500(self, ctx: &PageContext) -> Result<T, PageError>;
}

impl<T, E: Display> OrServerError<T> for Result<T, E> {
    fn or_500(self, ctx: &PageContext) -> Result<T, PageError> {
        self.map_err(|e| PageError::server(ctx, e))
    }
}

/// `found.or_404(&ctx)?`: a record that is not there ends the request with the 404 page.
pub trait OrNotFound<T> {
    fn or_404(self, ctx: &PageContext) -> Result<T, PageError>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_404(self, ctx: &PageContext) -> Result<T, PageError> {
        self.ok_or_else(|| PageError::not_found(ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn ctx() -> PageContext {
        PageContext::default()
    }

    #[test]
    fn each_error_keeps_its_status() {
        let failed: Result<(), &str> = Err("disk on fire");
        let err = failed.or_500(&ctx()).unwrap_err().into_response();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let missing: Option<u8> = None;
        let err = missing.or_404(&ctx()).unwrap_err().into_response();
        assert_eq!(err.status(), StatusCode::NOT_FOUND);
        let err = PageError::unavailable(&ctx(), "no responde").into_response();
        assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
        let own = (StatusCode::CONFLICT, "cambió").into_response();
        assert_eq!(
            PageError::from(own).into_response().status(),
            StatusCode::CONFLICT
        );
        assert_eq!(Some(3).or_404(&ctx()).unwrap(), 3);
    }
}
