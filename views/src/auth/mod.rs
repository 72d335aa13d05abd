//! Account pages: login, lockout, change password, users administration, access log, and the
//! refusal pages (403, 404, CSRF). Pure functions of plain data, rendered in the common layout.

use maud::{Markup, html};

use crate::components::table_wrap;
use crate::layout::{PageContext, page};

fn csrf(ctx: &PageContext) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(ctx.csrf_token); }
}

/// The login form as last submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginForm {
    pub username: String,
    /// Where to go after logging in (a local path).
    pub next: String,
    pub error: Option<String>,
    /// Shown above the form, e.g. "Su sesión terminó".
    pub notice: Option<String>,
}

pub fn login_page(ctx: &PageContext, form: &LoginForm) -> Markup {
    page(
        ctx,
        "Ingresar",
        html! {
            section.card {
                h1 { "Ingresar a Arriendo" }
                @if let Some(notice) = &form.notice {
                    p.notice role="status" { (notice) }
                }
                @if let Some(error) = &form.error {
                    p.field-error role="alert" { (error) }
                }
                form.form method="post" action="/login" {
                    (csrf(ctx))
                    input type="hidden" name="next" value=(form.next);
                    div.field {
                        label.field-label for="username" { "Usuario" }
                        input.input #username type="text" name="username" value=(form.username)
                            autocomplete="username" autocapitalize="none" required autofocus;
                    }
                    div.field {
                        label.field-label for="password" { "Contraseña" }
                        input.input #password type="password" name="password" autocomplete="current-password" required;
                    }
                    div.form-actions { button.btn.btn-primary type="submit" { "Ingresar" } }
                }
            }
        },
    )
}

/// The answer while a (username, IP) pair is locked.
pub fn locked_page(ctx: &PageContext, until: &str, minutes: i64) -> Markup {
    page(
        ctx,
        "Acceso bloqueado temporalmente",
        html! {
            section.card {
                h1 { "Acceso bloqueado temporalmente" }
                p {
                    "Hubo demasiados intentos fallidos de ingreso con este usuario desde su equipo. "
                    "Por seguridad, el ingreso queda bloqueado hasta las " strong { (until) }
                    " (hora de Bogotá), en unos " (minutes) " minutos."
                }
                p { "Si necesita entrar antes, pida a un administrador que levante el bloqueo." }
                p { a href="/login" { "Volver al ingreso" } }
            }
        },
    )
}

/// The change-password page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordForm {
    pub errors: Vec<String>,
    pub min_length: usize,
    /// The password was set by someone else (the first start, an administrador): nothing else opens
    /// until the user chooses their own.
    pub must_change: bool,
}

pub fn password_page(ctx: &PageContext, form: &PasswordForm) -> Markup {
    page(
        ctx,
        "Cambiar contraseña",
        html! {
            h1 { "Cambiar contraseña" }
            @if form.must_change {
                div.flash.flash-aviso role="status" {
                    p { "Su contraseña es temporal: la asignó un administrador o se generó al instalar Arriendo. "
                        "Elija una contraseña propia para continuar; hasta entonces las demás páginas lo traen aquí." }
                }
            }
            @for error in &form.errors {
                p.field-error role="alert" { (error) }
            }
            form.form method="post" action="/cuenta/contrasena" {
                (csrf(ctx))
                div.field {
                    label.field-label for="actual" { "Contraseña actual" }
                    input.input #actual type="password" name="actual" autocomplete="current-password" required;
                }
                div.field {
                    label.field-label for="nueva" { "Contraseña nueva" }
                    input.input #nueva type="password" name="nueva" autocomplete="new-password"
                        minlength=(form.min_length) required;
                    p.field-hint { "Al menos " (form.min_length) " caracteres. Una frase larga es más segura que una palabra con símbolos." }
                }
                div.field {
                    label.field-label for="confirmacion" { "Repita la contraseña nueva" }
                    input.input #confirmacion type="password" name="confirmacion" autocomplete="new-password"
                        minlength=(form.min_length) required;
                }
                button.btn.btn-primary type="submit" { "Cambiar contraseña" }
            }
        },
    )
}

/// One account on the users page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserItem {
    pub username: String,
    /// `administrador`, `gestor` or `auditor`.
    pub role: String,
    pub role_label: String,
    pub active: bool,
    pub created_at: String,
    pub password_changed_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsersView {
    pub users: Vec<UserItem>,
    /// The administrador looking at the page (cannot deactivate or demote themself).
    pub current: String,
    /// A password just generated, shown once: (username, password).
    pub revealed: Option<(String, String)>,
}

const ROLES: &[(&str, &str)] = &[
    ("administrador", "Administrador"),
    ("gestor", "Gestor"),
    ("auditor", "Auditor"),
];

fn action(ctx: &PageContext, path: &str, label: &str, extra: Markup) -> Markup {
    html! {
        form.inline-form method="post" action=(path) {
            (csrf(ctx))
            (extra)
            button.btn.btn-secondary.btn-small type="submit" { (label) }
        }
    }
}

pub fn users_page(ctx: &PageContext, view: &UsersView) -> Markup {
    page(
        ctx,
        "Usuarios",
        html! {
            h1 { "Usuarios" }
            p { a href="/usuarios/accesos" { "Registro de accesos y bloqueos" } }
            @if let Some((user, password)) = &view.revealed {
                div.card.revealed role="status" {
                    p { "Contraseña temporal de " strong { (user) } ": " code.secret { (password) } }
                    p { "Se muestra solo esta vez. Entréguela por un canal seguro y pida que la cambie al ingresar." }
                }
            }
            h2 { "Cuentas" }
            (table_wrap("Cuentas", html! { thead { tr { th scope="col" { "Usuario" } th scope="col" { "Rol" } th scope="col" { "Estado" } th scope="col" { "Creado" } th scope="col" { "Contraseña cambiada" } th scope="col" { "Acciones" } } } }, html! {
                tbody {
                    @for user in &view.users {
                        @let base = format!("/usuarios/{}", user.username);
                        @let is_self = user.username == view.current;
                        tr {
                            td { (user.username) }
                            td { (user.role_label) }
                            td { @if user.active { "Activo" } @else { "Desactivado" } }
                            td { (user.created_at) }
                            td { (user.password_changed_at) }
                            td.actions {
                                @if !is_self {
                                    (action(ctx, &format!("{base}/rol"), "Cambiar rol", html! {
                                        label.visually-hidden for=(format!("rol-{}", user.username)) { "Rol de " (user.username) }
                                        select.input id=(format!("rol-{}", user.username)) name="rol" {
                                            @for (code, label) in ROLES {
                                                option value=(code) selected[*code == user.role] { (label) }
                                            }
                                        }
                                    }))
                                    @if user.active {
                                        (action(ctx, &format!("{base}/desactivar"), "Desactivar", html! {}))
                                    } @else {
                                        (action(ctx, &format!("{base}/reactivar"), "Reactivar", html! {}))
                                    }
                                }
                                (action(ctx, &format!("{base}/contrasena"), "Restablecer contraseña", html! {}))
                                (action(ctx, &format!("{base}/sesiones"), "Cerrar sus sesiones", html! {}))
                            }
                        }
                    }
                }
            }))
            h2 { "Crear usuario" }
            form.form method="post" action="/usuarios" {
                (csrf(ctx))
                div.field {
                    label.field-label for="nuevo-usuario" { "Usuario" }
                    input.input #nuevo-usuario type="text" name="usuario" required autocapitalize="none"
                        pattern="[a-z0-9][a-z0-9._-]{2,63}";
                    p.field-hint { "De 3 a 64 caracteres: minúsculas, dígitos, punto, guion o guion bajo." }
                }
                div.field {
                    label.field-label for="nuevo-rol" { "Rol" }
                    select.input #nuevo-rol name="rol" {
                        @for (code, label) in ROLES {
                            option value=(code) selected[*code == "gestor"] { (label) }
                        }
                    }
                }
                p.field-hint { "Se generará una contraseña temporal que verá una sola vez." }
                button.btn.btn-primary type="submit" { "Crear usuario" }
            }
        },
    )
}

/// One row of the access log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptItem {
    pub at: String,
    pub username: String,
    pub ip: String,
    pub user_agent: String,
    pub outcome_label: String,
}

/// A (username, IP) pair locked now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockoutItem {
    pub username: String,
    pub ip: String,
    pub failures: i64,
    pub locked_until: String,
}

pub fn access_page(
    ctx: &PageContext,
    lockouts: &[LockoutItem],
    attempts: &[AttemptItem],
) -> Markup {
    page(
        ctx,
        "Accesos y bloqueos",
        html! {
            h1 { "Accesos y bloqueos" }
            h2 { "Bloqueos vigentes" }
            @if lockouts.is_empty() {
                p.empty-state { "No hay bloqueos vigentes." }
            } @else {
                (table_wrap("Bloqueos vigentes", html! { thead { tr { th scope="col" { "Usuario" } th scope="col" { "IP" } th scope="col" { "Intentos fallidos" } th scope="col" { "Bloqueado hasta" } th scope="col" { "Acción" } } } }, html! {
                    tbody {
                        @for lock in lockouts {
                            tr {
                                td { (lock.username) }
                                td { (lock.ip) }
                                td { (lock.failures) }
                                td { (lock.locked_until) }
                                td {
                                    (action(ctx, "/usuarios/accesos/levantar", "Levantar", html! {
                                        input type="hidden" name="usuario" value=(lock.username);
                                        input type="hidden" name="ip" value=(lock.ip);
                                    }))
                                }
                            }
                        }
                    }
                }))
            }
            h2 { "Últimos intentos de ingreso" }
            @if attempts.is_empty() {
                p.empty-state { "Todavía no hay intentos registrados." }
            } @else {
                (table_wrap("Últimos intentos de ingreso", html! { thead { tr { th scope="col" { "Fecha y hora" } th scope="col" { "Usuario" } th scope="col" { "IP" } th scope="col" { "Navegador" } th scope="col" { "Resultado" } } } }, html! {
                    tbody {
                        @for attempt in attempts {
                            tr {
                                td { (attempt.at) }
                                td { (attempt.username) }
                                td { (attempt.ip) }
                                td.user-agent { (attempt.user_agent) }
                                td { (attempt.outcome_label) }
                            }
                        }
                    }
                }))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> PageContext {
        PageContext {
            csrf_token: "tok".into(),
            ..PageContext::default()
        }
    }

    #[test]
    fn login_form_posts_username_password_and_token() {
        let html = login_page(
            &ctx(),
            &LoginForm {
                username: "<ana>".into(),
                next: "/contratos".into(),
                error: Some("Usuario o contraseña incorrectos.".into()),
                notice: None,
            },
        )
        .into_string();
        assert!(html.contains("action=\"/login\""));
        assert!(html.contains("name=\"username\" value=\"&lt;ana&gt;\""));
        assert!(html.contains("name=\"password\""));
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(html.contains("name=\"next\" value=\"/contratos\""));
        assert!(html.contains("Usuario o contraseña incorrectos."));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn users_page_hides_self_actions_and_reveals_once() {
        let view = UsersView {
            users: vec![
                UserItem {
                    username: "admin".into(),
                    role: "administrador".into(),
                    role_label: "Administrador".into(),
                    active: true,
                    ..UserItem::default()
                },
                UserItem {
                    username: "gus".into(),
                    role: "gestor".into(),
                    role_label: "Gestor".into(),
                    active: false,
                    ..UserItem::default()
                },
            ],
            current: "admin".into(),
            revealed: Some(("gus".into(), "s3creto-largo".into())),
        };
        let html = users_page(&ctx(), &view).into_string();
        assert!(!html.contains("/usuarios/admin/desactivar"));
        assert!(html.contains("/usuarios/gus/reactivar"));
        assert!(html.contains("s3creto-largo"));
        assert!(html.contains("<option value=\"gestor\" selected>"));
    }
}
