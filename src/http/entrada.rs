//! What a request may carry before a handler sees it: body sizes by route, text without NUL bytes and
//! in UTF-8 (paths, query strings and form fields alike), and the extractors' refusals as the Spanish
//! error page instead of axum's English plain text.
//!
//! PostgreSQL refuses a NUL byte in `text` (and SQLite stores it and breaks comparisons), so one
//! `?q=%00` or one NUL typed by a tool into any form field reached a query and answered 500. Checking
//! here covers every route, present and future, once: no handler has to remember it.

use arriendo_views::errors;
use arriendo_views::layout::PageContext;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;
use tower_sessions::Session;

use super::security::{AuthSession, CurrentUser, page_context};

/// `POST /login`: a username (≤ 128 characters), a password (≤ 256), the token and `next`; even
/// fully percent-encoded 4-byte characters fit in 8 KiB.
pub const LOGIN_BODY_LIMIT: usize = 8 * 1024;

/// Every other form. The largest is the contract form: four texts of up to 10.000 characters
/// (`MAX_TEXT_CHARS`: objeto, condición de gracia, cláusula penal, intereses de mora) and about forty
/// short fields. Form-encoded, an accented letter takes 6 bytes (`%C3%A1`), so four full texts of
/// accented Spanish take 240 KB; 256 KiB holds any form a person can fill within the domain's
/// bounds, and longer texts get their field error rather than this limit.
pub const FORM_BODY_LIMIT: usize = 256 * 1024;

/// Room for an upload's text fields, headers and boundaries beside its file.
const UPLOAD_OVERHEAD: usize = 64 * 1024;

/// An attachment: the file's limit plus the form around it.
pub const DOCUMENT_BODY_LIMIT: usize =
    arriendo_events::MAX_DOCUMENT_BYTES as usize + UPLOAD_OVERHEAD;

/// The company's logo.
pub const LOGO_BODY_LIMIT: usize = arriendo_events::MAX_LOGO_BYTES as usize + UPLOAD_OVERHEAD;

/// The most a POST to `path` may carry: uploads (`/contratos/{id}/documentos`, `/empresa/logo`)
/// their file's limit, every other form 256 KiB. Imports run from the command line.
pub fn body_limit(path: &str) -> usize {
    let is_document_upload = path
        .strip_prefix("/contratos/")
        .and_then(|rest| rest.strip_suffix("/documentos"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'));
    match path {
        "/login" => LOGIN_BODY_LIMIT,
        "/empresa/logo" => LOGO_BODY_LIMIT,
        _ if is_document_upload => DOCUMENT_BODY_LIMIT,
        _ => FORM_BODY_LIMIT,
    }
}

/// Whether the declared `Content-Length` already exceeds `limit` (refused before reading a byte).
pub fn declared_too_large(headers: &HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|len| len > limit as u64)
}

/// Why a piece of form-encoded text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadText {
    /// Not UTF-8 once percent-decoded.
    NotUtf8,
    /// The named field (or query parameter) holds a NUL byte.
    Nul(String),
}

/// Percent-decodes one component of `application/x-www-form-urlencoded` (`+` is a space).
fn decode(component: &str) -> Vec<u8> {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Checks every name and value of a form-encoded text (a query string or a form body).
pub fn check_encoded(text: &[u8]) -> Result<(), BadText> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Err(BadText::NotUtf8);
    };
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = String::from_utf8(decode(name)).map_err(|_| BadText::NotUtf8)?;
        let value = String::from_utf8(decode(value)).map_err(|_| BadText::NotUtf8)?;
        if name.contains('\0') || value.contains('\0') {
            let shown: String = name.chars().filter(|c| !c.is_control()).take(60).collect();
            return Err(BadText::Nul(shown));
        }
    }
    Ok(())
}

/// Whether a request path, percent-decoded, is UTF-8 without NUL. Path parameters are ids and names
/// that reach queries as they are: `/contratos/a%00b` answered 500 on PostgreSQL.
pub fn path_is_clean(path: &str) -> bool {
    String::from_utf8(decode(path)).is_ok_and(|p| !p.contains('\0'))
}

/// The Spanish page for refused text: 422 naming the field for a NUL, 400 for broken encoding.
pub fn bad_text_page(ctx: &PageContext, bad: &BadText) -> Response {
    match bad {
        BadText::Nul(field) => {
            let body = errors::error_page(
                ctx,
                422,
                "Datos no válidos",
                html! {
                    p { "El campo «" (field) "» contiene caracteres de control no permitidos: un carácter nulo, que Arriendo no admite en ningún texto." }
                    p { "Quítelo y envíe de nuevo. No se guardó nada." }
                },
            );
            (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
        }
        BadText::NotUtf8 => bad_request(ctx),
    }
}

fn bad_request(ctx: &PageContext) -> Response {
    let body = errors::error_page(
        ctx,
        400,
        "Solicitud no válida",
        html! {
            p { "La dirección o el formulario traen datos que Arriendo no puede leer: caracteres mal codificados, un campo repetido o un valor con un formato inesperado." }
            p { "Vuelva a la página anterior y use los enlaces y formularios de Arriendo." }
        },
    );
    (StatusCode::BAD_REQUEST, body).into_response()
}

/// The Spanish page for a body over the route's limit.
/// [`too_large_page`], or for an upload route the file's own limit.
pub fn too_large_for(ctx: &PageContext, limit: usize) -> Response {
    if limit <= FORM_BODY_LIMIT {
        return too_large_page(ctx);
    }
    let file_limit = arriendo_events::format_size(limit.saturating_sub(UPLOAD_OVERHEAD) as u64);
    let body = errors::error_page(
        ctx,
        413,
        "Archivo demasiado grande",
        html! {
            p { "El archivo supera el tamaño máximo de " (file_limit) ", así que no se guardó." }
            p { "Reduzca su tamaño (por ejemplo, escaneándolo a menor resolución) y adjúntelo de nuevo." }
        },
    );
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        body,
    )
        .into_response()
}

pub fn too_large_page(ctx: &PageContext) -> Response {
    let body = errors::error_page(
        ctx,
        413,
        "Solicitud demasiado grande",
        html! {
            p { "Lo que envió supera el tamaño que admite este formulario, así que no se procesó." }
            p { "Acorte los textos más largos y envíe de nuevo." }
        },
    );
    // The rest of the body stays unread: the connection cannot carry another request, and saying
    // so keeps the client from reusing it (it would see the next answer cut off).
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        body,
    )
        .into_response()
}

/// The page for an extractor's refusal of this status.
fn rejection_page(ctx: &PageContext, status: StatusCode) -> Response {
    let (title, text) = match status {
        StatusCode::BAD_REQUEST => return bad_request(ctx),
        StatusCode::PAYLOAD_TOO_LARGE => return too_large_page(ctx),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "Tipo de contenido no admitido",
            "Esta acción solo acepta los formularios de Arriendo. Envíela desde la página correspondiente.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Acción no disponible",
            "Esta dirección no admite esa acción. Use los enlaces y botones de Arriendo.",
        ),
        StatusCode::LENGTH_REQUIRED => (
            "Solicitud incompleta",
            "La solicitud no indicó su tamaño. Envíe el formulario de nuevo desde Arriendo.",
        ),
        StatusCode::URI_TOO_LONG => (
            "Dirección demasiado larga",
            "La dirección supera el largo que Arriendo admite. Use menos filtros o textos más cortos.",
        ),
        _ => (
            "Datos no válidos",
            "El formulario trae campos repetidos o valores con un formato inesperado. Vuelva a la página, revíselo y envíelo de nuevo.",
        ),
    };
    let body = errors::error_page(ctx, status.as_u16(), title, html! { p { (text) } });
    (status, body).into_response()
}

/// Statuses whose plain-text bodies come from axum's extractors and our own early refusals.
fn is_extractor_refusal(response: &Response) -> bool {
    let status = response.status();
    let plain = match response.headers().get(header::CONTENT_TYPE) {
        Some(value) => value.to_str().is_ok_and(|v| v.starts_with("text/plain")),
        None => true,
    };
    plain
        && matches!(
            status,
            StatusCode::BAD_REQUEST
                | StatusCode::METHOD_NOT_ALLOWED
                | StatusCode::LENGTH_REQUIRED
                | StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::URI_TOO_LONG
                | StatusCode::UNSUPPORTED_MEDIA_TYPE
                | StatusCode::UNPROCESSABLE_ENTITY
        )
}

/// Middleware (inside the session layers): refuses query strings with a NUL or broken UTF-8 before
/// routing, and turns axum's plain-text refusals into the Spanish error page, keeping their status.
pub async fn spanish_input(request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let user = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|user| CurrentUser::from_session_user(user, request.extensions()));
    let path = request.uri().path().to_string();
    let page = |session: Option<Session>, user: Option<CurrentUser>, path: String| async move {
        match session {
            Some(session) => page_context(&session, user.as_ref(), &path).await,
            None => PageContext::default(),
        }
    };
    if !path_is_clean(&path) {
        // No record has such a name: the page that is not there.
        tracing::info!(path = %path.escape_debug(), "path with a NUL or broken UTF-8 refused");
        let page = page(session, user, path).await;
        return (StatusCode::NOT_FOUND, errors::not_found(&page)).into_response();
    }
    if let Some(query) = request.uri().query()
        && let Err(bad) = check_encoded(query.as_bytes())
    {
        tracing::info!(%path, ?bad, "query string refused");
        return bad_text_page(&page(session, user, path).await, &bad);
    }
    let response = next.run(request).await;
    if !is_extractor_refusal(&response) {
        return response;
    }
    tracing::info!(%path, status = %response.status(), "request refused by an extractor");
    rejection_page(&page(session, user, path).await, response.status())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_and_broken_utf8_in_names_and_values() {
        assert_eq!(check_encoded(b"q=caf%C3%A9&pagina=2"), Ok(()));
        assert_eq!(check_encoded(b"q=a+b&x&&y="), Ok(()));
        assert_eq!(check_encoded(b"q=100%"), Ok(()));
        assert_eq!(check_encoded(b"q=a%00b"), Err(BadText::Nul("q".into())));
        assert_eq!(check_encoded(b"a%00=1"), Err(BadText::Nul("a".into())));
        assert_eq!(check_encoded(b"q=%FF"), Err(BadText::NotUtf8));
        assert_eq!(check_encoded(b"q=\xff"), Err(BadText::NotUtf8));
    }

    #[test]
    fn paths_with_nul_or_broken_utf8_are_not_clean() {
        assert!(path_is_clean("/contratos/0193-abc"));
        assert!(path_is_clean("/terceros/caf%C3%A9"));
        assert!(!path_is_clean("/contratos/a%00b"));
        assert!(!path_is_clean("/contratos/%FF"));
    }

    #[test]
    fn login_has_the_smallest_limit() {
        assert_eq!(body_limit("/login"), LOGIN_BODY_LIMIT);
        assert_eq!(body_limit("/contratos"), FORM_BODY_LIMIT);
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, 9000.into());
        assert!(declared_too_large(&headers, LOGIN_BODY_LIMIT));
        assert!(!declared_too_large(&headers, FORM_BODY_LIMIT));
    }
}
