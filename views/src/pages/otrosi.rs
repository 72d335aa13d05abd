//! Otro Sí pages: the form (draft and edit) and the detail page with the workflow buttons. Each
//! shows what the Otro Sí changes against the terms in force on its own start date (without it).

use arriendo_events::{AdjustmentRule, OtroSi, OtroSiChanges, OtroSiStatus, PaymentModality};
use arriendo_projections::ContratoVigente;
use arriendo_projections::history::modality_phrase;
use maud::{Markup, html};

use crate::components::{
    Detail, Field, FormErrors, Tone, badge, breadcrumbs, card, csrf_field, date_field, detail_list,
    error_summary_with, fieldset, form_actions, money_field, number_field, page_header,
    percent_field, post_button, required_note, select_field, state_badge, table_wrap, textarea,
};
use crate::pages::contrato_form::{Conflict, conflict_box};
use crate::pages::contrato_terms::{adjustment_text, policies_text, vigente_details};
use crate::pages::form_values::{FormValues, adjustment_fields, policy_fields, shared_label};
use crate::{PageContext, format, page};

fn src(s: Option<String>) -> Markup {
    html! { @if let Some(s) = s { " " span.source-tag { "modificado por " (s) } } @else { " " span.muted.small { "(contrato original)" } } }
}

/// One row per field the Otro Sí changes: field, value in force on `v.date` (and its document),
/// new value. Give it the terms in force on the Otro Sí's start date without it.
pub fn changes_table(changes: &OtroSiChanges, v: &ContratoVigente) -> Markup {
    let in_force_header = format!("Vigente el {}", format::date(v.date));
    use crate::pages::contrato_terms::source_of;
    let mut rows: Vec<(&str, Markup, String)> = Vec::new();
    if let Some(m) = &changes.modality {
        rows.push((
            "Modalidad",
            html! { (modality_phrase(&v.modality.value)) (src(source_of(&v.modality))) },
            modality_phrase(m),
        ));
    }
    if let Some(c) = changes.canon {
        let current = v.fixed_amount();
        rows.push((
            "Canon mensual",
            html! { @if let Some(cur) = current { (cur.value.to_string()) (src(source_of(cur))) } @else { "—" } },
            c.to_string(),
        ));
    }
    if let Some(m) = changes.minimum {
        rows.push((
            "Mínimo garantizado",
            html! { @if let Some(cur) = &v.minimum { (cur.value.to_string()) (src(source_of(cur))) } @else { "—" } },
            m.to_string(),
        ));
    }
    if let Some(p) = changes.percentage {
        rows.push((
            "Porcentaje de ventas",
            html! { @if let Some(cur) = &v.percentage { (cur.value.to_string()) (src(source_of(cur))) } @else { "—" } },
            p.to_string(),
        ));
    }
    if let Some(e) = changes.end_date {
        rows.push((
            "Fecha de terminación",
            html! { (format::date(v.end_date.value)) (src(source_of(&v.end_date))) },
            format::date(e),
        ));
    }
    if let Some(dm) = changes.duration_months {
        rows.push((
            "Duración (meses)",
            html! { (v.duration_months.value) (src(source_of(&v.duration_months))) },
            dm.to_string(),
        ));
    }
    if changes.adjustment_index.is_some() || changes.adjustment_on.is_some() {
        let current = v.adjustment.as_ref().map(|a| a.value);
        let new = match (current, changes.adjustment_index) {
            (Some(c), index) => Some(AdjustmentRule {
                index: index.unwrap_or(c.index),
                on: changes.adjustment_on.unwrap_or(c.on),
            }),
            (None, Some(index)) => Some(AdjustmentRule {
                index,
                on: changes
                    .adjustment_on
                    .unwrap_or(arriendo_events::AdjustmentDate::Anniversary),
            }),
            (None, None) => None,
        };
        let new = new.map_or_else(
            || "fecha de ajuste sin índice pactado".to_string(),
            |r| adjustment_text(&r),
        );
        rows.push((
            "Ajuste anual",
            html! { @if let Some(a) = &v.adjustment { (adjustment_text(&a.value)) (src(source_of(a))) } @else { "Sin ajuste pactado" } },
            new,
        ));
    }
    let policies = changes.required_policies.as_ref();
    html! {
        @if rows.is_empty() && policies.is_none() {
            p.muted { "No cambia ningún término." }
        } @else {
            (table_wrap("Cambios frente a los términos vigentes", html! { thead { tr {
                th scope="col" { "Término" } th scope="col" { (in_force_header) } th scope="col" { "Con este Otro Sí" } } } },
                html! { tbody {
                    @for (label, current, new) in &rows {
                        tr { th scope="row" { (label) } td { (current) } td { strong { (new) } } }
                    }
                    @if let Some(p) = policies {
                        tr { th scope="row" { "Pólizas requeridas" }
                            td { (policies_text(&v.required_policies.value)) (src(source_of(&v.required_policies))) }
                            td { strong { (policies_text(p)) } } }
                    }
                } }))
        }
    }
}

/// The state of an Otro Sí as a badge.
pub fn status_badge(s: OtroSiStatus) -> Markup {
    state_badge(match s {
        OtroSiStatus::Borrador => "Borrador",
        OtroSiStatus::EnRevision => "En revisión",
        OtroSiStatus::Aprobado => "Aprobado",
        OtroSiStatus::Rechazado => "Rechazado",
    })
}

/// The Otro Sí form page (draft or edit).
#[derive(Debug, Clone)]
pub struct OtroSiFormPage<'a> {
    pub contract_id: &'a str,
    pub contract_number: &'a str,
    /// `Some(n)` when editing `OS-n`.
    pub number: Option<u32>,
    pub values: &'a FormValues,
    pub errors: &'a FormErrors,
    pub vigente: &'a ContratoVigente,
    pub tercero_name: &'a str,
    pub local_name: Option<&'a str>,
    /// When editing: what the saved draft changes, shown against the terms in force.
    pub saved: Option<&'a OtroSiChanges>,
    /// The terms the saved draft is compared with: those in force on its start date without it.
    pub before: &'a ContratoVigente,
    pub conflict: Option<Conflict>,
}

/// The amount fields that apply: those of the modality chosen in the form, else of the modality
/// in force (a híbrido contract has a minimum and a share of sales, never a canon).
fn amount_fields(v: &FormValues, e: &FormErrors, in_force: &PaymentModality) -> Markup {
    let (canon, minimum, percentage) = match v.get("modalidad") {
        "fijo" => (true, false, false),
        "variable" => (false, false, true),
        "hibrido" => (false, true, true),
        _ => match in_force {
            PaymentModality::Fijo { .. } => (true, false, false),
            PaymentModality::VariablePuro { .. } => (false, false, true),
            PaymentModality::Hibrido { .. } => (false, true, true),
        },
    };
    html! {
        @if canon { (money_field(&Field::new("canon", "Nuevo canon mensual").value(v.get("canon")).errors(e))) }
        @if minimum { (money_field(&Field::new("minimo", "Nuevo mínimo garantizado").value(v.get("minimo")).errors(e))) }
        @if percentage { (percent_field(&Field::new("porcentaje", "Nuevo porcentaje de ventas").value(v.get("porcentaje")).errors(e))) }
    }
}

/// The labels of the Otro Sí form's own fields, as the error summary names them.
pub fn otrosi_label(name: &str) -> Option<String> {
    let own = [
        ("vigencia_desde", "Vigente desde"),
        ("vigencia_hasta", "Vigente hasta"),
        ("descripcion", "Descripción"),
        ("modalidad", "Nueva modalidad"),
        ("canon", "Nuevo canon mensual"),
        ("minimo", "Nuevo mínimo garantizado"),
        ("porcentaje", "Nuevo porcentaje de ventas"),
        ("fecha_fin", "Nueva fecha de terminación"),
        ("duracion_meses", "Nueva duración"),
        ("cambia_polizas", "Pólizas requeridas"),
        ("motivo", "Motivo del rechazo"),
    ];
    own.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
        .or_else(|| shared_label(name))
}

pub fn otrosi_form_page(ctx: &PageContext, f: &OtroSiFormPage<'_>) -> Markup {
    let v = f.values;
    let e = f.errors;
    let contract_href = format!("/contratos/{}", f.contract_id);
    let (title, action, cancel) = match f.number {
        Some(n) => (
            format!("Editar OS-{n} del contrato {}", f.contract_number),
            format!("{contract_href}/otrosi/{n}/editar"),
            format!("{contract_href}/otrosi/{n}"),
        ),
        None => (
            format!("Nuevo Otro Sí del contrato {}", f.contract_number),
            format!("{contract_href}/otrosi"),
            contract_href.clone(),
        ),
    };
    let body = html! {
        (breadcrumbs(&[("Contratos", "/contratos"), (f.contract_number, &contract_href), ("Otro Sí", "")]))
        (page_header(&title, Some("Deje vacío lo que no cambia: solo se modifican los campos que llene."), html! {}))
        (conflict_box(f.conflict.as_ref()))
        div.grid-2 {
            form.form method="post" action=(action) novalidate {
                (error_summary_with(e, otrosi_label))
                (csrf_field(&ctx.csrf_token))
                input type="hidden" name="version" value=(v.get("version"));
                (required_note())
                (fieldset("Vigencia del Otro Sí", html! {
                    div.form-grid {
                        (date_field(&Field::new("vigencia_desde", "Vigente desde").value(v.get("vigencia_desde")).required().errors(e)))
                        (date_field(&Field::new("vigencia_hasta", "Vigente hasta (opcional)").value(v.get("vigencia_hasta")).errors(e)))
                    }
                    (textarea(&Field::new("descripcion", "Descripción").value(v.get("descripcion")).errors(e), 2))
                }))
                (fieldset("Canon y modalidad", html! {
                    div.form-grid {
                        (select_field(&Field::new("modalidad", "Nueva modalidad").value(v.get("modalidad")).placeholder("Sin cambio")
                            .hint("Para cambiar la modalidad, elíjala y guarde: el formulario pedirá los valores de la nueva.").errors(e),
                            &[("fijo", "Fijo"), ("variable", "Variable puro"), ("hibrido", "Híbrido")]))
                        (amount_fields(v, e, &f.before.modality.value))
                    }
                }))
                (fieldset("Plazo", html! {
                    div.form-grid {
                        (date_field(&Field::new("fecha_fin", "Nueva fecha de terminación").value(v.get("fecha_fin")).errors(e)))
                        (number_field(&Field::new("duracion_meses", "Nueva duración (meses)").value(v.get("duracion_meses")).errors(e), Some(1), Some(600)))
                    }
                }))
                (fieldset("Ajuste anual", adjustment_fields(v, e, "Sin cambio")))
                (fieldset("Pólizas requeridas", html! {
                    (crate::components::checkbox(&Field::new("cambia_polizas", "Este Otro Sí cambia las pólizas requeridas (reemplaza la lista)").errors(e), v.checked("cambia_polizas")))
                    (policy_fields(v, e))
                }))
                (form_actions(if f.number.is_some() { "Guardar borrador" } else { "Crear borrador" }, Some(&cancel)))
            }
            div.stack {
                @if let Some(saved) = f.saved {
                    (card(Some("Lo que cambia el borrador guardado"), changes_table(saved, f.before)))
                }
                (card(Some("Términos vigentes hoy"), vigente_details(f.vigente, f.tercero_name, f.local_name, true)))
            }
        }
    };
    page(ctx, &title, body)
}

/// The Otro Sí detail page.
#[derive(Debug, Clone)]
pub struct OtroSiDetail<'a> {
    pub contract_id: &'a str,
    pub contract_number: &'a str,
    pub otro_si: &'a OtroSi,
    pub vigente: &'a ContratoVigente,
    /// The terms in force on the Otro Sí's start date without it: what it changes.
    pub before: &'a ContratoVigente,
    pub tercero_name: &'a str,
    pub local_name: Option<&'a str>,
    pub is_last: bool,
    pub contract_open: bool,
    pub can_write: bool,
    pub is_admin: bool,
    pub errors: &'a FormErrors,
}

pub fn otrosi_page(ctx: &PageContext, d: &OtroSiDetail<'_>) -> Markup {
    let o = d.otro_si;
    let token = ctx.csrf_token.as_str();
    let contract_href = format!("/contratos/{}", d.contract_id);
    let base = format!("{contract_href}/otrosi/{}", o.number.0);
    let title = format!("{} del contrato {}", o.number, d.contract_number);
    let info = [
        Detail::new("Estado", status_badge(o.status)),
        Detail::new(
            "Vigencia",
            html! { "desde " (format::date(o.effective_from)) @if let Some(to) = o.effective_to { " hasta " (format::date(to)) } },
        ),
        Detail::new("Descripción", o.description.as_str()),
        Detail::new("Redactado por", o.drafted_by.as_str()),
        Detail::new("Enviado por", o.submitted_by.clone().unwrap_or_default()),
        Detail::new("Decidido por", o.decided_by.clone().unwrap_or_default()),
    ];
    let open = d.contract_open;
    let body = html! {
        (breadcrumbs(&[("Contratos", "/contratos"), (d.contract_number, &contract_href), (&o.number.to_string(), "")]))
        (page_header(&title, None, html! {}))
        (error_summary_with(d.errors, otrosi_label))
        @if let Some(r) = &o.rejection_reason { p { (badge(Tone::Danger, "Rechazado")) " Motivo: " (r) } }
        div.grid-2 {
            (card(Some("Otro Sí"), detail_list(&info)))
            (card(Some(&format!("Qué cambia frente a lo vigente el {}", format::date(o.effective_from))), changes_table(&o.changes, d.before)))
        }
        div.section.cluster {
            @if d.can_write && open && o.status == OtroSiStatus::Borrador {
                a.btn.btn-secondary href={ (base) "/editar" } { "Editar" }
                (post_button(&format!("{base}/enviar"), token, "Enviar a revisión", "btn-primary", None))
            }
            @if d.is_admin && open && o.status == OtroSiStatus::EnRevision {
                (post_button(&format!("{base}/aprobar"), token, "Aprobar…", "btn-primary", None))
            }
            @if d.can_write && open && d.is_last && o.status != OtroSiStatus::Aprobado {
                (post_button(&format!("{base}/eliminar"), token, "Eliminar", "btn-danger", Some("¿Eliminar este Otro Sí?")))
            }
            @if o.status == OtroSiStatus::EnRevision && !d.is_admin {
                p.muted { "Un administrador debe aprobarlo o rechazarlo." }
            }
        }
        @if d.is_admin && open && o.status == OtroSiStatus::EnRevision {
            div.section { (card(Some("Rechazar"), html! {
                form.form method="post" action={ (base) "/rechazar" } {
                    (csrf_field(token))
                    (textarea(&Field::new("motivo", "Motivo del rechazo").required().errors(d.errors), 2))
                    button.btn.btn-danger type="submit" { "Rechazar" }
                }
            })) }
        }
        div.section { (card(Some("Términos vigentes hoy"), vigente_details(d.vigente, d.tercero_name, d.local_name, true))) }
    };
    page(ctx, &title, body)
}

#[cfg(test)]
pub(crate) mod tests;
