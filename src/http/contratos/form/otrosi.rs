//! The Otro Sí form: only what is filled in changes; and an Otro Sí back into its form.

use super::*;

/// What an Otro Sí form says: (effective from, effective to, changes, description).
pub struct OtroSiInput {
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub changes: OtroSiChanges,
    pub description: String,
}

/// The Otro Sí of the form, or `None` with every error added (all of them, in one round).
/// `in_force` is the modality in force on its start date: without a change of modality, only the
/// amounts of that modality apply (a híbrido has a minimum and a share of sales, not a canon).
pub fn otrosi_from_form(
    v: &FormValues,
    errors: &mut FormErrors,
    contract_start: NaiveDate,
    in_force: Option<&PaymentModality>,
) -> Option<OtroSiInput> {
    let from = required(
        errors,
        "vigencia_desde",
        "desde cuándo rige",
        v.get("vigencia_desde"),
        parse_date,
    );
    let to = optional(
        errors,
        "vigencia_hasta",
        v.get("vigencia_hasta"),
        parse_date,
    );
    if from.is_some_and(|from| from < contract_start) {
        add_once(
            errors,
            "vigencia_desde",
            DomainError::OtroSiBeforeContractStart.to_string(),
        );
    }
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        add_once(
            errors,
            "vigencia_hasta",
            DomainError::EndNotAfterStart.to_string(),
        );
    }
    let canon = optional(errors, "canon", v.get("canon"), Money::parse);
    let minimum = optional(errors, "minimo", v.get("minimo"), Money::parse);
    let percentage = optional(errors, "porcentaje", v.get("porcentaje"), Percentage::parse);
    let end_date = optional(errors, "fecha_fin", v.get("fecha_fin"), parse_date);
    let duration = number_field(
        errors,
        "duracion_meses",
        v.get("duracion_meses"),
        "Indique un número de meses.",
    );
    let mut changes = OtroSiChanges {
        end_date,
        duration_months: duration.flatten(),
        ..OtroSiChanges::default()
    };
    match v.get("modalidad") {
        "" => {
            not_applicable(v, errors, in_force);
            changes.canon = canon;
            changes.minimum = minimum;
            changes.percentage = percentage;
        }
        "fijo" => match canon.or(minimum) {
            Some(canon) => changes.modality = Some(PaymentModality::Fijo { canon }),
            None => add_once(
                errors,
                "canon",
                "Indique el canon de la nueva modalidad fija.".into(),
            ),
        },
        "variable" => match percentage {
            Some(percentage) => {
                changes.modality = Some(PaymentModality::VariablePuro { percentage })
            }
            None => add_once(
                errors,
                "porcentaje",
                "Indique el porcentaje de la nueva modalidad.".into(),
            ),
        },
        "hibrido" => match (minimum.or(canon), percentage) {
            (Some(minimum), Some(percentage)) => {
                changes.modality = Some(PaymentModality::Hibrido {
                    minimum,
                    percentage,
                });
            }
            _ => add_once(
                errors,
                "minimo",
                "Indique el mínimo garantizado y el porcentaje de la nueva modalidad híbrida."
                    .into(),
            ),
        },
        // Any other value used to be read as "híbrido".
        _ => add_once(
            errors,
            "modalidad",
            "Elija una modalidad de la lista.".into(),
        ),
    }
    let (index, on) = adjustment(v, errors);
    changes.adjustment_index = index;
    changes.adjustment_on = on;
    if v.checked("cambia_polizas") {
        changes.required_policies = Some(policies(v, errors));
    }
    // The domain's rules run on what parsed, so their messages join the others; "changes
    // nothing" is only said when nothing failed to parse.
    if let Err(e) = changes.validate(contract_start)
        && (e != DomainError::EmptyOtroSi || errors.is_empty())
    {
        add_once(errors, field_for(&e), e.to_string());
    }
    if !errors.is_empty() {
        return None;
    }
    Some(OtroSiInput {
        effective_from: from?,
        effective_to: to,
        changes,
        description: v.get("descripcion").to_string(),
    })
}

/// Without a change of modality, an amount that the modality in force does not have is refused
/// beside its field (a canon on a híbrido contract would silently set its minimum).
fn not_applicable(v: &FormValues, errors: &mut FormErrors, in_force: Option<&PaymentModality>) {
    let Some(m) = in_force else {
        return;
    };
    let label = m.label().to_lowercase();
    if !v.get("canon").is_empty() && !matches!(m, PaymentModality::Fijo { .. }) {
        let instead = if matches!(m, PaymentModality::Hibrido { .. }) {
            "indique el nuevo mínimo garantizado"
        } else {
            "cambie la modalidad para fijar un canon"
        };
        add_once(
            errors,
            "canon",
            format!("El contrato es {label}: no tiene canon fijo; {instead}."),
        );
    }
    if !v.get("minimo").is_empty() && !matches!(m, PaymentModality::Hibrido { .. }) {
        add_once(
            errors,
            "minimo",
            format!(
                "El contrato es {label}: no tiene mínimo garantizado; cambie la modalidad a híbrido para fijarlo."
            ),
        );
    }
    if !v.get("porcentaje").is_empty() && !m.is_sales_based() {
        add_once(
            errors,
            "porcentaje",
            "El contrato es fijo: no tiene porcentaje de ventas; cambie la modalidad para fijarlo."
                .to_string(),
        );
    }
}

/// The form values of a stored Otro Sí (to edit it).
pub fn form_from_otrosi(o: &OtroSi) -> FormValues {
    let c = &o.changes;
    let mut v = FormValues::new()
        .with("vigencia_desde", iso(o.effective_from))
        .with(
            "vigencia_hasta",
            o.effective_to.map(iso).unwrap_or_default(),
        )
        .with("descripcion", o.description.clone());
    match c.modality {
        Some(PaymentModality::Fijo { canon }) => {
            v.set("modalidad", "fijo");
            v.set("canon", money_text(canon));
        }
        Some(PaymentModality::VariablePuro { percentage }) => {
            v.set("modalidad", "variable");
            v.set("porcentaje", format::decimal(percentage.as_decimal()));
        }
        Some(PaymentModality::Hibrido {
            minimum,
            percentage,
        }) => {
            v.set("modalidad", "hibrido");
            v.set("minimo", money_text(minimum));
            v.set("porcentaje", format::decimal(percentage.as_decimal()));
        }
        None => {}
    }
    if let Some(x) = c.canon {
        v.set("canon", money_text(x));
    }
    if let Some(x) = c.minimum {
        v.set("minimo", money_text(x));
    }
    if let Some(x) = c.percentage {
        v.set("porcentaje", format::decimal(x.as_decimal()));
    }
    if let Some(x) = c.end_date {
        v.set("fecha_fin", iso(x));
    }
    if let Some(x) = c.duration_months {
        v.set("duracion_meses", x.to_string());
    }
    put_adjustment(&mut v, c.adjustment_index, c.adjustment_on);
    if let Some(p) = &c.required_policies {
        v.set("cambia_polizas", "true");
        put_policies(&mut v, p);
    }
    v
}
