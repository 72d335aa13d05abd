//! The contract form (`/contratos/nuevo`, `/contratos/{id}/editar`): fijo, variable puro and
//! híbrido, grace period, yearly adjustment and required policies. Values are kept as typed.

use maud::{Markup, html};

use crate::components::{
    Field, FormErrors, breadcrumbs, checkbox, csrf_field, date_field, error_summary_with, fieldset,
    form_actions, money_field, number_field, page_header, percent_field, required_note,
    select_field, text_field, textarea,
};
use crate::pages::form_values::{FormValues, adjustment_fields, policy_fields, shared_label};
use crate::{PageContext, page};

/// A conflict: someone else changed the contract while the user edited it.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The current state, rendered (e.g. the terms in force).
    pub current: Markup,
}

/// The message a conflict shows above the form.
pub const CONFLICT_MESSAGE: &str = "El contrato cambió mientras lo editaba. Revise su estado actual \
     (abajo) y vuelva a guardar: lo que usted escribió se conserva.";

/// Renders the conflict box (nothing without a conflict).
pub fn conflict_box(conflict: Option<&Conflict>) -> Markup {
    html! {
        @if let Some(c) = conflict {
            div.error-summary role="alert" #conflicto {
                h2 { "El contrato cambió mientras lo editaba" }
                p { (CONFLICT_MESSAGE) }
                details open {
                    summary { "Estado actual del contrato" }
                    (c.current)
                }
            }
        }
    }
}

/// Everything the contract form needs.
#[derive(Debug, Clone)]
pub struct ContratoFormPage<'a> {
    /// `None` for a new contract.
    pub contract: Option<(&'a str, &'a str)>,
    pub values: &'a FormValues,
    pub errors: &'a FormErrors,
    /// (id, label) of the terceros.
    pub terceros: &'a [(String, String)],
    /// (id, label) of the locales.
    pub locales: &'a [(String, String)],
    /// (id, label) of the types offered: the active tipos de contrato and de servicio, and the
    /// contract's own type even when inactive.
    pub types: &'a [(String, String)],
    pub conflict: Option<Conflict>,
}

/// The labels of the contract form's own fields, as the error summary names them.
const LABELS: &[(&str, &str)] = &[
    ("numero", "Número del contrato"),
    ("clase", "Clase"),
    ("tercero", "Arrendatario / proveedor"),
    ("local", "Local"),
    ("tipo", "Tipo de contrato o de servicio"),
    ("objeto", "Objeto / destinación"),
    ("fecha_firma", "Fecha de firma"),
    ("fecha_inicio", "Fecha de inicio"),
    ("duracion_meses", "Duración inicial"),
    ("fecha_fin", "Fecha de terminación"),
    ("preaviso_dias", "Días de preaviso"),
    (
        "terminacion_dias",
        "Días de aviso de terminación anticipada",
    ),
    ("prorroga", "Prórroga automática"),
    ("modalidad", "Modalidad"),
    ("canon", "Canon mensual o mínimo garantizado"),
    ("porcentaje", "Porcentaje de las ventas"),
    ("dia_informe", "Día de entrega del informe de ventas"),
    ("gracia_desde", "Gracia desde"),
    ("gracia_hasta", "Gracia hasta"),
    ("gracia_canon", "Canon durante la gracia"),
    ("gracia_condicion", "Condición de la gracia"),
    ("clausula_penal", "Cláusula penal"),
    ("interes_mora", "Intereses de mora"),
    ("documento_url", "Enlace al documento firmado"),
    ("motivo", "Motivo del cambio"),
];

/// The label the error summary puts before a contract-form message.
pub fn contract_label(name: &str) -> Option<String> {
    LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
        .or_else(|| shared_label(name))
}

fn options(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// The contract form page.
pub fn contrato_form_page(ctx: &PageContext, f: &ContratoFormPage<'_>) -> Markup {
    let v = f.values;
    let e = f.errors;
    let (title, action, cancel) = match f.contract {
        Some((id, number)) => (
            format!("Editar contrato {number}"),
            format!("/contratos/{id}/editar"),
            format!("/contratos/{id}"),
        ),
        None => (
            "Nuevo contrato".to_string(),
            "/contratos".to_string(),
            "/contratos".to_string(),
        ),
    };
    let terceros = options(f.terceros);
    let locales = options(f.locales);
    let types = options(f.types);
    let crumbs: Vec<(&str, &str)> = match f.contract {
        Some((_, number)) => vec![
            ("Contratos", "/contratos"),
            (number, cancel.as_str()),
            ("Editar", ""),
        ],
        None => vec![("Contratos", "/contratos"), ("Nuevo", "")],
    };
    let body = html! {
        (breadcrumbs(&crumbs))
        (page_header(&title, None, html! {}))
        (conflict_box(f.conflict.as_ref()))
        form.form method="post" action=(action) novalidate {
            (error_summary_with(e, contract_label))
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="version" value=(v.get("version"));
            (required_note())
            (fieldset("Datos generales", html! {
                div.form-grid {
                    (text_field(&Field::new("numero", "Número del contrato").value(v.get("numero")).required().errors(e)))
                    (select_field(&Field::new("clase", "Clase").value(v.get("clase")).required().errors(e),
                        &[("cliente", "Cliente (arrendamos un local)"), ("proveedor", "Proveedor (compramos un servicio)")]))
                    (select_field(&Field::new("tercero", "Arrendatario / proveedor").value(v.get("tercero")).placeholder("Seleccione…").required().errors(e), &terceros))
                    (select_field(&Field::new("local", "Local").value(v.get("local")).placeholder("Sin local").errors(e), &locales))
                    (select_field(&Field::new("tipo", "Tipo de contrato o de servicio").value(v.get("tipo")).placeholder("Sin tipo").hint("Tipo de contrato para contratos de cliente; tipo de servicio para contratos de proveedor.").errors(e), &types))
                }
                (textarea(&Field::new("objeto", "Objeto / destinación").value(v.get("objeto")).required().errors(e), 2))
            }))
            (fieldset("Vigencia", html! {
                div.form-grid {
                    (date_field(&Field::new("fecha_firma", "Fecha de firma").value(v.get("fecha_firma")).required().errors(e)))
                    (date_field(&Field::new("fecha_inicio", "Fecha de inicio").value(v.get("fecha_inicio")).required().errors(e)))
                    (number_field(&Field::new("duracion_meses", "Duración inicial (meses)").value(v.get("duracion_meses")).required().errors(e), Some(1), Some(600)))
                    (date_field(&Field::new("fecha_fin", "Fecha de terminación").value(v.get("fecha_fin")).hint("Vacía: se calcula con la fecha de inicio y la duración.").errors(e)))
                    (number_field(&Field::new("preaviso_dias", "Días de preaviso de no renovación").value(v.get("preaviso_dias")).hint("60 si se deja vacío").errors(e), Some(0), Some(3650)))
                    (number_field(&Field::new("terminacion_dias", "Días de aviso de terminación anticipada").value(v.get("terminacion_dias")).hint("60 si se deja vacío").errors(e), Some(0), Some(3650)))
                }
                (checkbox(&Field::new("prorroga", "Prórroga automática").errors(e), v.checked("prorroga")))
            }))
            (fieldset("Modalidad de pago", html! {
                div.form-grid {
                    (select_field(&Field::new("modalidad", "Modalidad").value(v.get("modalidad")).required().errors(e),
                        &[("fijo", "Fijo"), ("variable", "Variable puro"), ("hibrido", "Híbrido")]))
                    (money_field(&Field::new("canon", "Canon mensual o mínimo garantizado").value(v.get("canon"))
                        .hint("Fijo: canon. Híbrido: mínimo garantizado. Variable puro: vacío.").errors(e)))
                    (percent_field(&Field::new("porcentaje", "Porcentaje de las ventas").value(v.get("porcentaje"))
                        .hint("Variable puro e híbrido.").errors(e)))
                    (number_field(&Field::new("dia_informe", "Día de entrega del informe de ventas").value(v.get("dia_informe"))
                        .hint("Variable puro e híbrido, 1 a 28.").errors(e), Some(1), Some(28)))
                }
            }))
            (fieldset("Ajuste anual del canon", adjustment_fields(v, e, "Sin ajuste pactado")))
            (fieldset("Periodo de gracia", html! {
                div.form-grid {
                    (date_field(&Field::new("gracia_desde", "Desde").value(v.get("gracia_desde")).errors(e)))
                    (date_field(&Field::new("gracia_hasta", "Hasta").value(v.get("gracia_hasta")).errors(e)))
                    (money_field(&Field::new("gracia_canon", "Canon durante la gracia").value(v.get("gracia_canon")).hint("0 si no se cobra").errors(e)))
                }
                (textarea(&Field::new("gracia_condicion", "Condición").value(v.get("gracia_condicion")).errors(e), 2))
            }))
            (fieldset("Pólizas requeridas", policy_fields(v, e)))
            (fieldset("Cláusulas", html! {
                (textarea(&Field::new("clausula_penal", "Cláusula penal").value(v.get("clausula_penal")).errors(e), 2))
                (textarea(&Field::new("interes_mora", "Intereses de mora").value(v.get("interes_mora")).errors(e), 2))
                (text_field(&Field::new("documento_url", "Enlace al documento firmado").value(v.get("documento_url")).input_type("url").errors(e)))
            }))
            @if f.contract.is_some() {
                (fieldset("Motivo del cambio", html! {
                    (textarea(&Field::new("motivo", "Motivo").value(v.get("motivo")).required()
                        .hint("Por qué cambian los términos (por ejemplo, «corrección del preaviso pactado en la cláusula 5»). Queda en el historial del contrato.").errors(e), 2))
                }))
            }
            (form_actions(if f.contract.is_some() { "Guardar cambios" } else { "Crear contrato" }, Some(&cancel)))
        }
    };
    page(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_and_shows_errors_beside_fields() {
        let values = FormValues::new()
            .with("numero", "CT-100")
            .with("canon", "12.500.000")
            .with("modalidad", "hibrido")
            .with("prorroga", "true")
            .with("version", "4");
        let mut errors = FormErrors::new();
        errors.add("porcentaje", "«abc» no es un porcentaje válido");
        let terceros = vec![("t1".to_string(), "Café Andino S.A.S.".to_string())];
        let html = contrato_form_page(
            &PageContext::default(),
            &ContratoFormPage {
                contract: Some(("c1", "CT-100")),
                values: &values,
                errors: &errors,
                terceros: &terceros,
                locales: &[],
                types: &[],
                conflict: Some(Conflict {
                    current: html! { p { "canon actual" } },
                }),
            },
        )
        .into_string();
        assert!(html.contains("value=\"12.500.000\""));
        assert!(html.contains("id=\"campo-porcentaje-error\""));
        assert!(html.contains("no es un porcentaje válido"));
        assert!(html.contains("<option value=\"hibrido\" selected>"));
        assert!(html.contains("action=\"/contratos/c1/editar\""));
        assert!(html.contains("name=\"version\" value=\"4\""));
        assert!(html.contains("El contrato cambió mientras lo editaba"));
        assert!(html.contains("canon actual"));
        assert!(html.contains("Café Andino S.A.S."));
        // The summary names the field of each message.
        assert!(html.contains("<a href=\"#campo-porcentaje\">Porcentaje de las ventas: «abc» no es un porcentaje válido</a>"));
    }

    #[test]
    fn every_field_of_the_form_has_a_label_for_the_summary() {
        let html = contrato_form_page(
            &PageContext::default(),
            &ContratoFormPage {
                contract: None,
                values: &FormValues::new(),
                errors: &FormErrors::new(),
                terceros: &[],
                locales: &[],
                types: &[],
                conflict: None,
            },
        )
        .into_string();
        let start = html.find("<form class=\"form\"").unwrap_or(0);
        let end = html[start..]
            .find("</form>")
            .map_or(html.len(), |e| start + e);
        let names: Vec<&str> = html[start..end]
            .split("name=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|n| !matches!(*n, "csrf_token" | "version"))
            .collect();
        assert!(names.len() > 40, "{names:?}");
        for name in names {
            assert!(contract_label(name).is_some(), "no label for {name}");
        }
    }
}
