//! No panic reaches a client as a dropped connection: the whole router runs under tower-http's
//! `CatchPanic`, which answers 500 with the Spanish error page and logs the panic with a reference.

use std::any::Any;

use arriendo_views::layout::PageContext;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::projector::quarantine::panic_message;

pub type PanicHandler = fn(Box<dyn Any + Send + 'static>) -> Response;

/// The layer; inside the security headers, so the error page carries them too.
pub fn layer() -> CatchPanicLayer<PanicHandler> {
    CatchPanicLayer::custom(panic_page as PanicHandler)
}

/// The 500 page for a panic. The session is out of reach here, so the page has no navigation.
pub fn panic_page(payload: Box<dyn Any + Send + 'static>) -> Response {
    let reference = uuid::Uuid::now_v7().to_string();
    tracing::error!(panic = %panic_message(payload.as_ref()), %reference, "request panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        arriendo_views::errors::server_error(&PageContext::default(), &reference),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_the_spanish_500_page() {
        let response = panic_page(Box::new("boom: NaiveDate - Days out of range"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Algo salió mal"));
        assert!(html.contains("lang=\"es-CO\""));
        assert!(
            !html.contains("boom"),
            "no technical detail reaches the user"
        );
    }
}
