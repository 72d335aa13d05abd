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

/// The required-policy rows of the contract and Otro Sí forms.
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
    }
}
