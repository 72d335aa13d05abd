//! Reusable building blocks. They take plain data (`&str`, `i64`, `NaiveDate`, small structs of
//! this crate), never domain types, so every page can use them and tests can render them alone.

pub mod alert_card;
pub mod chart;
pub mod detail;
pub mod flash;
pub mod form_actions;
pub mod form_errors;
pub mod forms;
pub mod table;

pub use alert_card::{AlertCard, AlertEntry, alert_actions, alert_card};
pub use chart::{ChartMonth, month_chart, month_chart_linked, month_chart_titled};
pub use detail::{Detail, TimelineEntry, detail_list, source_tag, timeline};
pub use flash::flash_messages;
pub use forms::{
    Field, FieldError, FormErrors, SelectOption, checkbox, csrf_field, date_field, error_summary,
    error_summary_with, field_id, fieldset, form_actions, labels, money_field, number_field,
    percent_field, post_button, required_note, select_field, submit_button, text_field, textarea,
};
pub use table::{
    Column, DIR_PARAM, MAX_PAGE, PAGE_PARAM, SORT_PARAM, Sort, SortDir, page_count,
    page_from_query, pagination, table_head, table_wrap,
};

use maud::{Markup, html};

/// How urgent or how good something is. Drives colours of badges, alert cards and rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tone {
    /// Act now: expired, overdue, ≤ 30 days.
    Danger,
    /// Act soon.
    Warning,
    /// Worth knowing.
    Info,
    /// In order.
    Ok,
    /// No judgement (drafts, annulled).
    Neutral,
}

impl Tone {
    /// The CSS modifier: `danger`, `warning`, `info`, `ok`, `neutral`.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Danger => "danger",
            Tone::Warning => "warning",
            Tone::Info => "info",
            Tone::Ok => "ok",
            Tone::Neutral => "neutral",
        }
    }

    /// The severity in words, for alerts: `Urgente`, `Próximo`, `Informativo`, `Al día`, `—`.
    pub fn label(self) -> &'static str {
        match self {
            Tone::Danger => "Urgente",
            Tone::Warning => "Próximo",
            Tone::Info => "Informativo",
            Tone::Ok => "Al día",
            Tone::Neutral => "Sin prioridad",
        }
    }

    /// The tone that usually goes with a state word of the domain (case-insensitive):
    /// aprobado/vigente/entregado/cumple/exitoso → ok; en revisión/borrador? → info/neutral;
    /// pendiente/por vencer → warning; rechazado/vencido/no cumple/fallido/anulado → danger/neutral.
    pub fn for_state(state: &str) -> Tone {
        match state.trim().to_lowercase().as_str() {
            "aprobado" | "aprobada" | "vigente" | "entregado" | "entregada" | "cumple"
            | "exitoso" | "exitosa" | "activo" | "activa" | "aplicado" | "aplicada" => Tone::Ok,
            "en revisión" | "en revision" | "aporte inicial" | "actualización" | "prórroga" => {
                Tone::Info
            }
            "pendiente" | "por vencer" | "próximo" | "en curso" => Tone::Warning,
            "rechazado" | "rechazada" | "vencido" | "vencida" | "no cumple" | "fallido"
            | "fallida" | "atrasado" | "atrasada" | "bloqueado" | "bloqueada" => Tone::Danger,
            _ => Tone::Neutral,
        }
    }
}

/// A small coloured label: `badge(Tone::Danger, "Vencida")`.
pub fn badge(tone: Tone, text: &str) -> Markup {
    html! { span class={ "badge badge-" (tone.class()) } { (text) } }
}

/// A badge with the severity's own word (`Urgente`, `Próximo`, …).
pub fn severity_badge(tone: Tone) -> Markup {
    badge(tone, tone.label())
}

/// A badge for a state word, coloured by [`Tone::for_state`]: `state_badge("En revisión")`.
pub fn state_badge(state: &str) -> Markup {
    badge(Tone::for_state(state), state)
}

/// The top of a page: its `<h1>`, an optional line under it, and buttons on the right.
pub fn page_header(title: &str, subtitle: Option<&str>, actions: Markup) -> Markup {
    html! {
        div.page-header {
            div.page-header-text {
                h1 { (title) }
                @if let Some(s) = subtitle { p.page-subtitle { (s) } }
            }
            @if !actions.0.is_empty() { div.page-actions { (actions) } }
        }
    }
}

/// Breadcrumbs: every item but the last is a link; the last is the current page.
pub fn breadcrumbs(items: &[(&str, &str)]) -> Markup {
    html! {
        nav.breadcrumbs aria-label="Ruta" {
            ol {
                @for (i, (label, href)) in items.iter().enumerate() {
                    @if i + 1 == items.len() {
                        li { span aria-current="page" { (label) } }
                    } @else {
                        li { a href=(href) { (label) } }
                    }
                }
            }
        }
    }
}

/// A white card with an optional heading (`<h2>`).
pub fn card(title: Option<&str>, body: Markup) -> Markup {
    html! {
        section.card {
            @if let Some(t) = title { h2.card-title { (t) } }
            (body)
        }
    }
}

/// A big number with its label, e.g. contracts in force by modality; a link when `href` is given.
pub fn stat_tile(label: &str, value: &str, href: Option<&str>) -> Markup {
    html! {
        @if let Some(h) = href {
            a.stat-tile href=(h) {
                span.stat-value { (value) }
                span.stat-label { (label) }
            }
        } @else {
            div.stat-tile {
                span.stat-value { (value) }
                span.stat-label { (label) }
            }
        }
    }
}

/// What a list shows when it has nothing: `empty_state("No hay contratos con esos filtros.")`.
pub fn empty_state(text: &str) -> Markup {
    html! {
        div.empty-state {
            svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true" focusable="false" {
                rect x="6" y="9" width="28" height="24" rx="4" fill="none" stroke="currentColor" stroke-width="2" {}
                path d="M6 17h28" stroke="currentColor" stroke-width="2" {}
            }
            p { (text) }
        }
    }
}

/// A link styled as a button: `link_button("/contratos/nuevo", "Nuevo contrato", true)`.
pub fn link_button(href: &str, label: &str, primary: bool) -> Markup {
    html! {
        a class={ "btn " @if primary { "btn-primary" } @else { "btn-secondary" } } href=(href) { (label) }
    }
}

/// «Exportar: Excel (XLSX) · CSV» for a list, carrying its filters (`query` without `?`; the page
/// number is dropped: an export holds every page).
pub fn list_export_links(path: &str, query: &str) -> Markup {
    let kept = crate::query::QueryString::parse(query)
        .without(PAGE_PARAM)
        .without("formato");
    let href = |format: &str| {
        let q = kept.with("formato", format);
        format!("{path}{}", q.href())
    };
    html! {
        p.export-links {
            span.muted { "Exportar la lista completa: " }
            a href=(href("xlsx")) download { "Excel (XLSX)" } " · "
            a href=(href("csv")) download { "CSV" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_carry_tone_class() {
        assert_eq!(
            badge(Tone::Danger, "Vencida").into_string(),
            r#"<span class="badge badge-danger">Vencida</span>"#
        );
        assert!(
            severity_badge(Tone::Warning)
                .into_string()
                .contains("badge-warning\">Próximo")
        );
        assert!(
            state_badge("Aprobado")
                .into_string()
                .contains("badge-ok\">Aprobado")
        );
        assert!(
            state_badge("En revisión")
                .into_string()
                .contains("badge-info")
        );
        assert!(
            state_badge("Borrador")
                .into_string()
                .contains("badge-neutral")
        );
        assert!(
            state_badge("Rechazado")
                .into_string()
                .contains("badge-danger")
        );
    }

    #[test]
    fn empty_state_shows_text() {
        let html = empty_state("No hay pólizas.").into_string();
        assert!(html.contains("class=\"empty-state\""));
        assert!(html.contains("<p>No hay pólizas.</p>"));
    }

    #[test]
    fn page_header_with_and_without_actions() {
        let h = page_header("Contratos", Some("1.204 en total"), html! {}).into_string();
        assert!(h.contains("<h1>Contratos</h1>"));
        assert!(h.contains("1.204 en total"));
        assert!(!h.contains("page-actions"));
        let h = page_header(
            "Contratos",
            None,
            link_button("/contratos/nuevo", "Nuevo contrato", true),
        )
        .into_string();
        assert!(h.contains("page-actions"));
        assert!(h.contains("href=\"/contratos/nuevo\""));
    }

    #[test]
    fn breadcrumbs_last_is_current() {
        let h = breadcrumbs(&[("Contratos", "/contratos"), ("C-001", "")]).into_string();
        assert!(h.contains("<a href=\"/contratos\">Contratos</a>"));
        assert!(h.contains("<span aria-current=\"page\">C-001</span>"));
    }

    #[test]
    fn stat_tile_links() {
        let h = stat_tile("Fijo", "120", Some("/contratos?modalidad=fijo")).into_string();
        assert!(h.contains("<a class=\"stat-tile\" href=\"/contratos?modalidad=fijo\">"));
        assert!(h.contains("120"));
    }
}
