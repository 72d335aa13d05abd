//! Everything that stands between a request and a handler: the route table with each route's access
//! rule, sessions and login (axum-login + tower-sessions), session timeouts, CSRF (the check itself is
//! in `http::csrf`), security headers, and the extractors handlers use ([`CurrentUser`],
//! [`RequireWrite`], [`RequireAdmin`], [`Ctx`]).
//!
//! Every route is registered through [`Route`] with an [`Access`]; [`protect`] builds the router from
//! that table, so the table is the router, and `tests/auth_routes.rs` walks it for every role.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use arriendo_events::actor::Role;
use arriendo_views::errors;
use arriendo_views::layout::PageContext;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum_login::AuthManagerLayerBuilder;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use crate::app::App;
use crate::auth::{Backend, DbSessionStore};

use super::extractors::session_user;
pub use super::extractors::{
    Ctx, CurrentUser, RequireAdmin, RequireAudit, RequireWrite, page_context, role_label,
};
pub(super) use super::session_data::{CSRF_KEY, take_flashes};
use super::session_data::{LOGIN_AT_KEY, SEEN_AT_KEY};
pub use super::session_data::{SessionExpired, csrf_token, push_flash, start_session};

/// The session as axum-login sees it (user, backend, session).
pub type AuthSession = axum_login::AuthSession<Backend>;

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Anyone, logged in or not (the login page, static assets).
    Public,
    /// Any logged-in user, auditors included. For GET pages, and for the few POSTs that only touch the
    /// user's own session or account (logout, change password).
    Authenticated,
    /// Gestores and administradores: every POST that changes shared data.
    Write,
    /// Administradores only: approvals, users, backups.
    Admin,
    /// Administradores and auditores: the audit pages (the integrity of the log). Read-only pages.
    Audit,
}

/// Why a request was not let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    /// Anonymous: redirect to the login page.
    Login,
    /// Logged in but the role does not allow it: 403.
    Forbidden,
}

impl Access {
    /// Whether a user with `role` (`None` = anonymous) may use a route with this rule.
    pub fn check(self, role: Option<Role>) -> Result<(), Denial> {
        match (self, role) {
            (Access::Public, _) => Ok(()),
            (_, None) => Err(Denial::Login),
            (Access::Authenticated, Some(_)) => Ok(()),
            (Access::Write, Some(Role::Administrador | Role::Gestor)) => Ok(()),
            (Access::Admin, Some(Role::Administrador)) => Ok(()),
            (Access::Audit, Some(Role::Administrador | Role::Auditor)) => Ok(()),
            (Access::Write | Access::Admin | Access::Audit, Some(_)) => Err(Denial::Forbidden),
        }
    }

    /// The rule for a route missing from the table (never expected; the route test fails then):
    /// reads need a login, anything else needs an administrador.
    fn default_for(method: &Method) -> Access {
        if method == Method::GET || method == Method::HEAD {
            Access::Authenticated
        } else {
            Access::Admin
        }
    }
}

/// One entry of the route table: method, path (axum syntax, `{param}`), access rule and handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    endpoint: MethodRouter<App>,
}

impl Route {
    pub fn get<H, T>(path: &'static str, access: Access, handler: H) -> Route
    where
        H: Handler<T, App>,
        T: 'static,
    {
        Route {
            method: Method::GET,
            path,
            access,
            endpoint: axum::routing::get(handler),
        }
    }

    pub fn post<H, T>(path: &'static str, access: Access, handler: H) -> Route
    where
        H: Handler<T, App>,
        T: 'static,
    {
        Route {
            method: Method::POST,
            path,
            access,
            endpoint: axum::routing::post(handler),
        }
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.access)
    }
}

type Policies = HashMap<(Method, &'static str), Access>;

/// Builds the whole application from the route table: every route behind the access guard and CSRF
/// check, every response through the session, timeout and security-header layers. Paths outside the
/// table answer 404 to users and redirect anonymous visitors to the login page.
pub fn protect(routes: Vec<Route>, app: &App) -> Router {
    let mut policies: Policies = HashMap::new();
    let mut router: Router<App> = Router::new();
    for route in routes {
        policies.insert((route.method.clone(), route.path), route.access);
        router = router.route(route.path, route.endpoint);
    }
    let settings = &app.auth;
    let idle_seconds = settings.idle_timeout.num_seconds().max(60);
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(&app.db))
        .with_name(settings.session_cookie_name())
        .with_secure(settings.https())
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        // The store forgets sessions unused a minute longer than the idle timeout that
        // `session_timeouts` enforces with the app's clock.
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            idle_seconds + 60,
        )));
    let auth_layer =
        AuthManagerLayerBuilder::new(Backend::new(app.db.clone()), session_layer).build();
    router
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            super::bandeja::count,
        ))
        .route_layer(middleware::from_fn_with_state(
            app.clone(),
            super::csrf::csrf_check,
        ))
        .route_layer(middleware::from_fn_with_state(Arc::new(policies), guard))
        .fallback(not_found)
        .layer(middleware::from_fn(super::entrada::spanish_input))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            session_timeouts,
        ))
        .layer(auth_layer)
        .layer(super::panics::layer())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security_headers,
        ))
        .with_state(app.clone())
}

// ---------------------------------------------------------------------------------------------------
// Refusals

/// Only local paths are followed after login (no `//host` or `/\host` tricks).
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

pub(super) fn login_redirect(method: &Method, uri: &Uri, expired: bool) -> Response {
    let mut target = url::form_urlencoded::Serializer::new(String::new());
    if method == Method::GET || method == Method::HEAD {
        let next = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
        if next != "/" {
            target.append_pair("next", next);
        }
    }
    if expired {
        target.append_pair("motivo", "expirada");
    }
    let query = target.finish();
    let location = if query.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?{query}")
    };
    Redirect::to(&location).into_response()
}

pub(super) async fn context_of(parts: &Parts) -> PageContext {
    let user = session_user(parts).map(|u| CurrentUser::from_session_user(&u, &parts.extensions));
    let mut page = match parts.extensions.get::<Session>() {
        Some(session) => page_context(session, user.as_ref(), parts.uri.path()).await,
        None => PageContext::default(),
    };
    page.quarantined = super::cuarentena::quarantined(&parts.extensions);
    page.inbox = super::bandeja::pending_on(&parts.extensions);
    page
}

pub(super) async fn forbidden(parts: &Parts) -> Response {
    let ctx = context_of(parts).await;
    (StatusCode::FORBIDDEN, errors::forbidden(&ctx)).into_response()
}

/// The fallback: anonymous visitors go to the login page (unknown paths reveal nothing, and no session
/// is created for them), users get 404.
async fn not_found(request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if session_user(&parts).is_none() {
        return login_redirect(&parts.method, &parts.uri, false);
    }
    let ctx = context_of(&parts).await;
    (StatusCode::NOT_FOUND, errors::not_found(&ctx)).into_response()
}

// ---------------------------------------------------------------------------------------------------
// Middleware

/// Where a user whose password was set by someone else is sent until they choose their own.
pub const CHANGE_PASSWORD: &str = "/cuenta/contrasena";
/// What such a user may still reach: the change itself and logging out.
const PASSWORD_EXEMPT: &[&str] = &[CHANGE_PASSWORD, "/logout"];

/// Applies the route's [`Access`] rule (route layer: runs once the route is matched).
async fn guard(State(policies): State<Arc<Policies>>, request: Request, next: Next) -> Response {
    let method = if request.method() == Method::HEAD {
        Method::GET
    } else {
        request.method().clone()
    };
    let access = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| policies.get(&(method.clone(), path.as_str())).copied())
        .unwrap_or_else(|| Access::default_for(&method));
    let user = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref());
    let role = user.map(|u| u.role);
    let must_change = user.is_some_and(|u| u.must_change_password);
    match access.check(role) {
        Ok(())
            if must_change
                && access != Access::Public
                && !PASSWORD_EXEMPT.contains(&request.uri().path()) =>
        {
            Redirect::to(CHANGE_PASSWORD).into_response()
        }
        Ok(()) => next.run(request).await,
        Err(Denial::Login) => {
            let expired = request.extensions().get::<SessionExpired>().is_some();
            login_redirect(request.method(), request.uri(), expired)
        }
        Err(Denial::Forbidden) => {
            let (parts, _) = request.into_parts();
            forbidden(&parts).await
        }
    }
}

/// Ends sessions idle longer than the idle timeout or older than the absolute timeout, by the app's
/// clock; otherwise notes the activity (at most once a minute, to spare writes).
async fn session_timeouts(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let mut expired = false;
    if let Some(auth) = request.extensions_mut().get_mut::<AuthSession>()
        && auth.user.is_some()
    {
        let now = app.auth.now().timestamp();
        let login_at: Option<i64> = auth.session.get(LOGIN_AT_KEY).await.ok().flatten();
        let seen_at: Option<i64> = auth.session.get(SEEN_AT_KEY).await.ok().flatten();
        expired = match (login_at, seen_at) {
            (Some(login_at), Some(seen_at)) => {
                now - login_at > app.auth.absolute_timeout.num_seconds()
                    || now - seen_at > app.auth.idle_timeout.num_seconds()
            }
            _ => true,
        };
        if expired {
            if let Err(err) = auth.logout().await {
                tracing::error!(error = %err, "cannot end an expired session");
            }
        } else if seen_at.is_some_and(|seen| now - seen >= 60)
            && let Err(err) = auth.session.insert(SEEN_AT_KEY, now).await
        {
            tracing::error!(error = %err, "cannot record session activity");
        }
    }
    if expired {
        request.extensions_mut().insert(SessionExpired);
    }
    next.run(request).await
}

/// CSP without inline script, no framing, no sniffing, same-origin referrers, HSTS over HTTPS, and
/// `no-store` on every response that did not choose its own caching.
async fn security_headers(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    // A download that set its own, stricter policy (uploaded documents: `sandbox`) keeps it.
    if !headers.contains_key("content-security-policy") {
        set(
            headers,
            "content-security-policy",
            "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
        );
    }
    set(headers, "x-frame-options", "DENY");
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cross-origin-opener-policy", "same-origin");
    if app.auth.https() {
        set(
            headers,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
    response
}

/// The client's IP: the peer address, or with `trusted_proxies` = N > 0 the N-th address from the
/// right of `X-Forwarded-For` (the one the outermost trusted proxy saw).
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted_proxies: usize) -> String {
    if trusted_proxies > 0 {
        let forwarded: Vec<String> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if !forwarded.is_empty() {
            let index = forwarded.len().saturating_sub(trusted_proxies);
            let chosen = &forwarded[index];
            return match chosen.parse::<std::net::IpAddr>() {
                Ok(ip) => ip.to_string(),
                Err(_) => chosen.chars().take(64).collect(),
            };
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "desconocida".to_string())
}

/// The peer address of a request, when the server recorded it.
pub fn peer_address(parts_extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rules() {
        use Role::*;
        assert_eq!(Access::Public.check(None), Ok(()));
        assert_eq!(Access::Authenticated.check(None), Err(Denial::Login));
        assert_eq!(Access::Authenticated.check(Some(Auditor)), Ok(()));
        assert_eq!(Access::Write.check(Some(Auditor)), Err(Denial::Forbidden));
        assert_eq!(Access::Write.check(Some(Gestor)), Ok(()));
        assert_eq!(Access::Admin.check(Some(Gestor)), Err(Denial::Forbidden));
        assert_eq!(Access::Admin.check(Some(Administrador)), Ok(()));
        assert_eq!(Access::Audit.check(Some(Auditor)), Ok(()));
        assert_eq!(Access::Audit.check(Some(Administrador)), Ok(()));
        assert_eq!(Access::Audit.check(Some(Gestor)), Err(Denial::Forbidden));
        assert_eq!(Access::Audit.check(None), Err(Denial::Login));
        assert_eq!(Access::default_for(&Method::POST), Access::Admin);
    }

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next("/contratos?x=1"), Some("/contratos?x=1"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
    }

    #[test]
    fn forwarded_for_only_with_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.1.1.1, 2.2.2.2"),
        );
        let peer = Some(SocketAddr::from(([10, 0, 0, 1], 4000)));
        assert_eq!(client_ip(&headers, peer, 0), "10.0.0.1");
        assert_eq!(client_ip(&headers, peer, 1), "2.2.2.2");
        assert_eq!(client_ip(&headers, peer, 2), "1.1.1.1");
        assert_eq!(client_ip(&headers, peer, 5), "1.1.1.1");
    }
}
