//! The parts of a form around its fields: the CSRF token, the buttons at the end, one-button POST
//! forms, fieldsets and the note that explains the `*` marker (see [`super::forms`] for the fields).

use maud::{Markup, html};

/// The hidden CSRF token every POST form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(token); }
}

/// A primary submit button.
pub fn submit_button(label: &str) -> Markup {
    html! { button.btn.btn-primary type="submit" { (label) } }
}

/// The row of buttons at the end of a form: submit and an optional "Cancelar" link.
pub fn form_actions(submit_label: &str, cancel_href: Option<&str>) -> Markup {
    html! {
        div.form-actions {
            (submit_button(submit_label))
            @if let Some(h) = cancel_href { a.btn.btn-secondary href=(h) { "Cancelar" } }
        }
    }
}

/// A button that POSTs to `action` with the CSRF token (approve, reject, delete…). With `confirm`,
/// the script asks first (`form[data-confirm]`); without script it submits directly.
/// `style` is a button class: `btn-primary`, `btn-secondary`, `btn-danger`.
pub fn post_button(
    action: &str,
    csrf_token: &str,
    label: &str,
    style: &str,
    confirm: Option<&str>,
) -> Markup {
    html! {
        form.inline-form method="post" action=(action) data-confirm=[confirm] {
            (csrf_field(csrf_token))
            button class={ "btn " (style) } type="submit" { (label) }
        }
    }
}

/// A group of fields with a legend.
pub fn fieldset(legend: &str, body: Markup) -> Markup {
    html! {
        fieldset.fieldset {
            legend { (legend) }
            div.fieldset-body { (body) }
        }
    }
}

/// The note that explains the `*` marker.
pub fn required_note() -> Markup {
    html! { p.required-note { "Los campos marcados con " span.req { "*" } " son obligatorios." } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::{FormErrors, error_summary, error_summary_with};

    #[test]
    fn csrf_and_summary() {
        assert_eq!(
            csrf_field("abc").into_string(),
            "<input type=\"hidden\" name=\"csrf_token\" value=\"abc\">"
        );
        let mut errors = FormErrors::new();
        errors.add("canon", "El canon es obligatorio.");
        errors.add("", "Otro usuario modificó el contrato.");
        let html = error_summary(&errors).into_string();
        assert!(html.contains("Hay 2 errores en el formulario"));
        assert!(html.contains("<a href=\"#campo-canon\">El canon es obligatorio.</a>"));
        assert!(html.contains("<li>Otro usuario modificó el contrato.</li>"));
        assert_eq!(error_summary(&FormErrors::new()).into_string(), "");
        let labelled = error_summary_with(&errors, |name| {
            (name == "canon").then(|| "Canon mensual".to_string())
        })
        .into_string();
        assert!(
            labelled
                .contains("<a href=\"#campo-canon\">Canon mensual: el canon es obligatorio.</a>")
        );
        assert!(labelled.contains("<li>Otro usuario modificó el contrato.</li>"));
    }

    #[test]
    fn post_button_carries_token_and_confirm() {
        let html = post_button(
            "/contratos/7/eliminar",
            "tok",
            "Eliminar",
            "btn-danger",
            Some("¿Eliminar el contrato C-007?"),
        )
        .into_string();
        assert!(html.contains("method=\"post\" action=\"/contratos/7/eliminar\" data-confirm=\"¿Eliminar el contrato C-007?\""));
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(
            html.contains("<button class=\"btn btn-danger\" type=\"submit\">Eliminar</button>")
        );
        let html = post_button("/x", "t", "Aprobar", "btn-primary", None).into_string();
        assert!(!html.contains("data-confirm"));
    }

    #[test]
    fn form_helpers() {
        let html = form_actions("Guardar", Some("/contratos")).into_string();
        assert!(
            html.contains("<button class=\"btn btn-primary\" type=\"submit\">Guardar</button>")
        );
        assert!(html.contains("href=\"/contratos\">Cancelar"));
        let html = fieldset("Pólizas requeridas", html! { p { "x" } }).into_string();
        assert!(html.contains("<legend>Pólizas requeridas</legend>"));
        assert!(required_note().into_string().contains("obligatorios"));
    }
}
