//! `/auditoria`: every event of the installation in order, newest first, filterable by contract,
//! kind of record, event type, user and date range, paged by position (keyset).

use maud::{Markup, html};

use crate::components::{
    Column, Field, FormErrors, date_field, empty_state, error_summary_with, labels, link_button,
    page_header, select_field, table_head, table_wrap, text_field,
};
use crate::layout::{PageContext, page};

/// One event as the log lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub position: i64,
    /// Bogotá time with seconds: `01/12/2026 10:15:42`.
    pub recorded_at: String,
    /// `Contrato`, `Tercero`, `Local`, `Índice`.
    pub record_kind: &'static str,
    /// The contract number, tercero or local name, or the index; the id when it is gone.
    pub subject: String,
    pub subject_href: Option<String>,
    pub event_type: String,
    /// What happened, in words (the event type when there is no sentence for it).
    pub sentence: String,
    pub user: String,
}

/// The filters as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilters {
    pub contrato: String,
    pub tipo: String,
    pub evento: String,
    pub usuario: String,
    pub desde: String,
    pub hasta: String,
    pub errors: FormErrors,
}

pub struct LogPage<'a> {
    pub rows: &'a [LogRow],
    pub filters: &'a LogFilters,
    /// Link to the newer page, when there is one.
    pub newer: Option<String>,
    /// Link to the older page, when there is one.
    pub older: Option<String>,
}

/// The kinds of record the log covers (aggregate types), as the filter offers them.
pub const RECORD_KINDS: &[(&str, &str)] = &[
    ("contrato", "Contratos"),
    ("tercero", "Terceros"),
    ("local", "Locales"),
    ("indice", "Índices (IPC, salario mínimo)"),
];

const LABELS: &[(&str, &str)] = &[
    ("contrato", "Contrato"),
    ("tipo", "Registro"),
    ("evento", "Tipo de evento"),
    ("usuario", "Usuario"),
    ("desde", "Desde"),
    ("hasta", "Hasta"),
];

pub fn log_page(ctx: &PageContext, p: &LogPage<'_>) -> Markup {
    let f = p.filters;
    let e = &f.errors;
    let cols = [
        Column::new("Posición").numeric(),
        Column::new("Registrado (Bogotá)"),
        Column::new("Registro"),
        Column::new("Evento"),
        Column::new("Qué pasó"),
        Column::new("Usuario"),
    ];
    page(
        ctx,
        "Auditoría",
        html! {
            (page_header("Auditoría", Some("Todos los eventos registrados, del más reciente al más antiguo. Nada se borra ni se reescribe: cada cambio es un evento nuevo."), html! {
                @if super::integridad::may_see(ctx) {
                    (link_button("/auditoria/integridad", "Integridad del registro", false))
                }
            }))
            (error_summary_with(e, labels(LABELS)))
            form.filters method="get" action="/auditoria" role="search" {
                (text_field(&Field::new("contrato", "Contrato").value(&f.contrato).hint("Número, por ejemplo CT-2024-001").errors(e)))
                (select_field(&Field::new("tipo", "Registro").value(&f.tipo).placeholder("Todos"), RECORD_KINDS))
                (text_field(&Field::new("evento", "Tipo de evento").value(&f.evento).hint("Por ejemplo OtroSiApproved").errors(e)))
                (text_field(&Field::new("usuario", "Usuario").value(&f.usuario).errors(e)))
                (date_field(&Field::new("desde", "Desde").value(&f.desde).errors(e)))
                (date_field(&Field::new("hasta", "Hasta").value(&f.hasta).errors(e)))
                div.form-actions {
                    button.btn.btn-secondary type="submit" { "Filtrar" }
                    a.btn.btn-ghost href="/auditoria" { "Quitar filtros" }
                }
            }
            @if p.rows.is_empty() {
                (empty_state("No hay eventos con esos filtros."))
            } @else {
                (table_wrap("Eventos", table_head(&cols, None, ""), html! {
                    tbody {
                        @for r in p.rows {
                            tr {
                                td.num { (r.position) }
                                td.nowrap { (r.recorded_at) }
                                td {
                                    span.muted.small { (r.record_kind) } br;
                                    @match &r.subject_href {
                                        Some(href) => a href=(href) { (r.subject) },
                                        None => (r.subject),
                                    }
                                }
                                td { code { (r.event_type) } }
                                td { (r.sentence) }
                                td { (r.user) }
                            }
                        }
                    }
                }))
            }
            nav.pagination aria-label="Páginas del registro" {
                @if let Some(href) = &p.newer { a.btn.btn-secondary href=(href) rel="prev" { "← Más recientes" } }
                @if let Some(href) = &p.older { a.btn.btn-secondary href=(href) rel="next" { "Anteriores →" } }
            }
        },
    )
}
