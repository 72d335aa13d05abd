//! Cross-site request forgery: every unsafe request must come from this application's own pages
//! (`Sec-Fetch-Site`, `Origin`) and carry the session's token, or for `POST /login` the login
//! cookie's token (see `http::ingreso`). The check also reads the body, so it is where the body's
//! size limit and the form's text checks (`http::entrada`) apply, before any handler.

use arriendo_views::errors;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;
use tower_sessions::Session;

use super::security::{CSRF_KEY, context_of};
use crate::app::App;

async fn csrf_refused(parts: &Parts) -> Response {
    let ctx = context_of(parts).await;
    let body = errors::error_page(
        &ctx,
        403,
        "Solicitud rechazada",
        html! {
            p { "No pudimos verificar que esta solicitud venga de un formulario de Arriendo, así que no se hizo ningún cambio." }
            p { "Vuelva atrás, recargue la página y envíela de nuevo." }
        },
    );
    (StatusCode::FORBIDDEN, body).into_response()
}

/// Refuses (403) unsafe requests that come from another site, or that lack the session's token in the
/// `csrf_token` field (form or multipart body) or the `X-CSRF-Token` header; `POST /login` may
/// instead carry the login cookie's token (anonymous visitors have no session). Bodies are read up to
/// the route's limit only (413 beyond it, see `entrada::body_limit`), and a form with a NUL byte or
/// broken UTF-8 in any field is refused (422 / 400). Nothing reaches the handler then.
pub(super) async fn csrf_check(State(app): State<App>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let session = request.extensions().get::<Session>().cloned();
    let path = request.uri().path().to_string();
    if !same_origin(request.headers(), &app) {
        tracing::warn!(%path, "cross-site request refused");
        let (parts, _) = request.into_parts();
        return csrf_refused(&parts).await;
    }
    let limit = super::entrada::body_limit(&path);
    if super::entrada::declared_too_large(request.headers(), limit) {
        tracing::info!(%path, "request body over the route's limit refused");
        let (parts, _) = request.into_parts();
        return super::entrada::too_large_for(&context_of(&parts).await, limit);
    }
    let expected = match &session {
        Some(session) => session.get::<String>(CSRF_KEY).await.ok().flatten(),
        None => None,
    };
    let login_token = if path == "/login" {
        super::ingreso::login_cookie(request.headers(), &app.auth)
    } else {
        None
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        tracing::info!(%path, "request body over the route's limit refused");
        return super::entrada::too_large_for(&context_of(&parts).await, limit);
    };
    let submitted = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| token_in_body(&parts.headers, &bytes));
    let valid = match submitted {
        Some(submitted) => [expected, login_token]
            .iter()
            .flatten()
            .any(|token| constant_time_eq(token.as_bytes(), submitted.as_bytes())),
        None => false,
    };
    if !valid {
        tracing::warn!(%path, "request without a valid CSRF token refused");
        return csrf_refused(&parts).await;
    }
    if is_form(&parts.headers)
        && let Err(bad) = super::entrada::check_encoded(&bytes)
    {
        tracing::info!(%path, ?bad, "form refused");
        return super::entrada::bad_text_page(&context_of(&parts).await, &bad);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn token_in_body(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return url::form_urlencoded::parse(body)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        // The token part is small text: find `name="csrf_token"`, skip its headers, read to CRLF.
        let text = String::from_utf8_lossy(body);
        let start = text.find("name=\"csrf_token\"")?;
        let rest = &text[start..];
        let value_start = rest.find("\r\n\r\n")? + 4;
        let value = &rest[value_start..];
        let end = value.find("\r\n")?;
        return Some(value[..end].to_string());
    }
    None
}

/// `Sec-Fetch-Site` must be same-origin (or none: typed by the user), and `Origin`, when sent, must be
/// this application's (the public URL's origin, or the `Host` the request came to).
fn same_origin(headers: &HeaderMap, app: &App) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(origin) = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()) else {
        return false;
    };
    if let Some(public) = &app.auth.public_url {
        return origin.origin() == public.origin();
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let authority = match (origin.host_str(), origin.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return false,
    };
    authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn multipart_token() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=X"),
        );
        let body = b"--X\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--X--\r\n";
        assert_eq!(token_in_body(&headers, body), Some("abc123".into()));
    }
}
