//! The panel an edit form shows when what it edits changed while the user was editing it: the
//! values stored now, above the form that keeps what the user typed.

use maud::{Markup, html};

use crate::components::{Detail, detail_list};

/// `heading` names what changed ("El tercero cambió mientras lo editaba"); `current` are the
/// values stored now, with the labels of the form's fields.
pub fn stale_panel(heading: &str, current: &[Detail<'_>]) -> Markup {
    html! {
        div.error-summary role="alert" #conflicto {
            h2 { (heading) }
            p {
                "Otra persona guardó cambios mientras usted editaba. Estos son los valores guardados \
                 ahora; lo que usted escribió sigue en el formulario: revíselo y vuelva a guardar."
            }
            details open {
                summary { "Valores guardados ahora" }
                (detail_list(current))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_current_values_under_the_heading() {
        let html = stale_panel(
            "El local cambió mientras lo editaba",
            &[Detail::new("Área (m²)", "90")],
        )
        .into_string();
        assert!(html.contains("El local cambió mientras lo editaba"));
        assert!(html.contains("Área (m²)"));
        assert!(html.contains(">90<"));
    }
}
