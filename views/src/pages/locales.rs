//! Locales (premises): list with search, detail with their contracts, register / edit form.

use arriendo_events::LocalData;
use maud::{Markup, html};

use super::catalogos::{ContractRow, Paging, contracts_table};
use super::conflicto::stale_panel;
use crate::components::{
    Column, Detail, Field, FormErrors, breadcrumbs, card, csrf_field, detail_list, empty_state,
    error_summary_with, form_actions, link_button, page_header, required_note, table_head,
    table_wrap, text_field,
};
use crate::format;
use crate::layout::{PageContext, page};

/// One row of the list (from `rm_locales`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRow {
    pub id: String,
    pub name: String,
    pub location: String,
    /// As shown: `120,5 m²`.
    pub area: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalList {
    pub rows: Vec<LocalRow>,
    pub q: String,
    pub paging: Paging,
    pub can_write: bool,
}

pub fn list_page(ctx: &PageContext, list: &LocalList) -> Markup {
    let actions = if list.can_write {
        link_button("/locales/nuevo", "Nuevo local", true)
    } else {
        html! {}
    };
    let cols = [
        Column::new("Nombre comercial"),
        Column::new("Ubicación"),
        Column::new("Área").numeric(),
    ];
    page(
        ctx,
        "Locales",
        html! {
            (page_header("Locales", Some(&list.paging.count("local", "locales")), actions))
            form.filters method="get" action="/locales" role="search" {
                (text_field(&Field::new("q", "Buscar").value(&list.q).input_type("search").placeholder("Nombre o ubicación")))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            @if list.rows.is_empty() {
                (empty_state("No hay locales con esos filtros."))
            } @else {
                (table_wrap("Locales", table_head(&cols, None, &list.paging.query), html! {
                    tbody {
                        @for l in &list.rows {
                            tr {
                                th scope="row" { a href={ "/locales/" (l.id) } { (l.name) } }
                                td { (l.location) }
                                td.num.nowrap { (l.area) }
                            }
                        }
                    }
                }))
                (list.paging.bar())
            }
        },
    )
}

pub fn detail_page(
    ctx: &PageContext,
    id: &str,
    data: &LocalData,
    contracts: &[ContractRow],
    can_write: bool,
) -> Markup {
    let actions = if can_write {
        link_button(&format!("/locales/{id}/editar"), "Editar", false)
    } else {
        html! {}
    };
    page(
        ctx,
        &data.name,
        html! {
            (breadcrumbs(&[("Locales", "/locales"), (&data.name, "")]))
            (page_header(&data.name, Some(&data.location), actions))
            (card(Some("Datos"), detail_list(&[
                Detail::new("Nombre comercial", data.name.as_str()),
                Detail::new("Ubicación", data.location.as_str()),
                Detail::new("Área", data.area_m2.to_string()),
            ])))
            (card(Some("Contratos"), contracts_table("Contratos del local", contracts)))
        },
    )
}

/// The form as typed (or as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalForm {
    pub nombre: String,
    pub ubicacion: String,
    pub area: String,
    pub errors: FormErrors,
    /// The local's version the form was filled from (hidden field; empty when registering).
    pub version: String,
    /// After a conflict: the values stored now, shown above the user's input.
    pub current: Option<Box<LocalForm>>,
}

impl LocalForm {
    pub fn from_data(data: &LocalData) -> LocalForm {
        LocalForm {
            nombre: data.name.clone(),
            ubicacion: data.location.clone(),
            area: format::decimal(data.area_m2.square_metres()),
            errors: FormErrors::new(),
            version: String::new(),
            current: None,
        }
    }
}

/// Register (`editing: None`) or edit (`Some((id, name))`).
pub fn form_page(ctx: &PageContext, form: &LocalForm, editing: Option<(&str, &str)>) -> Markup {
    let (title, action, cancel) = match editing {
        Some((id, _)) => (
            "Editar local",
            format!("/locales/{id}"),
            format!("/locales/{id}"),
        ),
        None => (
            "Nuevo local",
            "/locales".to_string(),
            "/locales".to_string(),
        ),
    };
    let e = &form.errors;
    page(
        ctx,
        title,
        html! {
            @match editing {
                Some((id, name)) => (breadcrumbs(&[("Locales", "/locales"), (name, &format!("/locales/{id}")), ("Editar", "")])),
                None => (breadcrumbs(&[("Locales", "/locales"), ("Nuevo", "")])),
            }
            (page_header(title, None, html! {}))
            @if let Some(now) = &form.current {
                (stale_panel("El local cambió mientras lo editaba", &[
                    Detail::new("Nombre comercial", now.nombre.as_str()),
                    Detail::new("Ubicación", now.ubicacion.as_str()),
                    Detail::new("Área (m²)", now.area.as_str()),
                ]))
            }
            form.form method="post" action=(action) novalidate {
                (error_summary_with(e, local_label))
                (csrf_field(&ctx.csrf_token))
                @if editing.is_some() {
                    input type="hidden" name="version" value=(form.version);
                }
                (required_note())
                div.form-grid {
                    (text_field(&Field::new("nombre", "Nombre comercial").value(&form.nombre).required().errors(e)))
                    (text_field(&Field::new("ubicacion", "Ubicación").value(&form.ubicacion).required().hint("Piso, bloque o número del local.").errors(e)))
                    (text_field(&Field::new("area", "Área (m²)").value(&form.area).required().hint("Por ejemplo 120,5").errors(e)))
                }
                (form_actions(if editing.is_some() { "Guardar cambios" } else { "Registrar local" }, Some(&cancel)))
            }
        },
    )
}
/// The label the error summary puts before a local-form message.
pub fn local_label(name: &str) -> Option<String> {
    let labels = [
        ("nombre", "Nombre comercial"),
        ("ubicacion", "Ubicación"),
        ("area", "Área (m²)"),
    ];
    labels
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
}
