//! `/contratos/{id}/clausulas`: the clause checklist of one contract (which clauses of the catalog
//! it contains), the mandatory ones it lacks, and the history of every checklist recorded.

use maud::{Markup, html};

use crate::components::{
    FormErrors, Tone, badge, breadcrumbs, card, csrf_field, empty_state, error_summary,
    form_actions, page_header,
};
use crate::layout::{PageContext, page};

/// One clause of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistRow {
    pub id: String,
    pub title: String,
    pub category: String,
    pub present: bool,
    pub mandatory: bool,
    pub active: bool,
}

/// One recorded checklist: who, when, what it added and removed (titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistChangeRow {
    /// As shown: `31/12/2025 14:05`.
    pub when: String,
    pub by: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChecklistPage {
    pub contract_id: String,
    pub number: String,
    /// `Tipo de contrato: BODEGAS`, or empty.
    pub type_line: String,
    pub rows: Vec<ChecklistRow>,
    /// Titles of the mandatory clauses the checklist lacks.
    pub missing: Vec<String>,
    pub version: String,
    pub history: Vec<ChecklistChangeRow>,
    pub can_write: bool,
    pub errors: FormErrors,
    /// Whether the checklist was ever recorded.
    pub recorded: bool,
}

fn missing_panel(data: &ChecklistPage) -> Markup {
    html! {
        @if data.missing.is_empty() {
            @if data.recorded {
                div.flash.flash-exito role="status" { "El contrato tiene todas las cláusulas obligatorias." }
            }
        } @else {
            div.error-summary role="alert" #faltantes {
                h2 {
                    @if data.missing.len() == 1 { "Falta 1 cláusula obligatoria" }
                    @else { "Faltan " (data.missing.len()) " cláusulas obligatorias" }
                }
                p { "Puede guardar la lista sin completarla; el contrato quedará con la alerta «Cláusulas obligatorias faltantes» hasta que las tenga." }
                ul { @for title in &data.missing { li { (title) } } }
            }
        }
    }
}

fn checklist_form(ctx: &PageContext, data: &ChecklistPage) -> Markup {
    html! {
        form.form method="post" action={ "/contratos/" (data.contract_id) "/clausulas" } novalidate {
            (error_summary(&data.errors))
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="version" value=(data.version);
            @if data.rows.is_empty() {
                (empty_state("El catálogo aún no tiene cláusulas."))
            }
            @for r in &data.rows {
                div.check-row {
                    input.check type="checkbox" name="clausula" value=(r.id) id={ "clausula-" (r.id) }
                        checked[r.present] disabled[!data.can_write];
                    label for={ "clausula-" (r.id) } {
                        (r.title)
                        @if !r.category.is_empty() { " (" (r.category) ")" }
                        @if r.mandatory { " " (badge(if r.present { Tone::Ok } else { Tone::Danger }, "Obligatoria")) }
                        @if !r.active { " " (badge(Tone::Neutral, "Inactiva")) }
                    }
                }
            }
            @if data.can_write {
                (form_actions("Guardar lista de cláusulas", Some(&format!("/contratos/{}", data.contract_id))))
            }
        }
    }
}

fn history(data: &ChecklistPage) -> Markup {
    html! {
        @if data.history.is_empty() {
            (empty_state("La lista de cláusulas de este contrato nunca se ha registrado."))
        } @else {
            ol.timeline {
                @for h in data.history.iter().rev() {
                    li {
                        strong { (h.when) " — " (h.by) }
                        @if h.added.is_empty() && h.removed.is_empty() { p { "Sin cambios." } }
                        @if !h.added.is_empty() { p { "Agregó: " (h.added.join(", ")) } }
                        @if !h.removed.is_empty() { p { "Quitó: " (h.removed.join(", ")) } }
                    }
                }
            }
        }
    }
}

pub fn checklist_page(ctx: &PageContext, data: &ChecklistPage) -> Markup {
    let title = format!("Cláusulas del contrato {}", data.number);
    let back = format!("/contratos/{}", data.contract_id);
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Contratos", "/contratos"), (&data.number, &back), ("Cláusulas", "")]))
            (page_header(&title, (!data.type_line.is_empty()).then_some(data.type_line.as_str()), html! {}))
            (missing_panel(data))
            (card(Some("Lista de chequeo"), checklist_form(ctx, data)))
            (card(Some("Historial de cambios"), history(data)))
        },
    )
}
