//! `/auditoria/lecturas`: the trail of reads — every export, view of the past, comparison and printed
//! page, who asked for it, from where and when (administradores and auditores).

use maud::{Markup, html};

use crate::components::{Column, empty_state, page_header, table_head, table_wrap};
use crate::layout::{PageContext, page};

/// One read as the trail lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRow {
    /// Bogotá time with seconds.
    pub at: String,
    pub username: String,
    pub ip: String,
    /// `Exportación`, `Vista en otra fecha`, `Comparación`, `Impresión`.
    pub action: String,
    /// The contract number, or `registro` for the whole log.
    pub target: String,
    pub detail: String,
}

pub fn reads_page(ctx: &PageContext, rows: &[ReadRow], older: Option<&str>) -> Markup {
    let cols = [
        Column::new("Cuándo (Bogotá)"),
        Column::new("Usuario"),
        Column::new("Dirección IP"),
        Column::new("Qué"),
        Column::new("Sobre"),
        Column::new("Detalle"),
    ];
    page(
        ctx,
        "Lecturas registradas",
        html! {
            (crate::components::breadcrumbs(&[("Auditoría", "/auditoria"), ("Lecturas registradas", "")]))
            (page_header("Lecturas registradas", Some("Cada exportación, vista de un contrato en otra fecha, comparación e impresión queda registrada aquí, con quién la pidió y cuándo."), html! {}))
            @if rows.is_empty() {
                (empty_state("Nadie ha exportado ni consultado el pasado todavía."))
            } @else {
                (table_wrap("Lecturas", table_head(&cols, None, ""), html! {
                    tbody {
                        @for r in rows {
                            tr {
                                td.nowrap { (r.at) }
                                td { (r.username) }
                                td { code { (r.ip) } }
                                td { (r.action) }
                                td { @if r.target == "registro" { "Registro de eventos" } @else { (r.target) } }
                                td { (r.detail) }
                            }
                        }
                    }
                }))
            }
            @if let Some(href) = older {
                nav.pagination aria-label="Páginas de lecturas" { a.btn.btn-secondary href=(href) rel="next" { "Anteriores →" } }
            }
        },
    )
}
