//! Every request gets an id: made here (a UUIDv7, sortable like our other ids), returned in the
//! `x-request-id` response header, recorded in the request's log span, and stored as the `request_id`
//! of every event the request appends (see [`super::CurrentUser::metadata`]). One id ties a user's
//! complaint, the log lines and the audit trail together.

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{Extensions, HeaderName, HeaderValue};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Makes the ids: a fresh UUIDv7 per request.
#[derive(Clone, Copy, Debug, Default)]
pub struct MakeRequestUuidV7;

impl MakeRequestId for MakeRequestUuidV7 {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// The request's id, once [`layers`] has run (`None` outside a request, e.g. in unit tests).
pub fn of(extensions: &Extensions) -> Option<String> {
    extensions
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .map(str::to_string)
}

/// Wraps the whole router (outermost first): drop any id the client sent, set ours, copy it to the
/// response, and open the log span that carries it.
///
/// A client-sent `x-request-id` is dropped rather than kept: the id lands in the event log's metadata,
/// which is evidence, so an outsider must not be able to choose it (or make two requests share one).
pub fn layers(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            // The matched route, not the raw URI: ids and query strings stay out of the span name.
            let route = request
                .extensions()
                .get::<MatchedPath>()
                .map(|path| path.as_str().to_string())
                .unwrap_or_else(|| "(sin ruta)".to_string());
            let id = of(request.extensions()).unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), route = %route, request_id = %id)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    router
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(HEADER))
        .layer(SetRequestIdLayer::new(HEADER, MakeRequestUuidV7))
        .layer(axum::middleware::map_request(drop_client_id))
}

async fn drop_client_id(mut request: Request) -> Request {
    request.headers_mut().remove(HEADER);
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fresh_uuids() {
        let request = axum::http::Request::new(());
        let mut make = MakeRequestUuidV7;
        let a = make.make_request_id(&request).expect("an id");
        let b = make.make_request_id(&request).expect("an id");
        assert_ne!(a.header_value(), b.header_value());
        let text = a.header_value().to_str().expect("ascii");
        assert!(uuid::Uuid::parse_str(text).is_ok(), "{text}");
    }
}
