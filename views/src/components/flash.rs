//! Flash messages at the top of `<main>`.

use maud::{Markup, html};

use crate::layout::{Flash, FlashKind};

/// The flash area. Errors are announced at once (`role="alert"`), others politely (`role="status"`).
/// Renders nothing when there are no messages.
pub fn flash_messages(flashes: &[Flash]) -> Markup {
    html! {
        @if !flashes.is_empty() {
            div.flash-area {
                @for f in flashes {
                    div class={ "flash flash-" (f.kind.class()) }
                        role=(if f.kind == FlashKind::Error { "alert" } else { "status" }) {
                        span.flash-icon aria-hidden="true" {
                            @match f.kind {
                                FlashKind::Exito => "✓",
                                FlashKind::Error => "!",
                                FlashKind::Aviso => "i",
                            }
                        }
                        span.visually-hidden { (f.kind.label()) ": " }
                        span.flash-text { (f.text) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_kind() {
        let html = flash_messages(&[
            Flash::exito("Guardado"),
            Flash::error("No se pudo guardar"),
            Flash::aviso("Revise la póliza"),
        ])
        .into_string();
        assert!(html.contains("flash flash-exito\" role=\"status\""));
        assert!(html.contains("flash flash-error\" role=\"alert\""));
        assert!(html.contains("flash flash-aviso\" role=\"status\""));
        assert!(html.contains("No se pudo guardar"));
    }

    #[test]
    fn nothing_when_empty() {
        assert_eq!(flash_messages(&[]).into_string(), "");
    }
}
