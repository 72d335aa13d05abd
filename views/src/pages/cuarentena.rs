//! Eventos en cuarentena (administradores): the events the projector could not apply to the
//! screens, with the error of each, and a button to apply them again after a fix.

use maud::{Markup, html};

use crate::components::{
    Column, card, empty_state, page_header, post_button, table_head, table_wrap,
};
use crate::layout::{PageContext, page};

/// One quarantined event, already in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuarantineRow {
    /// Position in the event log.
    pub position: i64,
    /// What the event belongs to: `Contrato CT-2024-001`, `Tercero 0190…`.
    pub subject: String,
    /// The contract's page, when the event belongs to a contract the screens know.
    pub href: Option<String>,
    /// The event's name (`ContractTermsUpdated`).
    pub event_type: String,
    /// What went wrong.
    pub error: String,
    /// `31/12/2025 14:05` (Bogotá).
    pub when: String,
}

pub struct CuarentenaPage<'a> {
    pub rows: &'a [QuarantineRow],
    /// All quarantined events (the list may be cut to the first ones).
    pub total: i64,
}

fn rows_table(rows: &[QuarantineRow]) -> Markup {
    let cols = [
        Column::new("Posición").numeric(),
        Column::new("Contrato o registro"),
        Column::new("Evento"),
        Column::new("Error"),
        Column::new("Desde"),
    ];
    html! {
        (table_wrap("Eventos en cuarentena", table_head(&cols, None, ""), html! {
            tbody {
                @for r in rows {
                    tr {
                        th.num scope="row" { (r.position) }
                        td {
                            @if let Some(href) = &r.href { a href=(href) { (r.subject) } }
                            @else { (r.subject) }
                        }
                        td { code { (r.event_type) } }
                        td.small { (r.error) }
                        td.nowrap { (r.when) }
                    }
                }
            }
        }))
    }
}

pub fn cuarentena_page(ctx: &PageContext, p: &CuarentenaPage<'_>) -> Markup {
    let actions = html! {
        @if p.total > 0 {
            (post_button("/cuarentena/reintentar", &ctx.csrf_token, "Reintentar", "btn-primary", None))
        }
    };
    let shown = i64::try_from(p.rows.len()).unwrap_or(i64::MAX);
    page(
        ctx,
        "Eventos en cuarentena",
        html! {
            (page_header("Eventos en cuarentena", Some("Cambios guardados que las pantallas no pudieron mostrar"), actions))
            @if p.total == 0 {
                (card(None, empty_state("No hay eventos en cuarentena: las pantallas muestran todo lo guardado.")))
            } @else {
                p {
                    "Estos cambios están guardados y no se perdieron, pero las pantallas no los muestran. "
                    "Los cambios posteriores del mismo contrato o registro esperan detrás del primero. "
                    "Después de corregir la causa, pulse «Reintentar» o ejecute "
                    code { "arriendo projections retry" } "."
                }
                @if shown < p.total {
                    p.muted { "Se muestran los primeros " (shown) " de " (p.total) "." }
                }
                (card(None, rows_table(p.rows)))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> QuarantineRow {
        QuarantineRow {
            position: 42,
            subject: "Contrato CT-2024-001".into(),
            href: Some("/contratos/c1".into()),
            event_type: "ContractTermsUpdated".into(),
            error: "No se pudo aplicar: <falla>".into(),
            when: "31/12/2025 14:05".into(),
        }
    }

    #[test]
    fn lists_position_contract_event_error_and_when() {
        let rows = [row()];
        let html = cuarentena_page(
            &PageContext::default(),
            &CuarentenaPage {
                rows: &rows,
                total: 1,
            },
        )
        .into_string();
        assert!(html.contains("Eventos en cuarentena"));
        assert!(html.contains(">42<"));
        assert!(html.contains("<a href=\"/contratos/c1\">Contrato CT-2024-001</a>"));
        assert!(html.contains("ContractTermsUpdated"));
        assert!(html.contains("No se pudo aplicar: &lt;falla&gt;"));
        assert!(html.contains("31/12/2025 14:05"));
        assert!(html.contains("action=\"/cuarentena/reintentar\""));
    }

    #[test]
    fn says_so_when_the_quarantine_is_empty() {
        let html = cuarentena_page(
            &PageContext::default(),
            &CuarentenaPage {
                rows: &[],
                total: 0,
            },
        )
        .into_string();
        assert!(html.contains("No hay eventos en cuarentena"));
        assert!(!html.contains("/cuarentena/reintentar"));
    }

    #[test]
    fn says_when_the_list_is_cut() {
        let rows = [row()];
        let html = cuarentena_page(
            &PageContext::default(),
            &CuarentenaPage {
                rows: &rows,
                total: 1_500,
            },
        )
        .into_string();
        assert!(html.contains("Se muestran los primeros 1 de 1500."));
    }
}
