//! The confirmation step of an action that changes money or access (approve an Otro Sí or a
//! renewal, deactivate a user…): the action's POST without `confirmar` answers with this page,
//! which says what will happen and sends the same POST again with `confirmar=si`. It works without
//! JavaScript (the CSP allows no inline script) and a stray click never changes anything.

use maud::{Markup, html};

use crate::components::{csrf_field, page_header};
use crate::{PageContext, page};

/// The name of the field that confirms an action.
pub const CONFIRM_FIELD: &str = "confirmar";

/// What the confirmation page shows and sends back.
#[derive(Debug, Clone)]
pub struct Confirmation<'a> {
    pub title: &'a str,
    /// What will happen, in words (and figures).
    pub body: Markup,
    /// Where the confirmed POST goes (the same action).
    pub action: &'a str,
    /// The action's own fields, sent again unchanged.
    pub hidden: &'a [(String, String)],
    pub confirm_label: &'a str,
    pub cancel_href: &'a str,
    /// `btn-primary` or `btn-danger`.
    pub style: &'a str,
}

pub fn confirmation_page(ctx: &PageContext, c: &Confirmation<'_>) -> Markup {
    let body = html! {
        (page_header(c.title, None, html! {}))
        div.card.confirmation role="alertdialog" aria-labelledby="confirmacion-titulo" {
            h2 #confirmacion-titulo { "Confirme antes de continuar" }
            (c.body)
            form.form method="post" action=(c.action) {
                (csrf_field(&ctx.csrf_token))
                @for (name, value) in c.hidden {
                    @if name != CONFIRM_FIELD && name != "csrf_token" {
                        input type="hidden" name=(name) value=(value);
                    }
                }
                input type="hidden" name=(CONFIRM_FIELD) value="si";
                div.form-actions {
                    button class={ "btn " (c.style) } type="submit" { (c.confirm_label) }
                    a.btn.btn-secondary href=(c.cancel_href) { "Cancelar" }
                }
            }
        }
    };
    page(ctx, c.title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_the_same_fields_again_with_the_confirmation() {
        let hidden = vec![
            ("rol".to_string(), "auditor".to_string()),
            ("confirmar".to_string(), "no".to_string()),
        ];
        let html = confirmation_page(
            &PageContext {
                csrf_token: "tok".into(),
                ..PageContext::default()
            },
            &Confirmation {
                title: "Desactivar usuario",
                body: html! { p { "La cuenta de ana dejará de poder ingresar." } },
                action: "/usuarios/ana/desactivar",
                hidden: &hidden,
                confirm_label: "Sí, desactivar a ana",
                cancel_href: "/usuarios",
                style: "btn-danger",
            },
        )
        .into_string();
        assert!(html.contains("action=\"/usuarios/ana/desactivar\""));
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(html.contains("name=\"rol\" value=\"auditor\""));
        assert!(html.contains("name=\"confirmar\" value=\"si\""));
        assert!(!html.contains("value=\"no\""), "the old answer is not sent");
        assert!(html.contains("Sí, desactivar a ana"));
        assert!(html.contains("href=\"/usuarios\""));
    }
}
