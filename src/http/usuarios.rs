//! Users administration (create, role, deactivate, reactivate, temporary passwords, sessions) and
//! the access log with its lockouts, for administradores.

use arriendo_views::auth::{self as views, AttemptItem, LockoutItem, UserItem, UsersView};
use arriendo_views::layout::Flash;
use arriendo_views::pages::confirmacion::{CONFIRM_FIELD, Confirmation, confirmation_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{local_time, local_time_seconds};
use super::page_error::{OrServerError, PageResult};
use super::security::{Access, Ctx, RequireAdmin, Route, push_flash};
use crate::app::App;
use crate::auth::lockout;
use crate::auth::{AuthError, parse_role, password, role_name, users};

pub fn routes() -> Vec<Route> {
    vec![
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

async fn render_users(
    app: &App,
    ctx: &Ctx,
    current: &str,
    revealed: Option<(String, String)>,
) -> PageResult {
    let rows = users::list(&app.db).await.or_500(&ctx.page)?;
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
    Ok(views::users_page(&ctx.page, &view).into_response())
}

async fn users_page(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
) -> PageResult {
    render_users(&app, &ctx, &admin.username, None).await
}

/// After a users-page action: a flash with the result, back to the list (303).
async fn done(ctx: &Ctx, result: Result<(), AuthError>, success: String) -> PageResult {
    let session: &Session = &ctx.session;
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
        Err(err) => return Err(err).or_500(&ctx.page),
    }
    Ok(Redirect::to("/usuarios").into_response())
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
) -> PageResult {
    let Some(role) = parse_role(&fields.rol) else {
        return done(
            &ctx,
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
        Err(err) => done(&ctx, Err(err), String::new()).await,
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
) -> PageResult {
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
                return Ok(page);
            }
            users::change_role(&app, &admin.actor(), &username, role, admin.metadata()).await
        }
        None => Err(AuthError::Invalid("elija un rol válido".into())),
    };
    done(&ctx, result, format!("Rol de {username} cambiado.")).await
}

async fn deactivate(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let action = format!("/usuarios/{username}/desactivar");
    let what = format!(
        "La cuenta de {username} dejará de poder ingresar y sus sesiones abiertas terminarán. Podrá reactivarla después."
    );
    let label = format!("Sí, desactivar a {username}");
    if let Some(page) = ask_first(&ctx, &pairs, &action, "Desactivar usuario", what, &label) {
        return Ok(page);
    }
    let result = users::deactivate(&app, &admin.actor(), &username, admin.metadata()).await;
    done(
        &ctx,
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
) -> PageResult {
    let action = format!("/usuarios/{username}/reactivar");
    let what = format!("{username} podrá volver a ingresar con su contraseña.");
    let label = format!("Sí, reactivar a {username}");
    if let Some(page) = ask_first(&ctx, &pairs, &action, "Reactivar usuario", what, &label) {
        return Ok(page);
    }
    let result = users::reactivate(&app, &username, admin.metadata()).await;
    done(&ctx, result, format!("Usuario {username} reactivado.")).await
}

async fn reset_password(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
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
        return Ok(page);
    }
    let temporary = password::generate(16);
    match users::reset_temporary_password(&app, &username, temporary.clone(), admin.metadata())
        .await
    {
        Ok(()) => {
            tracing::info!(by = %admin.username, %username, "password reset");
            render_users(&app, &ctx, &admin.username, Some((username, temporary))).await
        }
        Err(err) => done(&ctx, Err(err), String::new()).await,
    }
}

async fn end_sessions(
    State(app): State<App>,
    RequireAdmin(admin): RequireAdmin,
    ctx: Ctx,
    Path(username): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
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
        return Ok(page);
    }
    let result = users::end_sessions(&app, &username, admin.metadata()).await;
    done(
        &ctx,
        result,
        format!("Las sesiones de {username} terminaron."),
    )
    .await
}

// Access log and lockouts.

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
) -> PageResult {
    let now = app.auth.now();
    let locked = lockout::list_locked(&app.db, now).await.or_500(&ctx.page)?;
    let attempts = lockout::recent_attempts(&app.db, 200)
        .await
        .or_500(&ctx.page)?;
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
    Ok(views::access_page(&ctx.page, &lockouts, &attempts).into_response())
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
) -> PageResult {
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
        Err(err) => return Err(err).or_500(&ctx.page),
    }
    Ok(Redirect::to("/usuarios/accesos").into_response())
}
