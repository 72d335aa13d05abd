//! The page layout: the HTML document, header, navigation, user menu, flash area and footer.

use maud::{DOCTYPE, Markup, html};

use crate::assets::{CSS_PATH, FAVICON_PATH, JS_PATH, asset_url};
use crate::components::flash::flash_messages;

/// Who is signed in, as the header shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserBadge {
    /// The login name.
    pub username: String,
    /// The role in Spanish, e.g. `Gestor`, `Administrador`, `Auditor`.
    pub role_label: String,
    /// Whether to show the admin-only navigation (Respaldos, Usuarios).
    pub is_admin: bool,
}

/// The kind of a flash message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlashKind {
    /// Something was done: "Contrato creado".
    #[default]
    Exito,
    /// Something failed.
    Error,
    /// Something to notice.
    Aviso,
}

impl FlashKind {
    /// The CSS modifier: `exito`, `error`, `aviso`.
    pub fn class(self) -> &'static str {
        match self {
            FlashKind::Exito => "exito",
            FlashKind::Error => "error",
            FlashKind::Aviso => "aviso",
        }
    }

    /// The word a screen reader hears before the text.
    pub fn label(self) -> &'static str {
        match self {
            FlashKind::Exito => "Listo",
            FlashKind::Error => "Error",
            FlashKind::Aviso => "Aviso",
        }
    }
}

/// A one-time message shown at the top of the next page (after a POST-redirect-GET).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

impl Flash {
    pub fn exito(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Exito,
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Error,
            text: text.into(),
        }
    }
    pub fn aviso(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Aviso,
            text: text.into(),
        }
    }
}

/// What every page needs from the request: the user, the CSRF token, flashes and the path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageContext {
    /// `None` on the login page and error pages for anonymous visitors: no navigation then.
    pub user: Option<UserBadge>,
    /// The session's CSRF token, sent back by every form as `csrf_token`.
    pub csrf_token: String,
    /// Messages to show once.
    pub flash: Vec<Flash>,
    /// The request path (`/contratos/12`), to mark the current section in the navigation.
    pub current_path: String,
    /// Events the projector set aside; administradores see a banner while there are any.
    pub quarantined: i64,
    /// Otro Sí and renewals waiting for approval (administradores): the count beside «Bandeja».
    pub inbox: u64,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub admin_only: bool,
}

/// The main navigation, in order.
pub const NAV_ITEMS: &[NavItem] = &[
    NavItem {
        label: "Panel",
        href: "/",
        admin_only: false,
    },
    NavItem {
        label: "Bandeja",
        href: "/bandeja",
        admin_only: false,
    },
    NavItem {
        label: "Contratos",
        href: "/contratos",
        admin_only: false,
    },
    NavItem {
        label: "Calendario",
        href: "/calendario",
        admin_only: false,
    },
    NavItem {
        label: "Terceros",
        href: "/terceros",
        admin_only: false,
    },
    NavItem {
        label: "Locales",
        href: "/locales",
        admin_only: false,
    },
    NavItem {
        label: "Catálogos",
        href: "/catalogos",
        admin_only: false,
    },
    NavItem {
        label: "Pólizas",
        href: "/polizas",
        admin_only: false,
    },
    NavItem {
        label: "Renovaciones",
        href: "/renovaciones",
        admin_only: false,
    },
    NavItem {
        label: "Informes de ventas",
        href: "/informes-ventas",
        admin_only: false,
    },
    NavItem {
        label: "IPC",
        href: "/indices",
        admin_only: false,
    },
    NavItem {
        label: "Auditoría",
        href: "/auditoria",
        admin_only: false,
    },
    NavItem {
        label: "Respaldos",
        href: "/respaldos",
        admin_only: true,
    },
    NavItem {
        label: "Correo de alertas",
        href: "/alertas/correo",
        admin_only: true,
    },
    NavItem {
        label: "Usuarios",
        href: "/usuarios",
        admin_only: true,
    },
    NavItem {
        label: "Empresa",
        href: "/empresa",
        admin_only: true,
    },
];

/// Whether `path` is inside the section at `href` (`/` only matches itself).
pub fn is_current(href: &str, path: &str) -> bool {
    if href == "/" {
        return path == "/";
    }
    path == href
        || path
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'))
}

fn nav_list(ctx: &PageContext, user: &UserBadge) -> Markup {
    html! {
        ul.nav-list {
            @for item in NAV_ITEMS.iter().filter(|i| !i.admin_only || user.is_admin) {
                @let count = (item.href == "/bandeja" && ctx.inbox > 0).then_some(ctx.inbox);
                li {
                    @if is_current(item.href, &ctx.current_path) {
                        a.nav-link.is-current href=(item.href) aria-current="page" { (item.label) (nav_count(count)) }
                    } @else {
                        a.nav-link href=(item.href) { (item.label) (nav_count(count)) }
                    }
                }
            }
        }
    }
}

/// `3` beside a navigation entry, read as «3 pendientes».
fn nav_count(count: Option<u64>) -> Markup {
    html! {
        @if let Some(n) = count {
            " " span.nav-count { span.visually-hidden { "(" } (n) span.visually-hidden { (if n == 1 { " pendiente)" } else { " pendientes)" }) } }
        }
    }
}

fn logout_form(ctx: &PageContext) -> Markup {
    html! {
        form.logout-form method="post" action="/logout" {
            input type="hidden" name="csrf_token" value=(ctx.csrf_token);
            button.btn.btn-ghost.btn-small type="submit" { "Cerrar sesión" }
        }
    }
}

fn user_box(ctx: &PageContext, user: &UserBadge) -> Markup {
    html! {
        div.user-box {
            a.user-name href="/cuenta/contrasena" title="Cambiar mi contraseña" { (user.username) }
            span.user-role { (user.role_label) }
            (logout_form(ctx))
        }
    }
}

/// The red banner administradores see while events are in quarantine: the screens may be missing
/// what those events changed.
fn quarantine_banner(ctx: &PageContext) -> Markup {
    let show = ctx.quarantined > 0 && ctx.user.as_ref().is_some_and(|u| u.is_admin);
    html! {
        @if show {
            div.quarantine-banner role="alert" {
                div.quarantine-banner-inner {
                    strong { "Hay " (crate::format::count_noun(ctx.quarantined as u64, "evento", "eventos")) " en cuarentena." }
                    " Las pantallas no reflejan lo que esos eventos cambiaron. "
                    a href="/cuarentena" { "Ver los eventos en cuarentena" }
                }
            }
        }
    }
}

/// The search box of every signed-in page: GET `/buscar?q=…` (contracts, terceros, locales, pólizas).
fn header_search() -> Markup {
    html! {
        form.header-search method="get" action="/buscar" role="search" aria-label="Búsqueda global" {
            label.visually-hidden for="busqueda-global" { "Buscar contratos, terceros, locales y pólizas" }
            input.input #busqueda-global type="search" name="q" autocomplete="off"
                placeholder="Buscar contrato, NIT, local…";
            button.btn.btn-secondary.btn-small type="submit" { "Buscar" }
        }
    }
}

fn brand() -> Markup {
    html! {
        a.brand href="/" {
            svg.brand-mark width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false" {
                rect width="32" height="32" rx="8" fill="#0f5e9c" {}
                path d="M8 15 16 8l8 7v9H19v-6h-6v6H8z" fill="#ffffff" {}
            }
            span.brand-name { "Arriendo" }
        }
    }
}

/// A whole page: `title` goes in `<title>` (as "title · Arriendo"); `body` goes inside `<main>`
/// and should start with the page's `<h1>` (see [`crate::components::page_header`]).
pub fn page(ctx: &PageContext, title: &str, body: Markup) -> Markup {
    page_with_head(ctx, title, html! {}, body)
}

/// [`page`] with more in its `<head>` (a `meta` refresh while something runs: no script needed).
pub fn page_with_head(ctx: &PageContext, title: &str, extra_head: Markup, body: Markup) -> Markup {
    let version_css = asset_url(CSS_PATH);
    let version_js = asset_url(JS_PATH);
    let version_icon = asset_url(FAVICON_PATH);
    html! {
        (DOCTYPE)
        html lang="es-CO" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                title { (title) " · Arriendo" }
                link rel="icon" type="image/svg+xml" href=(version_icon);
                link rel="stylesheet" href=(version_css);
                script src=(version_js) defer {}
                (extra_head)
            }
            body {
                a.skip-link href="#contenido" { "Saltar al contenido" }
                header.site-header {
                    div.header-inner {
                        (brand())
                        @if let Some(user) = &ctx.user {
                            (header_search())
                            (user_box(ctx, user))
                            details.nav-mobile {
                                summary.nav-toggle {
                                    svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false" {
                                        path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" stroke-width="2" stroke-linecap="round" {}
                                    }
                                    span { "Menú" }
                                }
                                div.nav-mobile-panel {
                                    nav aria-label="Principal" { (nav_list(ctx, user)) }
                                    div.nav-mobile-user {
                                        span.user-name { (user.username) }
                                        span.user-role { (user.role_label) }
                                        (logout_form(ctx))
                                    }
                                }
                            }
                        }
                    }
                    @if let Some(user) = &ctx.user {
                        nav.nav-desktop aria-label="Principal" {
                            div.nav-inner { (nav_list(ctx, user)) }
                        }
                    }
                }
                (quarantine_banner(ctx))
                main #contenido.site-main tabindex="-1" {
                    (flash_messages(&ctx.flash))
                    (body)
                }
                footer.site-footer {
                    div.footer-inner {
                        span { "Arriendo · gestión de contratos de arrendamiento comercial" }
                        span.footer-note { "Fechas en hora de Bogotá" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gestor() -> PageContext {
        PageContext {
            user: Some(UserBadge {
                username: "mlopez".into(),
                role_label: "Gestor".into(),
                is_admin: false,
            }),
            csrf_token: "tok123".into(),
            flash: vec![Flash::exito("Contrato creado")],
            current_path: "/contratos/42".into(),
            quarantined: 0,
            inbox: 0,
        }
    }

    #[test]
    fn document_basics() {
        let html = page(&gestor(), "Contratos", html! { h1 { "Contratos" } }).into_string();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"es-CO\">"));
        assert!(html.contains("<title>Contratos · Arriendo</title>"));
        assert!(html.contains(&format!("/static/app.css?v={}", crate::asset_version())));
        assert!(html.contains(&format!(
            "<script src=\"/static/app.js?v={}\" defer></script>",
            crate::asset_version()
        )));
        assert!(html.contains("href=\"#contenido\""));
        assert!(html.contains("id=\"contenido\""));
        assert!(html.contains("<footer"));
        assert!(!html.contains("style="), "CSP blocks inline styles");
        assert!(!html.contains("<script>"), "CSP blocks inline scripts");
        assert!(!html.contains("onclick"));
    }

    #[test]
    fn navigation_marks_current_and_hides_admin() {
        let html = page(&gestor(), "x", html! {}).into_string();
        assert!(html.contains("href=\"/contratos\" aria-current=\"page\""));
        assert!(!html.contains("href=\"/\" aria-current"));
        for href in [
            "/terceros",
            "/locales",
            "/polizas",
            "/informes-ventas",
            "/indices",
        ] {
            assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
        }
        assert!(html.contains("Informes de ventas"));
        assert!(!html.contains("/respaldos"));
        assert!(!html.contains("/usuarios"));
    }

    #[test]
    fn signed_in_pages_have_the_global_search_in_the_header() {
        let html = page(&gestor(), "x", html! {}).into_string();
        let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
        assert!(header.contains(
            "<form class=\"header-search\" method=\"get\" action=\"/buscar\" role=\"search\""
        ));
        assert!(header.contains("for=\"busqueda-global\""));
        assert!(header.contains("id=\"busqueda-global\" type=\"search\" name=\"q\""));
        let anonymous = page(&PageContext::default(), "Ingresar", html! {}).into_string();
        assert!(!anonymous.contains("/buscar"));
    }

    #[test]
    fn admins_see_backups_and_users() {
        let mut ctx = gestor();
        if let Some(u) = ctx.user.as_mut() {
            u.is_admin = true;
            u.role_label = "Administrador".into();
        }
        let html = page(&ctx, "x", html! {}).into_string();
        assert!(html.contains("href=\"/respaldos\""));
        assert!(html.contains("href=\"/usuarios\""));
        assert!(html.contains("Administrador"));
    }

    #[test]
    fn user_logout_and_flash() {
        let html = page(&gestor(), "x", html! {}).into_string();
        assert!(html.contains("mlopez"));
        assert!(html.contains("Gestor"));
        assert!(html.contains("action=\"/logout\""));
        assert!(html.contains("method=\"post\""));
        assert!(html.contains("name=\"csrf_token\" value=\"tok123\""));
        assert!(html.contains("Contrato creado"));
    }

    #[test]
    fn anonymous_pages_have_no_navigation() {
        let html = page(&PageContext::default(), "Ingresar", html! {}).into_string();
        assert!(!html.contains("/logout"));
        assert!(!html.contains("aria-label=\"Principal\""));
        assert!(html.contains("Arriendo"));
    }

    #[test]
    fn escapes_title_and_user() {
        let mut ctx = gestor();
        if let Some(u) = ctx.user.as_mut() {
            u.username = "<b>x</b>".into();
        }
        let html = page(&ctx, "<script>", html! {}).into_string();
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains("&lt;script&gt; · Arriendo"));
    }

    #[test]
    fn administradores_see_the_quarantine_banner_gestores_do_not() {
        let mut ctx = gestor();
        ctx.quarantined = 2;
        let html = page(&ctx, "x", html! {}).into_string();
        assert!(!html.contains("quarantine-banner"));
        if let Some(u) = ctx.user.as_mut() {
            u.is_admin = true;
        }
        let html = page(&ctx, "x", html! {}).into_string();
        assert!(html.contains("class=\"quarantine-banner\" role=\"alert\""));
        assert!(html.contains("Hay 2 eventos en cuarentena."));
        assert!(html.contains("href=\"/cuarentena\""));
        ctx.quarantined = 0;
        let html = page(&ctx, "x", html! {}).into_string();
        assert!(!html.contains("quarantine-banner"));
    }

    #[test]
    fn current_section_matching() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/contratos"));
        assert!(is_current("/contratos", "/contratos"));
        assert!(is_current("/contratos", "/contratos/5/editar"));
        assert!(!is_current("/contratos", "/contratosx"));
    }
}
