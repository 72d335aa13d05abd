//! Login and logout.
//!
//! An anonymous visitor costs no session row: the login page's CSRF token travels in a cookie of its
//! own (`arriendo_ingreso`, double-submit: the form field must equal the cookie), not in a session.
//! A session is created only by a successful login. Another site can neither read nor set that
//! cookie (`SameSite=Strict`, `HttpOnly`, and under HTTPS the `__Host-` prefix), and `Origin` /
//! `Sec-Fetch-Site` are checked as on every POST.
//!
//! Password checks are rationed before any hashing: the client IP's budget across usernames
//! (`auth::throttle`, in memory), then the (username, IP) pair's numbered attempts
//! (`lockout::reserve`, one atomic statement), then one of the hash permits (`auth::password`).

use arriendo_views::auth::{self as views, LoginForm};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::auth::{bogota, internal};
use super::security::{
    Access, AuthSession, Ctx, Route, client_ip, peer_address, safe_next, start_session,
};
use crate::app::App;
use crate::auth::lockout::{self, Outcome, Reservation};
use crate::auth::throttle::IpReservation;
use crate::auth::{AuthSettings, Credentials, password};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/login", Access::Public, login_form),
        Route::post("/login", Access::Public, login),
        Route::post("/logout", Access::Authenticated, logout),
    ]
}

/// The login form's CSRF cookie.
pub fn login_cookie_name(settings: &AuthSettings) -> &'static str {
    if settings.https() {
        "__Host-arriendo_ingreso"
    } else {
        "arriendo_ingreso"
    }
}

/// The login token the browser holds, when it looks like one we issued (64 hex digits).
pub fn login_cookie(headers: &HeaderMap, settings: &AuthSettings) -> Option<String> {
    let name = login_cookie_name(settings);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn set_login_cookie(response: &mut Response, settings: &AuthSettings, token: &str) {
    let secure = if settings.https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/{secure}",
        login_cookie_name(settings)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The page context of a login page: the session's token when there is one (a logged-in user
/// posting again), else the login cookie's, else a new one (then set as the cookie).
fn login_token(ctx: &Ctx, headers: &HeaderMap, settings: &AuthSettings) -> (String, bool) {
    if !ctx.page.csrf_token.is_empty() {
        return (ctx.page.csrf_token.clone(), false);
    }
    match login_cookie(headers, settings) {
        Some(token) => (token, false),
        None => (password::random_token(), true),
    }
}

fn login_page(
    app: &App,
    ctx: &Ctx,
    headers: &HeaderMap,
    status: StatusCode,
    form: &LoginForm,
) -> Response {
    let (token, fresh) = login_token(ctx, headers, &app.auth);
    let mut page = ctx.page.clone();
    page.csrf_token = token.clone();
    let mut response = (status, views::login_page(&page, form)).into_response();
    if fresh {
        set_login_cookie(&mut response, &app.auth, &token);
    }
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    motivo: String,
}

async fn login_form(
    State(app): State<App>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    let next = safe_next(&query.next).unwrap_or("/").to_string();
    if ctx.user.is_some() {
        return Redirect::to(&next).into_response();
    }
    let notice = (query.motivo == "expirada").then(|| {
        "Su sesión terminó por inactividad o por tiempo máximo. Ingrese de nuevo.".to_string()
    });
    login_page(
        &app,
        &ctx,
        &headers,
        StatusCode::OK,
        &LoginForm {
            next,
            notice,
            ..LoginForm::default()
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginFields {
    username: String,
    password: String,
    next: String,
}

const WRONG_CREDENTIALS: &str = "Usuario o contraseña incorrectos.";

async fn login(
    State(app): State<App>,
    mut auth: AuthSession,
    ctx: Ctx,
    extensions: Extensions,
    headers: HeaderMap,
    Form(fields): Form<LoginFields>,
) -> Response {
    let now = app.auth.now();
    let ip = client_ip(
        &headers,
        peer_address(&extensions),
        app.auth.trusted_proxies,
    );
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let username: String = fields
        .username
        .trim()
        .to_lowercase()
        .chars()
        .take(128)
        .collect();
    let next = safe_next(&fields.next).unwrap_or("/").to_string();
    // The address's budget across every username, then the pair's numbered attempts: both taken
    // before the password is hashed, and given back when no hash happens or the password is right.
    let attempt = Attempt {
        app: &app,
        username: &username,
        ip: &ip,
        user_agent: &user_agent,
        now,
    };
    if let IpReservation::Refused(until) =
        app.login_throttle
            .reserve(&ip, app.auth.ip_failures, app.auth.lockout_duration, now)
    {
        tracing::warn!(%ip, "login refused: too many failures from this address");
        return attempt.refuse(&ctx, until).await;
    }
    let locks = match lockout::reserve(&app.db, &app.auth, &username, &ip, now).await {
        Ok(Reservation::Check { locks, .. }) => locks,
        Ok(Reservation::Locked(until)) => {
            app.login_throttle.refund(&ip);
            return attempt.refuse(&ctx, until).await;
        }
        Err(err) => {
            app.login_throttle.refund(&ip);
            return internal(err);
        }
    };

    let user = match auth
        .authenticate(Credentials {
            username: username.clone(),
            password: fields.password,
        })
        .await
    {
        Ok(user) => user,
        Err(err) => return internal(err),
    };

    let Some(user) = user else {
        let recorded =
            lockout::record_attempt(&app.db, now, &username, &ip, &user_agent, Outcome::Failure)
                .await;
        if let Err(err) = recorded {
            return internal(err);
        }
        tracing::info!(%username, %ip, "login failed");
        if let Some(until) = locks {
            tracing::warn!(%username, %ip, "login locked after repeated failures");
            return locked_response(&ctx, until, now);
        }
        return login_page(
            &app,
            &ctx,
            &headers,
            StatusCode::UNAUTHORIZED,
            &LoginForm {
                username,
                next,
                error: Some(WRONG_CREDENTIALS.to_string()),
                notice: None,
            },
        );
    };

    app.login_throttle.refund(&ip);
    // A new session id whatever the session held before (session fixation), then the login.
    if let Err(err) = auth.session.cycle_id().await {
        return internal(err);
    }
    if let Err(err) = auth.login(&user).await {
        return internal(err);
    }
    if let Err(err) = start_session(&auth.session, now.timestamp()).await {
        return internal(err);
    }
    if let Err(err) = lockout::clear(&app.db, &username, &ip).await {
        return internal(err);
    }
    if let Err(err) =
        lockout::record_attempt(&app.db, now, &username, &ip, &user_agent, Outcome::Success).await
    {
        return internal(err);
    }
    tracing::info!(%username, %ip, "login");
    Redirect::to(&next).into_response()
}

/// Who tried, from where, when: what a refusal records.
struct Attempt<'a> {
    app: &'a App,
    username: &'a str,
    ip: &'a str,
    user_agent: &'a str,
    now: DateTime<Utc>,
}

impl Attempt<'_> {
    /// Records the attempt as refused without a check and answers 429 until `until`.
    async fn refuse(&self, ctx: &Ctx, until: DateTime<Utc>) -> Response {
        let recorded = lockout::record_attempt(
            &self.app.db,
            self.now,
            self.username,
            self.ip,
            self.user_agent,
            Outcome::Locked,
        )
        .await;
        match recorded {
            Ok(()) => locked_response(ctx, until, self.now),
            Err(err) => internal(err),
        }
    }
}

fn locked_response(ctx: &Ctx, until: DateTime<Utc>, now: DateTime<Utc>) -> Response {
    let seconds = (until - now).num_seconds().max(1);
    let minutes = (seconds + 59) / 60;
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        views::locked_page(&ctx.page, &bogota(until), minutes),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

async fn logout(mut auth: AuthSession) -> Response {
    let user = auth.user.as_ref().map(|u| u.username.clone());
    if let Err(err) = auth.logout().await {
        return internal(err);
    }
    tracing::info!(username = ?user, "logout");
    Redirect::to("/login").into_response()
}
