//! What a user typed in a form, by field name: kept as typed so a form with errors (or a conflict)
//! shows it again exactly. Handlers receive it with `Form<Vec<(String, String)>>`.

use std::collections::BTreeMap;

use maud::{Markup, html};

use crate::components::{Field, FormErrors, checkbox, money_field, number_field, percent_field};

/// The submitted (or prefilled) values of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues(BTreeMap<String, String>);

impl FormValues {
    pub fn new() -> FormValues {
        FormValues::default()
    }

    /// The pairs of a submitted form (the last value of a repeated name wins; `csrf_token` dropped).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> FormValues {
        FormValues(
            pairs
                .into_iter()
                .filter(|(k, _)| k != "csrf_token")
                .collect(),
        )
    }

    /// The value, trimmed; `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.trim())
    }

    /// A checkbox: present with any value but `false`.
    pub fn checked(&self, name: &str) -> bool {
        self.0
            .get(name)
            .is_some_and(|v| !v.is_empty() && v != "false")
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_string(), value.into());
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> FormValues {
        self.set(name, value);
        self
    }
}

/// The policy kinds the forms offer, as (field prefix, label). `otra` carries its own name.
pub const POLICY_KINDS: &[(&str, &str)] = &[
    ("cumplimiento", "Cumplimiento"),
    ("rce", "RCE (responsabilidad civil extracontractual)"),
    ("arrendamiento", "Arrendamiento"),
    ("todo_riesgo", "Todo riesgo"),
    ("otra", "Otra"),
];

/// The field names of one required-policy row: (required checkbox, minimum value, months, name).
pub fn policy_names(prefix: &str) -> [String; 4] {
    [
        format!("pol_{prefix}"),
        format!("pol_{prefix}_valor"),
        format!("pol_{prefix}_meses"),
        format!("pol_{prefix}_nombre"),
    ]
}

/// The RCE sub-limits of a required-policy row as (field suffix, label), in the order of
/// `arriendo_events::RceSublimits::entries`.
pub const RCE_SUBLIMITS: [(&str, &str); 7] = [
    ("predios", "Predios, labores y operaciones"),
    ("patronal", "Responsabilidad patronal"),
    ("medicos", "Gastos médicos"),
    ("vehiculos", "Vehículos propios y no propios"),
    ("contratistas", "Contratistas y subcontratistas"),
    ("extrapatrimoniales", "Daños extrapatrimoniales y morales"),
    ("lucro", "Lucro cesante"),
];

/// The cumplimiento / arrendamiento cover of a required-policy row as (field suffix, label), in
/// the order of `arriendo_events::CumplimientoCover::entries`.
pub const COVERS: [(&str, &str); 4] = [
    ("canon", "Cánones de arrendamiento"),
    ("servicios", "Servicios públicos"),
    ("iva", "IVA"),
    ("administracion", "Cuota de administración"),
];

/// The field names of the RCE sub-limits of a row: `pol_rce_medicos`…
pub fn rce_sublimit_names(prefix: &str) -> [String; 7] {
    RCE_SUBLIMITS.map(|(suffix, _)| format!("pol_{prefix}_{suffix}"))
}

/// The field names of the cumplimiento / arrendamiento cover of a row: `pol_cumplimiento_iva`…
pub fn cover_names(prefix: &str) -> [String; 4] {
    COVERS.map(|(suffix, _)| format!("pol_{prefix}_{suffix}"))
}

/// Whether a policy kind of the forms carries RCE sub-limits.
pub fn has_sublimits(prefix: &str) -> bool {
    prefix == "rce"
}

/// Whether a policy kind of the forms carries the cumplimiento / arrendamiento cover.
pub fn has_cover(prefix: &str) -> bool {
    matches!(prefix, "cumplimiento" | "arrendamiento")
}

/// The label of a required-policy or adjustment field, as the error summary names it
/// ("RCE (responsabilidad civil extracontractual) · Valor asegurado mínimo").
pub fn shared_label(name: &str) -> Option<String> {
    let adjustment = [
        ("ajuste_indice", "Índice de ajuste"),
        ("ajuste_puntos", "Puntos sobre el IPC o % del incremento"),
        ("ajuste_fecha", "Fecha del ajuste"),
        ("ajuste_dia", "Día del ajuste"),
        ("ajuste_mes", "Mes del ajuste"),
    ];
    if let Some((_, label)) = adjustment.iter().find(|(n, _)| *n == name) {
        return Some((*label).to_string());
    }
    let (kind, suffix) = POLICY_KINDS.iter().find_map(|(prefix, label)| {
        let rest = name.strip_prefix("pol_")?.strip_prefix(prefix)?;
        Some((label, rest.strip_prefix('_').unwrap_or(rest)))
    })?;
    let part = match suffix {
        "" => None,
        "valor" => Some("Valor asegurado mínimo"),
        "meses" => Some("Meses de cobertura tras el fin"),
        "nombre" => Some("Nombre de la póliza"),
        other => RCE_SUBLIMITS
            .iter()
            .chain(COVERS.iter())
            .find(|(s, _)| *s == other)
            .map(|(_, l)| *l),
    };
    Some(match part {
        Some(part) => format!("Póliza {kind} · {part}"),
        None => format!("Póliza {kind}"),
    })
}

/// A collapsible group of optional money fields (open when the row is required, a value is typed
/// or a field has an error), so it works without JavaScript.
fn money_group(
    v: &FormValues,
    errors: &FormErrors,
    title: &str,
    names: &[String],
    labels: &[&str],
    required: bool,
) -> Markup {
    let open = required
        || names
            .iter()
            .any(|n| !v.get(n).is_empty() || errors.get(n).is_some());
    html! {
        details.fieldset.policy-extras open[open] {
            summary { (title) }
            p.muted.small { "Opcional: deje vacío lo que el contrato no exige." }
            div.form-grid {
                @for (name, label) in names.iter().zip(labels) {
                    (money_field(&Field::new(name, label).value(v.get(name)).errors(errors)))
                }
            }
        }
    }
}

/// The required-policy rows of the contract and Otro Sí forms, with the RCE sub-limits and the
/// cumplimiento / arrendamiento cover under their kind.
pub fn policy_fields(v: &FormValues, errors: &FormErrors) -> Markup {
    html! {
        @for (prefix, label) in POLICY_KINDS {
            @let [req, valor, meses, nombre] = policy_names(prefix);
            div.grid-4 {
                (checkbox(&Field::new(&req, label).errors(errors), v.checked(&req)))
                @if *prefix == "otra" {
                    (crate::components::text_field(&Field::new(&nombre, "Nombre de la póliza").value(v.get(&nombre)).errors(errors)))
                }
                (money_field(&Field::new(&valor, "Valor asegurado mínimo").value(v.get(&valor)).errors(errors)))
                (number_field(&Field::new(&meses, "Meses de cobertura tras el fin").value(v.get(&meses)).errors(errors), Some(0), Some(120)))
            }
            @if has_sublimits(prefix) {
                @let labels = RCE_SUBLIMITS.map(|(_, l)| l);
                (money_group(v, errors, "Sublímites RCE exigidos", &rce_sublimit_names(prefix), &labels, v.checked(&req)))
            }
            @if has_cover(prefix) {
                @let labels = COVERS.map(|(_, l)| l);
                @let title = format!("Coberturas exigidas ({})", label.to_lowercase());
                (money_group(v, errors, &title, &cover_names(prefix), &labels, v.checked(&req)))
            }
        }
    }
}

/// The adjustment fields shared by the contract and Otro Sí forms.
pub fn adjustment_fields(v: &FormValues, errors: &FormErrors, none_label: &str) -> Markup {
    use crate::components::select_field;
    html! {
        div.form-grid {
            (select_field(&Field::new("ajuste_indice", "Índice de ajuste").value(v.get("ajuste_indice")).placeholder(none_label).errors(errors),
                &[("ipc", "IPC + puntos"), ("salario_minimo", "% del incremento del salario mínimo")]))
            (percent_field(&Field::new("ajuste_puntos", "Puntos sobre el IPC o % del incremento").value(v.get("ajuste_puntos"))
                .hint("IPC: puntos adicionales (p. ej. 2). Salario mínimo: % del incremento (p. ej. 100).").errors(errors)))
            (select_field(&Field::new("ajuste_fecha", "Fecha del ajuste").value(v.get("ajuste_fecha")).placeholder(none_label).errors(errors),
                &[("aniversario", "Aniversario del inicio"), ("fija", "Fecha fija cada año")]))
            (number_field(&Field::new("ajuste_dia", "Día (fecha fija)").value(v.get("ajuste_dia")).errors(errors), Some(1), Some(31)))
            (number_field(&Field::new("ajuste_mes", "Mes (fecha fija)").value(v.get("ajuste_mes")).errors(errors), Some(1), Some(12)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_checkboxes() {
        let v = FormValues::from_pairs(vec![
            ("canon".into(), " 12.500.000 ".into()),
            ("prorroga".into(), "true".into()),
            ("csrf_token".into(), "x".into()),
        ]);
        assert_eq!(v.get("canon"), "12.500.000");
        assert!(v.checked("prorroga"));
        assert!(!v.checked("otro"));
        assert_eq!(v.get("csrf_token"), "");
        let html = policy_fields(&v, &FormErrors::new()).into_string();
        assert!(html.contains("name=\"pol_rce_valor\""));
        assert!(html.contains("name=\"pol_otra_nombre\""));
        assert!(html.contains("name=\"pol_rce_medicos\""));
        assert!(html.contains("name=\"pol_arrendamiento_iva\""));
        assert!(!html.contains("name=\"pol_todo_riesgo_iva\""));
        assert!(!html.contains("<details class=\"fieldset policy-extras\" open"));
    }

    #[test]
    fn shared_fields_have_labels_for_the_summary() {
        assert_eq!(
            shared_label("pol_rce_valor").as_deref(),
            Some("Póliza RCE (responsabilidad civil extracontractual) · Valor asegurado mínimo")
        );
        assert_eq!(
            shared_label("pol_todo_riesgo_meses").as_deref(),
            Some("Póliza Todo riesgo · Meses de cobertura tras el fin")
        );
        assert_eq!(
            shared_label("pol_cumplimiento_iva").as_deref(),
            Some("Póliza Cumplimiento · IVA")
        );
        assert_eq!(
            shared_label("ajuste_dia").as_deref(),
            Some("Día del ajuste")
        );
        assert_eq!(shared_label("canon"), None);
    }

    #[test]
    fn sublimits_and_cover_prefilled_open_and_with_errors() {
        let v = FormValues::new()
            .with("pol_rce", "true")
            .with("pol_rce_medicos", "20.000.000")
            .with("pol_cumplimiento_canon", "abc");
        let mut errors = FormErrors::new();
        errors.add(
            "pol_cumplimiento_canon",
            "«abc» no es un valor en pesos válido.",
        );
        let html = policy_fields(&v, &errors).into_string();
        assert!(html.contains("value=\"20.000.000\""), "{html}");
        assert!(html.contains("Gastos médicos"));
        assert!(html.contains("value=\"abc\""));
        assert!(html.contains("id=\"campo-pol_cumplimiento_canon-error\""));
        assert!(html.contains("no es un valor en pesos válido"));
        // RCE (required) and cumplimiento (an error) open; arrendamiento closed.
        assert_eq!(
            html.matches("<details class=\"fieldset policy-extras\" open")
                .count(),
            2
        );
    }
}
