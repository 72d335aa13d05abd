//! Catálogos: the tipos de contrato, the tipos de servicio and the cláusulas (with where each is
//! mandatory), and their forms. Only administradores change them; everyone reads them.

use maud::{Markup, html};

use crate::components::{
    Column, Field, FormErrors, Tone, badge, breadcrumbs, card, checkbox, csrf_field, empty_state,
    error_summary, fieldset, form_actions, link_button, number_field, page_header, required_note,
    table_head, table_wrap, text_field, textarea,
};
use crate::layout::{PageContext, page};

/// One tipo de contrato or de servicio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRow {
    pub id: String,
    pub name: String,
    pub active: bool,
    /// Contracts that have it.
    pub contracts: i64,
}

/// One clause, with the scopes where it is mandatory as sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseRow {
    pub id: String,
    pub order: u32,
    pub title: String,
    pub category: String,
    pub active: bool,
    pub mandatory_in: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogPage {
    pub contract_types: Vec<TypeRow>,
    pub service_types: Vec<TypeRow>,
    pub clauses: Vec<ClauseRow>,
    pub can_admin: bool,
}

fn active_badge(active: bool) -> Markup {
    if active {
        badge(Tone::Ok, "Activo")
    } else {
        badge(Tone::Neutral, "Inactivo")
    }
}

fn types_table(
    (caption, new_label, slug): (&str, &str, &str),
    rows: &[TypeRow],
    can_admin: bool,
) -> Markup {
    let cols = [
        Column::new("Nombre"),
        Column::new("Estado"),
        Column::new("Contratos").numeric(),
    ];
    html! {
        @if can_admin {
            p { (link_button(&format!("/catalogos/tipos/nuevo?catalogo={slug}"), new_label, false)) }
        }
        @if rows.is_empty() {
            (empty_state("Aún no hay tipos registrados."))
        } @else {
            (table_wrap(caption, table_head(&cols, None, ""), html! {
                tbody {
                    @for t in rows {
                        tr {
                            th scope="row" {
                                @if can_admin {
                                    a href={ "/catalogos/tipos/" (t.id) "/editar" } { (t.name) }
                                } @else { (t.name) }
                            }
                            td { (active_badge(t.active)) }
                            td.num { a href={ "/contratos?tipo=" (t.id) } { (t.contracts) } }
                        }
                    }
                }
            }))
        }
    }
}

pub fn catalog_page(ctx: &PageContext, data: &CatalogPage) -> Markup {
    let cols = [
        Column::new("Orden").numeric(),
        Column::new("Cláusula"),
        Column::new("Categoría"),
        Column::new("Estado"),
        Column::new("Obligatoria en"),
    ];
    page(
        ctx,
        "Catálogos",
        html! {
            (page_header("Catálogos", Some("Tipos de contrato, tipos de servicio y cláusulas"), html! {}))
            (card(Some("Tipos de contrato (contratos de cliente)"), types_table(("Tipos de contrato", "Nuevo tipo de contrato", "contrato"), &data.contract_types, data.can_admin)))
            (card(Some("Tipos de servicio (contratos de proveedor)"), types_table(("Tipos de servicio", "Nuevo tipo de servicio", "servicio"), &data.service_types, data.can_admin)))
            (card(Some("Cláusulas"), html! {
                @if data.can_admin {
                    p { (link_button("/catalogos/clausulas/nueva", "Nueva cláusula", false)) }
                }
                @if data.clauses.is_empty() {
                    (empty_state("Aún no hay cláusulas registradas."))
                } @else {
                    (table_wrap("Cláusulas", table_head(&cols, None, ""), html! {
                        tbody {
                            @for c in &data.clauses {
                                tr {
                                    td.num { (c.order) }
                                    th scope="row" {
                                        @if data.can_admin {
                                            a href={ "/catalogos/clausulas/" (c.id) "/editar" } { (c.title) }
                                        } @else { (c.title) }
                                    }
                                    td { (c.category) }
                                    td { (active_badge(c.active)) }
                                    td {
                                        @if c.mandatory_in.is_empty() { "—" }
                                        @else { (c.mandatory_in.join("; ")) }
                                    }
                                }
                            }
                        }
                    }))
                }
            }))
            p.hint {
                "El IPC y el salario mínimo, y sus periodicidades (anual o en una fecha específica), \
                 son fijos en Arriendo: se eligen en el formulario del contrato y no son un catálogo."
            }
        },
    )
}

/// The form of a type: register (no id) or edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeForm {
    /// `tipo de contrato` or `tipo de servicio`.
    pub what: String,
    /// `contrato` or `servicio` (register only).
    pub catalog_slug: String,
    pub nombre: String,
    pub activo: bool,
    pub version: String,
    pub errors: FormErrors,
    /// `Some(id)` when editing.
    pub editing: Option<String>,
}

pub fn type_form_page(ctx: &PageContext, form: &TypeForm) -> Markup {
    let title = match &form.editing {
        Some(_) => format!("Editar {}", form.what),
        None => format!("Nuevo {}", form.what),
    };
    let action = match &form.editing {
        Some(id) => format!("/catalogos/tipos/{id}"),
        None => "/catalogos/tipos".to_string(),
    };
    let e = &form.errors;
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Catálogos", "/catalogos"), (&title, "")]))
            (page_header(&title, None, html! {}))
            form.form method="post" action=(action) novalidate {
                (error_summary(e))
                (csrf_field(&ctx.csrf_token))
                @if form.editing.is_some() {
                    input type="hidden" name="version" value=(form.version);
                } @else {
                    input type="hidden" name="catalogo" value=(form.catalog_slug);
                }
                (required_note())
                div.form-grid {
                    (text_field(&Field::new("nombre", "Nombre").value(&form.nombre).required().errors(e)))
                    @if form.editing.is_some() {
                        (checkbox(&Field::new("activo", "Activo").hint("Un tipo inactivo ya no se ofrece en el formulario del contrato; los contratos que lo tienen lo siguen mostrando.").errors(e), form.activo))
                    }
                }
                (form_actions(if form.editing.is_some() { "Guardar cambios" } else { "Registrar" }, Some("/catalogos")))
            }
        },
    )
}

/// One scope the clause form offers: the value sent, its label, whether it is ticked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClauseForm {
    pub titulo: String,
    pub texto: String,
    pub categoria: String,
    pub orden: String,
    pub activa: bool,
    pub scopes: Vec<ScopeOption>,
    pub version: String,
    pub errors: FormErrors,
    pub editing: Option<String>,
}

pub fn clause_form_page(ctx: &PageContext, form: &ClauseForm) -> Markup {
    let title = if form.editing.is_some() {
        "Editar cláusula"
    } else {
        "Nueva cláusula"
    };
    let action = match &form.editing {
        Some(id) => format!("/catalogos/clausulas/{id}"),
        None => "/catalogos/clausulas".to_string(),
    };
    let e = &form.errors;
    page(
        ctx,
        title,
        html! {
            (breadcrumbs(&[("Catálogos", "/catalogos"), (title, "")]))
            (page_header(title, None, html! {}))
            form.form method="post" action=(action) novalidate {
                (error_summary(e))
                (csrf_field(&ctx.csrf_token))
                @if form.editing.is_some() {
                    input type="hidden" name="version" value=(form.version);
                }
                (required_note())
                div.form-grid {
                    (text_field(&Field::new("titulo", "Título").value(&form.titulo).required().errors(e)))
                    (text_field(&Field::new("categoria", "Categoría").value(&form.categoria).errors(e)))
                    (number_field(&Field::new("orden", "Orden").value(&form.orden).hint("Posición en las listas: menor primero.").errors(e), Some(0), Some(100_000)))
                    (checkbox(&Field::new("activa", "Activa").hint("Una cláusula inactiva no se exige ni se ofrece en listas nuevas.").errors(e), form.activa))
                }
                (textarea(&Field::new("texto", "Texto").value(&form.texto).errors(e), 6))
                (fieldset("Obligatoria en", html! {
                    @for s in &form.scopes {
                        div.check-row {
                            input.check type="checkbox" name="obligatoria" value=(s.value) id={ "obligatoria-" (s.value) } checked[s.checked];
                            label for={ "obligatoria-" (s.value) } { (s.label) }
                        }
                    }
                    @if let Some(message) = e.get("obligatoria") { p.field-error { (message) } }
                }))
                (form_actions(if form.editing.is_some() { "Guardar cambios" } else { "Registrar cláusula" }, Some("/catalogos")))
            }
        },
    )
}
