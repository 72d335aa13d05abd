//! The signed-in user's own password (login and logout are in `ingreso`, users administration in
//! `usuarios`), and how account times read: Bogotá local time.

use arriendo_views::auth::{self as views, PasswordForm};
use arriendo_views::layout::Flash;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::page_error::{OrServerError, PageResult};
use super::security::{Access, AuthSession, Ctx, Route, push_flash};
use crate::app::App;
use crate::auth::{AuthError, password, users};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/cuenta/contrasena", Access::Authenticated, password_form),
        Route::post("/cuenta/contrasena", Access::Authenticated, change_password),
    ]
}

/// A server-side failure before anyone is signed in (login): the 500 page without navigation.
pub(super) fn internal(err: impl std::fmt::Display) -> Response {
    super::respuestas::server_error(&arriendo_views::PageContext::default(), err)
}

/// An RFC 3339 timestamp as Bogotá local time, `31/12/2025 14:05`.
pub fn local_time(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| bogota(t.with_timezone(&Utc)))
        .unwrap_or_else(|_| at.to_string())
}

/// An RFC 3339 time as Bogotá time with seconds, `01/12/2026 10:15:42`: where the order of close
/// events matters (backups, the access log, the audit).
pub fn local_time_seconds(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono_tz::America::Bogota)
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

pub(super) fn bogota(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::America::Bogota)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

// ---------------------------------------------------------------------------------------------------
// Own password

/// Whether the signed-in user still has a password someone else set.
fn must_change(auth: &AuthSession) -> bool {
    auth.user.as_ref().is_some_and(|u| u.must_change_password)
}

async fn password_form(auth: AuthSession, ctx: Ctx) -> Response {
    views::password_page(
        &ctx.page,
        &PasswordForm {
            errors: vec![],
            min_length: password::MIN_LENGTH,
            must_change: must_change(&auth),
        },
    )
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordFields {
    actual: String,
    nueva: String,
    confirmacion: String,
}

async fn change_password(
    State(app): State<App>,
    mut auth: AuthSession,
    ctx: Ctx,
    Form(fields): Form<PasswordFields>,
) -> PageResult {
    let Some(user) = ctx.user.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let temporary = must_change(&auth);
    let refuse = |message: String| {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::password_page(
                &ctx.page,
                &PasswordForm {
                    errors: vec![message],
                    min_length: password::MIN_LENGTH,
                    must_change: temporary,
                },
            ),
        )
            .into_response())
    };
    if fields.nueva != fields.confirmacion {
        return refuse("la contraseña nueva y su repetición no coinciden".into());
    }
    if fields.nueva == fields.actual {
        return refuse("la contraseña nueva debe ser distinta de la actual".into());
    }
    match users::change_own_password(
        &app,
        &user.username,
        fields.actual,
        fields.nueva,
        user.metadata(),
    )
    .await
    {
        Ok(()) => {}
        Err(AuthError::Invalid(m)) => return refuse(m),
        Err(AuthError::Refused(e)) => return refuse(e.to_string()),
        Err(err) => return Err(err).or_500(&ctx.page),
    }
    // The password is part of the session's auth hash: renew it so this session stays, while every
    // other session of the user ends.
    let updated = auth
        .backend
        .clone()
        .get_user_by_name(&user.username)
        .await
        .or_500(&ctx.page)?;
    let Some(updated) = updated else {
        return Ok(Redirect::to("/login").into_response());
    };
    auth.login(&updated).await.or_500(&ctx.page)?;
    push_flash(
        &auth.session,
        Flash::exito("Contraseña cambiada. Sus otras sesiones se cerraron."),
    )
    .await;
    // A first login goes on to the panel; a change from the account menu stays on the page.
    Ok(Redirect::to(if temporary { "/" } else { "/cuenta/contrasena" }).into_response())
}
