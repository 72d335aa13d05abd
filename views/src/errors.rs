//! Error pages in the layout, in Spanish, never with technical detail. The handler sets the
//! status code; these only render the body.

use maud::{Markup, html};

use crate::layout::{PageContext, page};

/// A generic error page: the code, a title, a sentence and links to go on.
pub fn error_page(ctx: &PageContext, code: u16, title: &str, message: Markup) -> Markup {
    page(
        ctx,
        title,
        html! {
            section.error-page aria-labelledby="error-titulo" {
                p.error-code { "Error " (code) }
                h1 #error-titulo { (title) }
                div.error-message { (message) }
                div.error-actions {
                    a.btn.btn-primary href="/" { "Ir al panel" }
                    @if ctx.user.is_some() {
                        a.btn.btn-secondary href="/contratos" { "Ver contratos" }
                    }
                }
            }
        },
    )
}

/// 404.
pub fn not_found(ctx: &PageContext) -> Markup {
    error_page(
        ctx,
        404,
        "Página no encontrada",
        html! {
            p { "La dirección que abrió no existe o el registro fue eliminado." }
            p { "Revise el enlace o vuelva al panel." }
        },
    )
}

/// 403.
pub fn forbidden(ctx: &PageContext) -> Markup {
    error_page(
        ctx,
        403,
        "No tiene permiso para ver esta página",
        html! {
            p { "No tiene permiso para realizar esta acción con su rol actual." }
            p { "Si cree que debería tenerlo, pídaselo a un administrador." }
        },
    )
}

/// 500. `reference` is the request id logged with the error, so support can find it.
pub fn server_error(ctx: &PageContext, reference: &str) -> Markup {
    error_page(
        ctx,
        500,
        "Algo salió mal",
        html! {
            p { "Algo salió mal de nuestro lado y no pudimos completar la solicitud. Sus datos guardados no se perdieron." }
            p { "Intente de nuevo en unos minutos. Si el problema continúa, comparta esta referencia con soporte:" }
            p.error-reference { code { (reference) } }
        },
    )
}

/// 429. `retry_after_secs` is what the `Retry-After` header says, when known.
pub fn too_many_requests(ctx: &PageContext, retry_after_secs: Option<u64>) -> Markup {
    error_page(
        ctx,
        429,
        "Demasiadas solicitudes",
        html! {
            p { "Recibimos demasiadas solicitudes seguidas desde su sesión o su red." }
            @match retry_after_secs {
                Some(s) if s >= 60 => p { "Espere " (crate::format::count_noun(s.div_ceil(60), "minuto", "minutos")) " e intente de nuevo." },
                Some(s) => p { "Espere " (s) " segundos e intente de nuevo." },
                None => p { "Espere un momento e intente de nuevo." },
            }
        },
    )
}

/// 400 for a form sent with a missing or stale CSRF token (e.g. an old tab).
pub fn bad_csrf(ctx: &PageContext) -> Markup {
    error_page(
        ctx,
        400,
        "La sesión del formulario expiró",
        html! {
            p { "Por seguridad no pudimos aceptar el formulario: la página llevaba demasiado tiempo abierta o la sesión cambió." }
            p { "Vuelva atrás, recargue la página y envíelo de nuevo." }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> PageContext {
        PageContext::default()
    }

    #[test]
    fn not_found_page() {
        let html = not_found(&ctx()).into_string();
        assert!(html.contains("<title>Página no encontrada · Arriendo</title>"));
        assert!(html.contains("<h1 id=\"error-titulo\">Página no encontrada</h1>"));
        assert!(html.contains("Error 404"));
        assert!(html.contains("lang=\"es-CO\""));
    }

    #[test]
    fn forbidden_page() {
        let html = forbidden(&ctx()).into_string();
        assert!(html.contains("No tiene permiso"));
        assert!(html.contains("Error 403"));
    }

    #[test]
    fn server_error_shows_reference_only() {
        let html = server_error(&ctx(), "req-7f3a9c").into_string();
        assert!(html.contains("Algo salió mal"));
        assert!(html.contains("<code>req-7f3a9c</code>"));
        assert!(html.contains("Error 500"));
        assert!(!html.to_lowercase().contains("panic"));
        assert!(!html.contains("backtrace"));
    }

    #[test]
    fn too_many_requests_page() {
        let html = too_many_requests(&ctx(), Some(90)).into_string();
        assert!(html.contains("Demasiadas solicitudes"));
        assert!(html.contains("Espere 2 minutos"));
        assert!(
            too_many_requests(&ctx(), Some(20))
                .into_string()
                .contains("Espere 20 segundos")
        );
        assert!(bad_csrf(&ctx()).into_string().contains("expiró"));
    }
}
