//! The póliza form (register and edit): kind, number, insurer, insured value, RCE sub-limits and
//! cumplimiento cover (shown open for those kinds), validity, state, the document that required
//! it and the colchón.

use arriendo_events::{
    CumplimientoCover, PolicyKind, PolicyRequirement, Poliza, PolizaState, RceSublimits, RequiredBy,
};
use maud::{Markup, html};

use super::conflicto::stale_panel;
use crate::components::{
    Column, Detail, Field, FormErrors, breadcrumbs, card, csrf_field, date_field,
    error_summary_with, fieldset, form_actions, labels, money_field, number_field, page_header,
    required_note, select_field, table_head, table_wrap, text_field,
};
use crate::format;
use crate::layout::{PageContext, page};

/// The kinds of the form: `(slug, label)`.
pub const KINDS: &[(&str, &str)] = &[
    ("cumplimiento", "Cumplimiento"),
    ("rce", "RCE (responsabilidad civil extracontractual)"),
    ("arrendamiento", "Arrendamiento"),
    ("todo_riesgo", "Todo riesgo"),
    ("otra", "Otra"),
];

pub const STATES: &[(&str, &str)] = &[
    ("aporte_inicial", "Aporte inicial"),
    ("actualizacion", "Actualización"),
    ("prorroga", "Prórroga"),
];

/// The slug of a kind in the form and the filters.
pub fn kind_slug(kind: &PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Cumplimiento => "cumplimiento",
        PolicyKind::Rce => "rce",
        PolicyKind::Arrendamiento => "arrendamiento",
        PolicyKind::TodoRiesgo => "todo_riesgo",
        PolicyKind::Otra(_) => "otra",
    }
}

/// The kind from the form (`otra` takes its name from `other`).
pub fn kind_from_slug(slug: &str, other: &str) -> Option<PolicyKind> {
    match slug {
        "cumplimiento" => Some(PolicyKind::Cumplimiento),
        "rce" => Some(PolicyKind::Rce),
        "arrendamiento" => Some(PolicyKind::Arrendamiento),
        "todo_riesgo" => Some(PolicyKind::TodoRiesgo),
        "otra" if !other.trim().is_empty() => Some(PolicyKind::Otra(other.trim().to_string())),
        _ => None,
    }
}

pub fn state_label(state: PolizaState) -> &'static str {
    match state {
        PolizaState::AporteInicial => "Aporte inicial",
        PolizaState::Actualizacion => "Actualización",
        PolizaState::Prorroga => "Prórroga",
    }
}

pub fn state_slug(state: PolizaState) -> &'static str {
    match state {
        PolizaState::AporteInicial => "aporte_inicial",
        PolizaState::Actualizacion => "actualizacion",
        PolizaState::Prorroga => "prorroga",
    }
}

pub fn state_from_slug(slug: &str) -> Option<PolizaState> {
    match slug {
        "aporte_inicial" => Some(PolizaState::AporteInicial),
        "actualizacion" => Some(PolizaState::Actualizacion),
        "prorroga" => Some(PolizaState::Prorroga),
        _ => None,
    }
}

/// The form names of the RCE sub-limits, in the order of [`RceSublimits::entries`].
pub const RCE_FIELDS: [&str; 7] = [
    "rce_predios",
    "rce_patronal",
    "rce_medicos",
    "rce_vehiculos",
    "rce_contratistas",
    "rce_extrapatrimoniales",
    "rce_lucro",
];

/// The form names of the cumplimiento cover, in the order of [`CumplimientoCover::entries`].
pub const COVER_FIELDS: [&str; 4] = [
    "cum_canon",
    "cum_servicios",
    "cum_iva",
    "cum_administracion",
];

/// The label of every field of the form, so each line of the error summary names its field.
const LABELS: &[(&str, &str)] = &[
    ("tipo", "Tipo"),
    ("tipo_otra", "Nombre del tipo"),
    ("numero", "Número de póliza"),
    ("aseguradora", "Aseguradora"),
    ("valor_asegurado", "Valor asegurado"),
    ("vigencia_desde", "Vigente desde"),
    ("vigencia_hasta", "Vigente hasta"),
    ("estado", "Estado"),
    ("exigida_por", "Exigida por"),
    ("colchon", "Colchón (meses)"),
];

/// The label of a field, as the form shows it (sub-limits and cover by their entry's name).
fn poliza_label(name: &str) -> Option<String> {
    if let Some(i) = RCE_FIELDS.iter().position(|f| *f == name) {
        return Some(capitalize(RceSublimits::default().entries()[i].0));
    }
    if let Some(i) = COVER_FIELDS.iter().position(|f| *f == name) {
        return Some(capitalize(CumplimientoCover::default().entries()[i].0));
    }
    labels(LABELS)(name)
}

/// The form as typed (or as stored, when editing). Money values are kept as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolizaForm {
    pub tipo: String,
    pub tipo_otra: String,
    pub numero: String,
    pub aseguradora: String,
    pub valor_asegurado: String,
    /// In the order of [`RCE_FIELDS`].
    pub rce: [String; 7],
    /// In the order of [`COVER_FIELDS`].
    pub cobertura: [String; 4],
    pub vigencia_desde: String,
    pub vigencia_hasta: String,
    pub estado: String,
    pub exigida_por: String,
    pub colchon: String,
    pub errors: FormErrors,
    /// The póliza's version the form was filled from (hidden field; empty when registering).
    pub version: String,
    /// After a conflict: the values stored now, shown above the user's input.
    pub current: Option<Box<PolizaForm>>,
}

fn money_text(value: Option<arriendo_events::Money>) -> String {
    value
        .map(|m| format::money_input(m.pesos()))
        .unwrap_or_default()
}

impl PolizaForm {
    pub fn from_poliza(p: &Poliza) -> PolizaForm {
        let d = &p.data;
        let rce = d.rce_sublimits.unwrap_or_default().entries();
        let cover = d.cumplimiento_cover.unwrap_or_default().entries();
        PolizaForm {
            tipo: kind_slug(&d.kind).to_string(),
            tipo_otra: match &d.kind {
                PolicyKind::Otra(name) => name.clone(),
                _ => String::new(),
            },
            numero: d.number.clone(),
            aseguradora: d.insurer.clone(),
            valor_asegurado: format::money_input(d.insured_value.pesos()),
            rce: rce.map(|(_, v)| money_text(v)),
            cobertura: cover.map(|(_, v)| money_text(v)),
            vigencia_desde: format::date_input(d.validity.from()),
            vigencia_hasta: format::date_input(d.validity.to()),
            estado: state_slug(d.state).to_string(),
            exigida_por: required_by_value(d.required_by),
            colchon: d.colchon_months.to_string(),
            errors: FormErrors::new(),
            version: String::new(),
            current: None,
        }
    }
}

/// `contrato`, `OS-2`, `RA-1`.
pub fn required_by_value(required_by: RequiredBy) -> String {
    required_by.to_string()
}

/// The context of the form: which contract, which documents may require it, and what the
/// contract requires today.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolizaFormContext {
    pub contract_id: String,
    pub contract_number: String,
    /// `(value, label)`: `("contrato", "Contrato")`, `("OS-2", "OS-2 (aprobado)")`…
    pub documents: Vec<(String, String)>,
    /// The required policies in force today, for reference.
    pub requirements: Vec<PolicyRequirement>,
    /// `Some(id)` when editing.
    pub editing: Option<String>,
}

fn requirements_table(requirements: &[PolicyRequirement]) -> Markup {
    let cols = [
        Column::new("Tipo"),
        Column::new("Valor mínimo").numeric(),
        Column::new("Meses de cobertura").numeric(),
        Column::new("Sublímites / coberturas"),
    ];
    html! {
        @if requirements.is_empty() {
            p.muted { "El contrato no exige pólizas." }
        } @else {
            (table_wrap("Pólizas exigidas", table_head(&cols, None, ""), html! {
                tbody {
                    @for r in requirements {
                        tr {
                            th scope="row" { (r.kind.to_string()) }
                            td.num { (r.minimum_insured.to_string()) }
                            td.num { (r.months_of_cover) }
                            td {
                                @let extras = requirement_extras(r);
                                @if extras.is_empty() { span.muted { "—" } } @else { (extras) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// The required sub-limits and cover of a requirement, in words.
pub fn requirement_extras(r: &PolicyRequirement) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &r.rce_sublimits {
        for (label, v) in s.entries() {
            if let Some(v) = v {
                parts.push(format!("{label}: {v}"));
            }
        }
    }
    if let Some(c) = &r.cumplimiento_cover {
        for (label, v) in c.entries() {
            if let Some(v) = v {
                parts.push(format!("{label}: {v}"));
            }
        }
    }
    parts.join("; ")
}

fn sublimit_fields(form: &PolizaForm) -> Markup {
    let e = &form.errors;
    let labels = RceSublimits::default().entries();
    html! {
        details.fieldset open[form.tipo == "rce"] {
            summary { "Sublímites RCE" }
            div.form-grid {
                @for (i, (label, _)) in labels.iter().enumerate() {
                    @let title = capitalize(label);
                    (money_field(&Field::new(RCE_FIELDS[i], &title).value(&form.rce[i]).errors(e)))
                }
            }
        }
    }
}

fn cover_fields(form: &PolizaForm) -> Markup {
    let e = &form.errors;
    let labels = CumplimientoCover::default().entries();
    html! {
        details.fieldset open[form.tipo == "cumplimiento" || form.tipo == "arrendamiento"] {
            summary { "Coberturas de cumplimiento / arrendamiento" }
            div.form-grid {
                @for (i, (label, _)) in labels.iter().enumerate() {
                    @let title = capitalize(label);
                    (money_field(&Field::new(COVER_FIELDS[i], &title).value(&form.cobertura[i]).errors(e)))
                }
            }
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The stored values a conflict shows, with the labels of the form.
fn current_values(now: &PolizaForm) -> Vec<Detail<'static>> {
    let label = |options: &[(&'static str, &'static str)], slug: &str| {
        options
            .iter()
            .find(|(s, _)| *s == slug)
            .map_or_else(|| slug.to_string(), |(_, l)| (*l).to_string())
    };
    let kind = if now.tipo == "otra" {
        now.tipo_otra.clone()
    } else {
        label(KINDS, &now.tipo)
    };
    vec![
        Detail::new("Tipo", kind),
        Detail::new("Número de póliza", now.numero.clone()),
        Detail::new("Aseguradora", now.aseguradora.clone()),
        Detail::new("Valor asegurado", now.valor_asegurado.clone()),
        Detail::new("Vigente desde", now.vigencia_desde.clone()),
        Detail::new("Vigente hasta", now.vigencia_hasta.clone()),
        Detail::new("Estado", label(STATES, &now.estado)),
        Detail::new("Exigida por", now.exigida_por.clone()),
        Detail::new("Colchón (meses)", now.colchon.clone()),
    ]
}

pub fn form_page(ctx: &PageContext, form: &PolizaForm, fc: &PolizaFormContext) -> Markup {
    let id = &fc.contract_id;
    let (title, action, cancel) = match &fc.editing {
        Some(pid) => (
            "Editar póliza".to_string(),
            format!("/polizas/{pid}"),
            format!("/polizas/{pid}"),
        ),
        None => (
            format!("Registrar póliza · {}", fc.contract_number),
            format!("/contratos/{id}/polizas/nueva"),
            format!("/polizas?contrato={id}"),
        ),
    };
    let documents: Vec<(&str, &str)> = fc
        .documents
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str()))
        .collect();
    let e = &form.errors;
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Pólizas", "/polizas"), (&fc.contract_number, &format!("/contratos/{id}")), (if fc.editing.is_some() { "Editar póliza" } else { "Registrar póliza" }, "")]))
            (page_header(&title, Some(&format!("Contrato {}", fc.contract_number)), html! {}))
            @if let Some(now) = &form.current {
                (stale_panel("La póliza cambió mientras la editaba", &current_values(now)))
            }
            (card(Some("Lo que exige el contrato hoy"), requirements_table(&fc.requirements)))
            form.form method="post" action=(action) novalidate {
                (error_summary_with(e, poliza_label))
                (csrf_field(&ctx.csrf_token))
                @if fc.editing.is_some() {
                    input type="hidden" name="version" value=(form.version);
                }
                (required_note())
                (fieldset("Póliza", html! {
                    div.form-grid {
                        (select_field(&Field::new("tipo", "Tipo").value(&form.tipo).placeholder("Seleccione…").required().errors(e), KINDS))
                        (text_field(&Field::new("tipo_otra", "Nombre del tipo (si es «Otra»)").value(&form.tipo_otra).errors(e)))
                        (text_field(&Field::new("numero", "Número de póliza").value(&form.numero).required().errors(e)))
                        (text_field(&Field::new("aseguradora", "Aseguradora").value(&form.aseguradora).required().errors(e)))
                        (money_field(&Field::new("valor_asegurado", "Valor asegurado").value(&form.valor_asegurado).required().errors(e)))
                    }
                }))
                (sublimit_fields(form))
                (cover_fields(form))
                (fieldset("Vigencia y origen", html! {
                    div.form-grid {
                        (date_field(&Field::new("vigencia_desde", "Vigente desde").value(&form.vigencia_desde).required().errors(e)))
                        (date_field(&Field::new("vigencia_hasta", "Vigente hasta").value(&form.vigencia_hasta).required().errors(e)))
                        (select_field(&Field::new("estado", "Estado").value(&form.estado).required().errors(e), STATES))
                        (select_field(&Field::new("exigida_por", "Exigida por").value(&form.exigida_por).required().hint("El documento cuya exigencia cubre esta póliza.").errors(e), &documents))
                        (number_field(&Field::new("colchon", "Colchón (meses)").value(&form.colchon).hint("Adelanta el vencimiento efectivo; 0 si no aplica.").errors(e), Some(0), Some(24)))
                    }
                }))
                (form_actions(if fc.editing.is_some() { "Guardar cambios" } else { "Registrar póliza" }, Some(&cancel)))
            }
        },
    )
}
