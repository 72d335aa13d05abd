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
    /// The chain of digests as last verified.
    pub chain: Option<&'a ChainLine>,
    /// The filters as a query string (`contrato=…&tipo=…`), for the export links.
    pub filter_query: &'a str,
}

/// The state of the chain of event digests, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLine {
    pub intact: bool,
    /// «Cadena íntegra hasta la posición N (…), sellada en el respaldo del …».
    pub summary: String,
    /// When it was verified, Bogotá time.
    pub verified_at: String,
}

/// Links to the same events as CSV, XLSX and JSON; `base` ends with `?` or `&`-ready query.
pub fn export_links(base: &str, what: &str) -> Markup {
    let sep = if base.contains('?') { "&" } else { "?" };
    html! {
        p.export-links {
            span.muted { "Exportar " (what) ": " }
            a href={ (base) (sep) "formato=csv" } download { "CSV" } " · "
            a href={ (base) (sep) "formato=xlsx" } download { "Excel (XLSX)" } " · "
            a href={ (base) (sep) "formato=json" } download { "JSON (eventos tal como se guardaron)" }
        }
    }
}

/// The kinds of record the log covers (aggregate types), as the filter offers them.
pub const RECORD_KINDS: &[(&str, &str)] = &[
    ("contrato", "Contratos"),
    ("tercero", "Terceros"),
    ("local", "Locales"),
    ("indice", "Índices (IPC, salario mínimo)"),
    ("empresa", "Datos de la empresa"),
    ("catalogos", "Catálogos (tipos y cláusulas)"),
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
                    (link_button("/auditoria/lecturas", "Lecturas registradas", false))
                }
            }))
            @if let Some(chain) = p.chain {
                div class={ "flash " (if chain.intact { "flash-exito" } else { "flash-error" }) } role="status" {
                    p {
                        (chain.summary) " "
                        span.muted { "Verificada el " (chain.verified_at) "." } " "
                        @if super::integridad::may_see(ctx) { a href="/auditoria/integridad" { "Verificar de nuevo" } }
                    }
                }
            }
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
            @if !p.rows.is_empty() {
                (export_links(&if p.filter_query.is_empty() { "/auditoria/exportar".to_string() } else { format!("/auditoria/exportar?{}", p.filter_query) }, "estos eventos (todas las páginas)"))
            }
            @if p.rows.is_empty() {
                (empty_state("No hay eventos con esos filtros."))
            } @else {
                (table_wrap("Eventos", table_head(&cols, None, ""), html! {
                    tbody {
                        @for r in p.rows {
                            tr {
                                td.num { a href={ "/auditoria/eventos/" (r.position) } { (r.position) } }
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

/// One event opened: who, when, from which request, what it changed and the event as stored.
pub struct EventPage<'a> {
    pub position: i64,
    pub sequence: i64,
    pub event_type: &'a str,
    pub event_version: &'a str,
    pub record_kind: &'static str,
    pub subject: &'a str,
    pub subject_href: Option<&'a str>,
    pub sentence: &'a str,
    pub user: &'a str,
    pub request_id: &'a str,
    /// The reason the event states («motivo»), when it has one.
    pub reason: Option<&'a str>,
    /// Bogotá time with seconds.
    pub recorded_at: &'a str,
    /// `(field, before, after)`; an empty side is "—".
    pub changes: &'a [(String, Option<String>, Option<String>)],
    /// The payload and metadata as stored, pretty-printed.
    pub raw: &'a str,
}

pub fn event_page(ctx: &PageContext, p: &EventPage<'_>) -> Markup {
    let title = format!("Evento {} · {}", p.position, p.event_type);
    let cols = [
        Column::new("Campo"),
        Column::new("Antes"),
        Column::new("Después"),
    ];
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    use crate::components::Detail;
    let mut details = vec![
        Detail::new("Posición en el registro", p.position.to_string()),
        Detail::new(
            p.record_kind,
            html! {
                @match p.subject_href { Some(h) => a href=(h) { (p.subject) }, None => (p.subject) }
            },
        ),
        Detail::new("Número del evento en su registro", p.sequence.to_string()),
        Detail::new(
            "Tipo y versión",
            format!("{} {}", p.event_type, p.event_version),
        ),
        Detail::new("Usuario", p.user.to_string()),
        Detail::new("Registrado (Bogotá)", p.recorded_at.to_string()),
        Detail::new("Solicitud", p.request_id.to_string()),
    ];
    if let Some(reason) = p.reason {
        details.push(Detail::new("Motivo", reason.to_string()));
    }
    page(
        ctx,
        &title,
        html! {
            (crate::components::breadcrumbs(&[("Auditoría", "/auditoria"), (&title, "")]))
            (page_header(&title, Some(p.sentence), html! {}))
            (crate::components::card(Some("Registro"), crate::components::detail_list(&details)))
            section.section {
                h2 { "Qué cambió" }
                @if p.changes.is_empty() {
                    (empty_state("Este evento no cambió ningún campo del registro (por ejemplo, una nota ya igual)."))
                } @else {
                    (table_wrap("Campos cambiados", table_head(&cols, None, ""), html! {
                        tbody {
                            @for (field, before, after) in p.changes {
                                tr {
                                    th scope="row" { code { (field) } }
                                    td { (dash(before)) }
                                    td { (dash(after)) }
                                }
                            }
                        }
                    }))
                }
            }
            section.section {
                details {
                    summary { "El evento tal como está guardado (JSON)" }
                    pre.raw-json { (p.raw) }
                }
            }
        },
    )
}

/// Two dates of one contract side by side.
pub struct ComparePage<'a> {
    pub contract_id: &'a str,
    pub contract_number: &'a str,
    /// The dates as typed, with their errors.
    pub a_typed: &'a str,
    pub b_typed: &'a str,
    /// Two events: their positions as chosen and the day both are read on.
    pub ea_typed: &'a str,
    pub eb_typed: &'a str,
    pub on_typed: &'a str,
    /// The comparison is of two events rather than two dates.
    pub by_events: bool,
    /// The contract's events, to choose from.
    pub events: &'a [EventChoice],
    pub errors: &'a FormErrors,
    /// `(label, value on A, value on B)` as escaped HTML; `None` where the term does not apply.
    pub rows: &'a [(String, Option<String>, Option<String>)],
    pub a_label: &'a str,
    pub b_label: &'a str,
}

/// One event of the contract in the "compare two events" form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChoice {
    pub position: i64,
    /// `12 · Aprobó el Otro Sí OS-1…`
    pub label: String,
}

fn event_select(
    name: &str,
    label: &str,
    chosen: &str,
    events: &[EventChoice],
    errors: &FormErrors,
) -> Markup {
    let options: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.position.to_string(), e.label.chars().take(120).collect()))
        .collect();
    let options: Vec<(&str, &str)> = options
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    select_field(
        &Field::new(name, label)
            .value(chosen)
            .placeholder("Elija un evento…")
            .errors(errors),
        &options,
    )
}

pub fn compare_page(ctx: &PageContext, p: &ComparePage<'_>) -> Markup {
    let title = format!("Comparar · {}", p.contract_number);
    let action = format!("/contratos/{}/comparar", p.contract_id);
    let changed = p.rows.iter().filter(|(_, a, b)| a != b).count();
    let dash = |v: &Option<String>| maud::PreEscaped(v.clone().unwrap_or_else(|| "—".to_string()));
    let cols = [
        Column::new("Término"),
        Column::new(p.a_label),
        Column::new(p.b_label),
    ];
    page(
        ctx,
        &title,
        html! {
            (crate::components::breadcrumbs(&[("Contratos", "/contratos"), (p.contract_number, &format!("/contratos/{}", p.contract_id)), ("Comparar", "")]))
            (page_header(&title, Some("Dos momentos del contrato lado a lado: términos, dinero y pólizas; las filas que cambian están resaltadas."), html! {}))
            (error_summary_with(p.errors, labels(&[("a", "Fecha A"), ("b", "Fecha B"), ("ea", "Evento A"), ("eb", "Evento B"), ("fecha", "En vigor el")])))
            details.section open[!p.by_events] {
                summary { "Comparar dos fechas" }
                form.form.filters method="get" action=(action) novalidate {
                    (date_field(&Field::new("a", "Fecha A").value(p.a_typed).required().errors(p.errors)))
                    (date_field(&Field::new("b", "Fecha B").value(p.b_typed).required().errors(p.errors)))
                    div.form-actions { button.btn.btn-secondary type="submit" { "Comparar" } }
                }
            }
            details.section open[p.by_events] {
                summary { "Comparar dos eventos" }
                form.form.filters method="get" action=(action) novalidate {
                    (event_select("ea", "Evento A", p.ea_typed, p.events, p.errors))
                    (event_select("eb", "Evento B", p.eb_typed, p.events, p.errors))
                    (date_field(&Field::new("fecha", "En vigor el").value(p.on_typed).hint("El contrato tal como quedó registrado después de cada evento, leído en esta fecha.").errors(p.errors)))
                    div.form-actions { button.btn.btn-secondary type="submit" { "Comparar" } }
                }
            }
            @if p.errors.is_empty() {
                p { (changed) " " (if changed == 1 { "fila cambia" } else { "filas cambian" }) (if p.by_events { " entre los dos eventos." } else { " entre las dos fechas." }) }
                (table_wrap("Comparación", table_head(&cols, None, ""), html! {
                    tbody {
                        @for (label, a, b) in p.rows {
                            tr class=[(a != b).then_some("is-changed")] {
                                th scope="row" {
                                    (label)
                                    @if a != b { " " span.badge.tone-warning { "cambia" } }
                                }
                                td { (dash(a)) }
                                td { (dash(b)) }
                            }
                        }
                    }
                }))
            }
        },
    )
}
