//! Account routes (login and logout are in `ingreso`): change password, users administration, access log and lockouts.

use arriendo_views::auth::{
    self as views, AttemptItem, LockoutItem, PasswordForm, UserItem, UsersView,
};
use arriendo_views::layout::Flash;
use arriendo_views::pages::confirmacion::{CONFIRM_FIELD, Confirmation, confirmation_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tower_sessions::Session;

use super::security::{Access, AuthSession, Ctx, RequireAdmin, Route, push_flash};
use crate::app::App;
use crate::auth::lockout;
use crate::auth::{AuthError, parse_role, password, role_name, users};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/cuenta/contrasena", Access::Authenticated, password_form),
        Route::post("/cuenta/contrasena", Access::Authenticated, change_password),
        Route::get("/usuarios", Access::Admin, users_page),
        Route::post("/usuarios", Access::Admin, create_user),
        Route::post("/usuarios/{username}/rol", Access::Admin, change_role),
        Route::post("/usuarios/{username}/desactivar", Access::Admin, deactivate),
        Route::post("/usuarios/{username}/reactivar", Access::Admin, reactivate),
        Route::post(
            "/usuarios/{username}/contrasena",
            Access::Admin,
            reset_password,
        ),
        Route::post("/usuarios/{username}/sesiones", Access::Admin, end_sessions),
        Route::get("/usuarios/accesos", Access::Admin, access_log),
        Route::post("/usuarios/accesos/levantar", Access::Admin, lift_lockout),
    ]
}

/// A server-side failure: logged in English, shown in Spanish.
pub(super) fn internal(err: impl std::fmt::Display) -> Response {
    let reference = uuid::Uuid::now_v7().to_string();
    tracing::error!(error = %err, %reference, "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        arriendo_views::errors::server_error(&arriendo_views::PageContext::default(), &reference),
    )
        .into_response()
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
) -> Response {
    let Some(user) = ctx.user.clone() else {
        return Redirect::to("/login").into_response();
    };
    let temporary = must_change(&auth);
    let refuse = |message: String| {
        (
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
            .into_response()
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
        Err(err) => return internal(err),
    }
    // The password is part of the session's auth hash: renew it so this session stays, while every
    // other session of the user ends.
    match auth.backend.clone().get_user_by_name(&user.username).await {
        Ok(Some(updated)) => {
            if let Err(err) = auth.login(&updated).await {
                return internal(err);
            }
        }
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(err) => return internal(err),
    }
    push_flash(
        &auth.session,
        Flash::exito("Contraseña cambiada. Sus otras sesiones se cerraron."),
    )
    .await;
    // A first login goes on to the panel; a change from the account menu stays on the page.
    Redirect::to(if temporary { "/" } else { "/cuenta/contrasena" }).into_response()
}

// ---------------------------------------------------------------------------------------------------
// Users administration

async fn render_users(
    app: &App,
    ctx: &Ctx,
    current: &str,
    revealed: Option<(String, String)>,
) -> Response {
    let rows = match users::list(&app.db).await {
        Ok(rows) => rows,
        Err(err) => return internal(err),
    };
    let view = UsersView {
        users: rows
            .into_iter()
            .map(|u| UserItem {
                role: role_name(u.role).to_string(),
                role_label: super::security::role_label(u.role).to_string(),
                active: u.active,
                created_at: local_time(&u.created_at),
                password_changed_at: local_time(&u.password_changed_at),
                username: u.username,
            })
            .collect(),
        current: current.to_string(),
        revealed,
    };
    views::users_page(&ctx.page, &view).into_response()
}

async fn users_page(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
) -> Response {
    render_users(&app, &ctx, &admin.username, None).await
}

/// After a users-page action: a flash with the result, back to the list (303).
async fn done(session: &Session, result: Result<(), AuthError>, success: String) -> Response {
    match result {
        Ok(()) => push_flash(session, Flash::exito(success)).await,
        Err(AuthError::Invalid(m)) => push_flash(session, Flash::error(m)).await,
        Err(AuthError::Refused(e)) => push_flash(session, Flash::error(e.to_string())).await,
        Err(AuthError::Conflict) => {
            push_flash(
                session,
                Flash::error("Otra persona cambió la cuenta al mismo tiempo; intente de nuevo."),
            )
            .await
        }
        Err(err) => return internal(err),
    }
    Redirect::to("/usuarios").into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewUserFields {
    usuario: String,
    rol: String,
}

async fn create_user(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Form(fields): Form<NewUserFields>,
) -> Response {
    let Some(role) = parse_role(&fields.rol) else {
        return done(
            &ctx.session,
            Err(AuthError::Invalid("elija un rol válido".into())),
            String::new(),
        )
        .await;
    };
    let temporary = password::generate(16);
    match users::create_temporary(
        &app,
        &fields.usuario,
        role,
        temporary.clone(),
        admin.metadata(),
    )
    .await
    {
        Ok(username) => {
            tracing::info!(by = %admin.username, %username, "user created");
            render_users(&app, &ctx, &admin.username, Some((username, temporary))).await
        }
        Err(err) => done(&ctx.session, Err(err), String::new()).await,
    }
}

/// Changing access asks first: without `confirmar`, the page that says what will happen and
/// sends the same action again confirmed.
fn ask_first(
    ctx: &Ctx,
    pairs: &[(String, String)],
    action: &str,
    title: &str,
    what: String,
    label: &str,
) -> Option<Response> {
    if pairs
        .iter()
        .any(|(k, v)| k == CONFIRM_FIELD && !v.is_empty() && v != "false")
    {
        return None;
    }
    let body = maud::html! { p { (what) } };
    Some(
        confirmation_page(
            &ctx.page,
            &Confirmation {
                title,
                body,
                action,
                hidden: pairs,
                confirm_label: label,
                cancel_href: "/usuarios",
                style: "btn-danger",
            },
        )
        .into_response(),
    )
}

async fn change_role(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let rol = pairs
        .iter()
        .find(|(k, _)| k == "rol")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let result = match parse_role(rol) {
        Some(role) => {
            let action = format!("/usuarios/{username}/rol");
            let what = format!(
                "{username} pasará a tener el rol {}: cambia lo que puede ver y modificar.",
                super::security::role_label(role)
            );
            if let Some(page) = ask_first(
                &ctx,
                &pairs,
                &action,
                "Cambiar rol",
                what,
                "Sí, cambiar el rol",
            ) {
                return page;
            }
            users::change_role(&app, &admin.actor(), &username, role, admin.metadata()).await
        }
        None => Err(AuthError::Invalid("elija un rol válido".into())),
    };
    done(&ctx.session, result, format!("Rol de {username} cambiado.")).await
}

async fn deactivate(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let action = format!("/usuarios/{username}/desactivar");
    let what = format!(
        "La cuenta de {username} dejará de poder ingresar y sus sesiones abiertas terminarán. Podrá reactivarla después."
    );
    let label = format!("Sí, desactivar a {username}");
    if let Some(page) = ask_first(&ctx, &pairs, &action, "Desactivar usuario", what, &label) {
        return page;
    }
    let result = users::deactivate(&app, &admin.actor(), &username, admin.metadata()).await;
    done(
        &ctx.session,
        result,
        format!("Usuario {username} desactivado; sus sesiones terminaron."),
    )
    .await
}

async fn reactivate(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let action = format!("/usuarios/{username}/reactivar");
    let what = format!("{username} podrá volver a ingresar con su contraseña.");
    let label = format!("Sí, reactivar a {username}");
    if let Some(page) = ask_first(&ctx, &pairs, &action, "Reactivar usuario", what, &label) {
        return page;
    }
    let result = users::reactivate(&app, &username, admin.metadata()).await;
    done(
        &ctx.session,
        result,
        format!("Usuario {username} reactivado."),
    )
    .await
}

async fn reset_password(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let action = format!("/usuarios/{username}/contrasena");
    let what = format!(
        "La contraseña actual de {username} dejará de servir; verá una temporal una sola vez."
    );
    if let Some(page) = ask_first(
        &ctx,
        &pairs,
        &action,
        "Restablecer contraseña",
        what,
        "Sí, restablecer",
    ) {
        return page;
    }
    let temporary = password::generate(16);
    match users::reset_temporary_password(&app, &username, temporary.clone(), admin.metadata())
        .await
    {
        Ok(()) => {
            tracing::info!(by = %admin.username, %username, "password reset");
            render_users(&app, &ctx, &admin.username, Some((username, temporary))).await
        }
        Err(err) => done(&ctx.session, Err(err), String::new()).await,
    }
}

async fn end_sessions(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let action = format!("/usuarios/{username}/sesiones");
    let what = format!("Las sesiones abiertas de {username} terminarán: deberá ingresar de nuevo.");
    if let Some(page) = ask_first(
        &ctx,
        &pairs,
        &action,
        "Cerrar sesiones",
        what,
        "Sí, cerrar sus sesiones",
    ) {
        return page;
    }
    let result = users::end_sessions(&app, &username, admin.metadata()).await;
    done(
        &ctx.session,
        result,
        format!("Las sesiones de {username} terminaron."),
    )
    .await
}

// ---------------------------------------------------------------------------------------------------
// Access log and lockouts

fn outcome_label(code: &str) -> String {
    match code {
        "success" => "Ingreso correcto",
        "failure" => "Contraseña o usuario incorrectos",
        "locked" => "Rechazado: bloqueado",
        "lifted" => "Bloqueo levantado",
        other => other,
    }
    .to_string()
}

async fn access_log(
    State(app): State<App>,
    RequireAdmin(_admin): RequireAdmin,
    ctx: Ctx,
) -> Response {
    let now = app.auth.now();
    let (locked, attempts) = match (
        lockout::list_locked(&app.db, now).await,
        lockout::recent_attempts(&app.db, 200).await,
    ) {
        (Ok(l), Ok(a)) => (l, a),
        (Err(err), _) | (_, Err(err)) => return internal(err),
    };
    let lockouts: Vec<LockoutItem> = locked
        .into_iter()
        .map(|l| LockoutItem {
            locked_until: l
                .locked_until
                .as_deref()
                .map(local_time)
                .unwrap_or_default(),
            username: l.username,
            ip: l.ip,
            failures: l.failures,
        })
        .collect();
    let attempts: Vec<AttemptItem> = attempts
        .into_iter()
        .map(|a| AttemptItem {
            at: local_time_seconds(&a.at),
            outcome_label: outcome_label(&a.outcome),
            username: a.username,
            ip: a.ip,
            user_agent: a.user_agent,
        })
        .collect();
    views::access_page(&ctx.page, &lockouts, &attempts).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LiftFields {
    usuario: String,
    ip: String,
}

async fn lift_lockout(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Form(fields): Form<LiftFields>,
) -> Response {
    let result = lockout::lift(
        &app.db,
        Some(&fields.usuario),
        Some(&fields.ip),
        &admin.username,
        app.auth.now(),
    )
    .await;
    match result {
        Ok(lifted) if !lifted.is_empty() => {
            tracing::info!(by = %admin.username, user = %fields.usuario, ip = %fields.ip, "lockout lifted");
            push_flash(
                &ctx.session,
                Flash::exito(format!("Bloqueo de {} levantado.", fields.usuario)),
            )
            .await;
        }
        Ok(_) => push_flash(&ctx.session, Flash::aviso("Ese bloqueo ya no existía.")).await,
        Err(err) => return internal(err),
    }
    Redirect::to("/usuarios/accesos").into_response()
}
