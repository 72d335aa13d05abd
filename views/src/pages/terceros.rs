//! Terceros: arrendatarios (tenants) and proveedores (suppliers). List with search and kind
//! filter, detail with their contracts, and the register / edit form.

use arriendo_events::{TerceroData, TerceroKind};
use maud::{Markup, html};

use super::catalogos::{ContractRow, Paging, contracts_table};
use super::conflicto::stale_panel;
use crate::components::{
    Column, Detail, Field, FormErrors, Tone, badge, breadcrumbs, card, csrf_field, detail_list,
    empty_state, error_summary_with, fieldset, form_actions, link_button, page_header,
    required_note, select_field, table_head, table_wrap, text_field,
};
use crate::layout::{PageContext, page};

/// `Arrendatario` / `Proveedor`.
pub fn kind_label(kind: TerceroKind) -> &'static str {
    match kind {
        TerceroKind::Arrendatario => "Arrendatario",
        TerceroKind::Proveedor => "Proveedor",
    }
}

/// The stored slug (`arrendatario` | `proveedor`).
pub fn kind_slug(kind: TerceroKind) -> &'static str {
    match kind {
        TerceroKind::Arrendatario => "arrendatario",
        TerceroKind::Proveedor => "proveedor",
    }
}

pub fn kind_from_slug(slug: &str) -> Option<TerceroKind> {
    match slug {
        "arrendatario" => Some(TerceroKind::Arrendatario),
        "proveedor" => Some(TerceroKind::Proveedor),
        _ => None,
    }
}

const KINDS: &[(&str, &str)] = &[("arrendatario", "Arrendatario"), ("proveedor", "Proveedor")];

/// One row of the list (from `rm_terceros`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerceroRow {
    pub id: String,
    /// As shown: `900.123.456-8`.
    pub nit: String,
    pub razon_social: String,
    pub kind: TerceroKind,
}

/// The list page: rows of the current page, the filters as given, and the paging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerceroList {
    pub rows: Vec<TerceroRow>,
    pub q: String,
    pub tipo: String,
    pub paging: Paging,
    pub can_write: bool,
}

pub fn list_page(ctx: &PageContext, list: &TerceroList) -> Markup {
    let actions = if list.can_write {
        link_button("/terceros/nuevo", "Nuevo tercero", true)
    } else {
        html! {}
    };
    let cols = [
        Column::new("NIT"),
        Column::new("Razón social"),
        Column::new("Tipo"),
    ];
    page(
        ctx,
        "Terceros",
        html! {
            (page_header("Terceros", Some(&list.paging.count("tercero", "terceros")), actions))
            form.filters method="get" action="/terceros" role="search" {
                (text_field(&Field::new("q", "Buscar").value(&list.q).input_type("search").placeholder("NIT o razón social")))
                (select_field(&Field::new("tipo", "Tipo").value(&list.tipo).placeholder("Todos"), KINDS))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            @if list.rows.is_empty() {
                (empty_state("No hay terceros con esos filtros."))
            } @else {
                (table_wrap("Terceros", table_head(&cols, None, &list.paging.query), html! {
                    tbody {
                        @for t in &list.rows {
                            tr {
                                td.nowrap { (t.nit) }
                                th scope="row" { a href={ "/terceros/" (t.id) } { (t.razon_social) } }
                                td { (badge(Tone::Neutral, kind_label(t.kind))) }
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
    data: &TerceroData,
    contracts: &[ContractRow],
    can_write: bool,
) -> Markup {
    let actions = if can_write {
        link_button(&format!("/terceros/{id}/editar"), "Editar", false)
    } else {
        html! {}
    };
    let email = data
        .supervisor_email
        .as_ref()
        .map(|e| html! { a href={ "mailto:" (e.as_str()) } { (e.as_str()) } })
        .unwrap_or_default();
    page(
        ctx,
        &data.razon_social,
        html! {
            (breadcrumbs(&[("Terceros", "/terceros"), (&data.razon_social, "")]))
            (page_header(&data.razon_social, Some(kind_label(data.kind)), actions))
            (card(Some("Datos"), detail_list(&[
                Detail::new("NIT", data.nit.to_string()),
                Detail::new("Razón social", data.razon_social.as_str()),
                Detail::new("Tipo", kind_label(data.kind)),
                Detail::new("Representante legal", data.legal_representative.as_deref().unwrap_or("")),
                Detail::new("Supervisor", data.supervisor_name.as_deref().unwrap_or("")),
                Detail::new("Correo del supervisor", email),
            ])))
            (card(Some("Contratos"), contracts_table("Contratos del tercero", contracts)))
        },
    )
}

/// The form as typed (or as stored, when editing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerceroForm {
    pub nit: String,
    pub razon_social: String,
    pub tipo: String,
    pub representante: String,
    pub supervisor: String,
    pub correo: String,
    pub errors: FormErrors,
    /// The tercero's version the form was filled from (hidden field; empty when registering).
    pub version: String,
    /// After a conflict: the values stored now, shown above the user's input.
    pub current: Option<Box<TerceroForm>>,
}

impl TerceroForm {
    pub fn from_data(data: &TerceroData) -> TerceroForm {
        TerceroForm {
            nit: data.nit.to_string(),
            razon_social: data.razon_social.clone(),
            tipo: kind_slug(data.kind).to_string(),
            representante: data.legal_representative.clone().unwrap_or_default(),
            supervisor: data.supervisor_name.clone().unwrap_or_default(),
            correo: data
                .supervisor_email
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            errors: FormErrors::new(),
            version: String::new(),
            current: None,
        }
    }
}

/// Register (`editing: None`) or edit (`Some((id, razón social))`).
pub fn form_page(ctx: &PageContext, form: &TerceroForm, editing: Option<(&str, &str)>) -> Markup {
    let (title, action, cancel) = match editing {
        Some((id, _)) => (
            "Editar tercero".to_string(),
            format!("/terceros/{id}"),
            format!("/terceros/{id}"),
        ),
        None => (
            "Nuevo tercero".to_string(),
            "/terceros".to_string(),
            "/terceros".to_string(),
        ),
    };
    let e = &form.errors;
    page(
        ctx,
        &title,
        html! {
            @match editing {
                Some((id, name)) => (breadcrumbs(&[("Terceros", "/terceros"), (name, &format!("/terceros/{id}")), ("Editar", "")])),
                None => (breadcrumbs(&[("Terceros", "/terceros"), ("Nuevo", "")])),
            }
            (page_header(&title, None, html! {}))
            @if let Some(now) = &form.current {
                (stale_panel("El tercero cambió mientras lo editaba", &[
                    Detail::new("NIT", now.nit.as_str()),
                    Detail::new("Tipo", kind_from_slug(&now.tipo).map(kind_label).unwrap_or_default()),
                    Detail::new("Razón social", now.razon_social.as_str()),
                    Detail::new("Representante legal", now.representante.as_str()),
                    Detail::new("Nombre del supervisor", now.supervisor.as_str()),
                    Detail::new("Correo del supervisor", now.correo.as_str()),
                ]))
            }
            form.form method="post" action=(action) novalidate {
                (error_summary_with(e, tercero_label))
                (csrf_field(&ctx.csrf_token))
                @if editing.is_some() {
                    input type="hidden" name="version" value=(form.version);
                }
                (required_note())
                (fieldset("Identificación", html! {
                    div.form-grid {
                        (text_field(&Field::new("nit", "NIT").value(&form.nit).required().hint("Con o sin puntos y dígito de verificación: 900.123.456-8 o 900123456").errors(e)))
                        (select_field(&Field::new("tipo", "Tipo").value(&form.tipo).placeholder("Seleccione…").required().errors(e), KINDS))
                        (text_field(&Field::new("razon_social", "Razón social").value(&form.razon_social).required().errors(e)))
                        (text_field(&Field::new("representante", "Representante legal").value(&form.representante).errors(e)))
                    }
                }))
                (fieldset("Supervisión", html! {
                    div.form-grid {
                        (text_field(&Field::new("supervisor", "Nombre del supervisor").value(&form.supervisor).errors(e)))
                        (text_field(&Field::new("correo", "Correo del supervisor").value(&form.correo).input_type("email").errors(e)))
                    }
                }))
                (form_actions(if editing.is_some() { "Guardar cambios" } else { "Registrar tercero" }, Some(&cancel)))
            }
        },
    )
}
/// The label the error summary puts before a tercero-form message.
pub fn tercero_label(name: &str) -> Option<String> {
    let labels = [
        ("nit", "NIT"),
        ("tipo", "Tipo"),
        ("razon_social", "Razón social"),
        ("representante", "Representante legal"),
        ("supervisor", "Nombre del supervisor"),
        ("correo", "Correo del supervisor"),
    ];
    labels
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
}
