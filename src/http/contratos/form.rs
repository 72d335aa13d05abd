//! From what people type to domain values and back: the contract form ([`ContractTerms`]) and the
//! Otro Sí form ([`OtroSiChanges`]). Every message goes beside its field.

use arriendo_events::{
    AdjustmentDate, AdjustmentIndex, AdjustmentRule, ContractKind, ContractTerms,
    CumplimientoCover, DateRange, DomainError, GracePeriod, Money, OtroSi, OtroSiChanges,
    PaymentModality, Percentage, PolicyKind, PolicyRequirement, RceSublimits, end_from_duration,
};
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::pages::form_values::{
    FormValues, POLICY_KINDS, cover_names, has_cover, has_sublimits, policy_names,
    rce_sublimit_names,
};
use chrono::NaiveDate;
use uuid::Uuid;

use super::reglas::{Pieces, add_once, between_fields};
use crate::http::respuestas::{optional, parse_date, required, sentence};

/// The field a domain refusal belongs beside (`""`: the whole form).
pub fn field_for(e: &DomainError) -> &'static str {
    match e {
        DomainError::ZeroCanon => "canon",
        DomainError::ZeroSalesPercentage => "porcentaje",
        DomainError::SalesReportDueDayRequired | DomainError::InvalidSalesReportDueDay => {
            "dia_informe"
        }
        DomainError::EndNotAfterStart | DomainError::OtroSiEndBeforeStart => "fecha_fin",
        DomainError::ZeroDuration => "duracion_meses",
        DomainError::GracePeriodOutsideContract => "gracia_desde",
        DomainError::InvalidAdjustmentDate { .. } => "ajuste_dia",
        DomainError::Required("objeto") => "objeto",
        DomainError::Required("número de contrato") | DomainError::ContractAlreadyExists(_) => {
            "numero"
        }
        DomainError::Required("condición del periodo de gracia") => "gracia_condicion",
        DomainError::OtroSiBeforeContractStart => "vigencia_desde",
        DomainError::OtroSiCanonWithVariable => "modalidad",
        DomainError::TerceroNotFound => "tercero",
        DomainError::LocalNotFound => "local",
        _ => e.field().map_or("", input_named),
    }
}

/// The input of the contract and Otro Sí forms for a field the domain names in Spanish
/// (bounds: too long, out of range, control characters).
fn input_named(label: &str) -> &'static str {
    match label {
        "número de contrato" => "numero",
        "objeto" => "objeto",
        "fecha de firma" => "fecha_firma",
        "fecha de inicio" => "fecha_inicio",
        "fecha final" => "fecha_fin",
        "duración en meses" => "duracion_meses",
        "preaviso" => "preaviso_dias",
        "aviso de terminación anticipada" => "terminacion_dias",
        "canon" => "canon",
        "mínimo garantizado" => "minimo",
        "periodo de gracia" => "gracia_desde",
        "canon del periodo de gracia" => "gracia_canon",
        "condición del periodo de gracia" => "gracia_condicion",
        "cláusula penal" => "clausula_penal",
        "interés de mora" => "interes_mora",
        "enlace al documento firmado" => "documento_url",
        "vigencia desde" => "vigencia_desde",
        "vigencia hasta" => "vigencia_hasta",
        "descripción" => "descripcion",
        _ => "",
    }
}

/// Adds a domain refusal beside its field.
pub fn add_refusal(errors: &mut FormErrors, e: &DomainError) {
    errors.add(field_for(e), sentence(&e.to_string()));
}

fn whole(text: &str) -> Result<u32, DomainError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| DomainError::InvalidMoney(text.to_string()))
}

fn number_field(
    errors: &mut FormErrors,
    field: &str,
    text: &str,
    message: &str,
) -> Option<Option<u32>> {
    if text.is_empty() {
        return Some(None);
    }
    match text.parse::<u32>() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            errors.add(field, message);
            None
        }
    }
}

fn uuid_of(text: &str) -> Result<Uuid, DomainError> {
    Uuid::parse_str(text).map_err(|_| DomainError::Required("tercero"))
}

/// The adjustment index and date of the form (`None` when left empty).
fn adjustment(
    v: &FormValues,
    errors: &mut FormErrors,
) -> (Option<AdjustmentIndex>, Option<AdjustmentDate>) {
    let points = optional(
        errors,
        "ajuste_puntos",
        v.get("ajuste_puntos"),
        Percentage::parse,
    );
    let index = match v.get("ajuste_indice") {
        "ipc" => Some(AdjustmentIndex::Ipc {
            points: points.unwrap_or_default(),
        }),
        "salario_minimo" => match points {
            Some(p) => Some(AdjustmentIndex::SalarioMinimo {
                percentage_of_increase: p,
            }),
            None => {
                if errors.get("ajuste_puntos").is_none() {
                    errors.add(
                        "ajuste_puntos",
                        "Indique qué porcentaje del incremento del salario mínimo se aplica.",
                    );
                }
                None
            }
        },
        "" => None,
        // A value the list does not offer was saved as "no adjustment": refuse it instead.
        _ => {
            errors.add("ajuste_indice", "Elija un índice de ajuste de la lista.");
            None
        }
    };
    let on = match v.get("ajuste_fecha") {
        "aniversario" => Some(AdjustmentDate::Anniversary),
        "fija" => {
            let day = number_field(
                errors,
                "ajuste_dia",
                v.get("ajuste_dia"),
                "Indique el día (1 a 31).",
            );
            let month = number_field(
                errors,
                "ajuste_mes",
                v.get("ajuste_mes"),
                "Indique el mes (1 a 12).",
            );
            match (day, month) {
                (Some(Some(day)), Some(Some(month))) => {
                    let on = AdjustmentDate::FixedDate { month, day };
                    match on.validate() {
                        Ok(()) => Some(on),
                        Err(e) => {
                            add_refusal(errors, &e);
                            None
                        }
                    }
                }
                _ => {
                    if errors.get("ajuste_dia").is_none() {
                        errors.add("ajuste_dia", "Indique el día y el mes del ajuste.");
                    }
                    None
                }
            }
        }
        "" => None,
        _ => {
            errors.add("ajuste_fecha", "Elija una fecha de ajuste de la lista.");
            None
        }
    };
    (index, on)
}

/// The optional amounts of `names` (each error beside its field).
fn amounts<const N: usize>(
    v: &FormValues,
    errors: &mut FormErrors,
    names: &[String; N],
) -> [Option<Money>; N] {
    names
        .each_ref()
        .map(|name| optional(errors, name, v.get(name), Money::parse))
}

/// The RCE sub-limits of a row (`None` when none is typed or the kind has none).
fn sublimits(v: &FormValues, errors: &mut FormErrors, prefix: &str) -> Option<RceSublimits> {
    if !has_sublimits(prefix) {
        return None;
    }
    let [
        premises_operations,
        employer_liability,
        medical_expenses,
        vehicles,
        contractors,
        non_material_damages,
        lost_profit,
    ] = amounts(v, errors, &rce_sublimit_names(prefix));
    let s = RceSublimits {
        premises_operations,
        employer_liability,
        medical_expenses,
        vehicles,
        contractors,
        non_material_damages,
        lost_profit,
    };
    s.entries().iter().any(|(_, m)| m.is_some()).then_some(s)
}

/// The cumplimiento / arrendamiento cover of a row (`None` when none is typed or the kind has
/// none).
fn cover(v: &FormValues, errors: &mut FormErrors, prefix: &str) -> Option<CumplimientoCover> {
    if !has_cover(prefix) {
        return None;
    }
    let [rent, utilities, vat, admin_fee] = amounts(v, errors, &cover_names(prefix));
    let c = CumplimientoCover {
        rent,
        utilities,
        vat,
        admin_fee,
    };
    c.entries().iter().any(|(_, m)| m.is_some()).then_some(c)
}

/// The required policies of the form.
fn policies(v: &FormValues, errors: &mut FormErrors) -> Vec<PolicyRequirement> {
    let mut out = Vec::new();
    for (prefix, _) in POLICY_KINDS {
        let [req, valor, meses, nombre] = policy_names(prefix);
        if !v.checked(&req) {
            continue;
        }
        let kind = match *prefix {
            "cumplimiento" => PolicyKind::Cumplimiento,
            "rce" => PolicyKind::Rce,
            "arrendamiento" => PolicyKind::Arrendamiento,
            "todo_riesgo" => PolicyKind::TodoRiesgo,
            _ => {
                if v.get(&nombre).is_empty() {
                    errors.add(&nombre, "Indique el nombre de la póliza.");
                    continue;
                }
                PolicyKind::Otra(v.get(&nombre).to_string())
            }
        };
        let value = required(
            errors,
            &valor,
            "el valor asegurado mínimo",
            v.get(&valor),
            Money::parse,
        );
        let months = number_field(errors, &meses, v.get(&meses), "Indique un número de meses.");
        let rce_sublimits = sublimits(v, errors, prefix);
        let cumplimiento_cover = cover(v, errors, prefix);
        if let (Some(minimum_insured), Some(months)) = (value, months) {
            out.push(PolicyRequirement {
                kind,
                minimum_insured,
                months_of_cover: months.unwrap_or(0),
                rce_sublimits,
                cumplimiento_cover,
            });
        }
    }
    out
}

/// The contract terms of the form, or `None` with every error added.
pub fn terms_from_form(v: &FormValues, errors: &mut FormErrors) -> Option<ContractTerms> {
    contract_form(v, errors).0
}

/// The contract terms of the form (`None` with every error added) and the pieces that parsed,
/// for the checks against other contracts. Every rule runs, so all mistakes show in one round.
pub fn contract_form(v: &FormValues, errors: &mut FormErrors) -> (Option<ContractTerms>, Pieces) {
    let number = v.get("numero").to_string();
    if number.is_empty() {
        errors.add("numero", "Indique el número del contrato.");
    }
    let kind = match v.get("clase") {
        "cliente" => Some(ContractKind::Cliente),
        "proveedor" => Some(ContractKind::Proveedor),
        _ => {
            errors.add(
                "clase",
                "Elija si es un contrato de cliente o de proveedor.",
            );
            None
        }
    };
    let tercero = if v.get("tercero").is_empty() {
        errors.add("tercero", "Elija el arrendatario o proveedor.");
        None
    } else {
        optional(errors, "tercero", v.get("tercero"), uuid_of)
    };
    let local = optional(errors, "local", v.get("local"), |t| {
        Uuid::parse_str(t).map_err(|_| DomainError::LocalNotFound)
    });
    let type_id = optional(errors, "tipo", v.get("tipo"), |t| {
        Uuid::parse_str(t).map_err(|_| DomainError::TypeNotFound)
    });
    let purpose = v.get("objeto").to_string();
    if purpose.is_empty() {
        errors.add("objeto", "Indique el objeto o destinación del contrato.");
    }
    let signing = required(
        errors,
        "fecha_firma",
        "la fecha de firma",
        v.get("fecha_firma"),
        parse_date,
    );
    let start = required(
        errors,
        "fecha_inicio",
        "la fecha de inicio",
        v.get("fecha_inicio"),
        parse_date,
    );
    let duration = required(
        errors,
        "duracion_meses",
        "la duración en meses",
        v.get("duracion_meses"),
        whole,
    );
    // A blank end is start + duration (the form shows it); a typed one must agree with them.
    let computed_end = match (v.get("fecha_fin").trim().is_empty(), start, duration) {
        (true, Some(start), Some(months)) if months > 0 => Some(end_from_duration(start, months)),
        _ => None,
    };
    let end = match computed_end {
        Some(end) => Some(end),
        None => required(
            errors,
            "fecha_fin",
            "la fecha de terminación (o la duración, para calcularla)",
            v.get("fecha_fin"),
            parse_date,
        ),
    };
    let preaviso = number_field(
        errors,
        "preaviso_dias",
        v.get("preaviso_dias"),
        "Indique un número de días.",
    );
    let early = number_field(
        errors,
        "terminacion_dias",
        v.get("terminacion_dias"),
        "Indique un número de días.",
    );
    let canon = optional(errors, "canon", v.get("canon"), Money::parse);
    let percentage = optional(errors, "porcentaje", v.get("porcentaje"), Percentage::parse);
    let modality = match v.get("modalidad") {
        "fijo" => canon.map(|canon| PaymentModality::Fijo { canon }),
        "variable" => percentage.map(|percentage| PaymentModality::VariablePuro { percentage }),
        "hibrido" => match (canon, percentage) {
            (Some(minimum), Some(percentage)) => Some(PaymentModality::Hibrido {
                minimum,
                percentage,
            }),
            _ => None,
        },
        _ => {
            errors.add("modalidad", "Elija la modalidad de pago.");
            None
        }
    };
    let m = v.get("modalidad");
    if matches!(m, "fijo" | "hibrido") && canon.is_none() && errors.get("canon").is_none() {
        errors.add(
            "canon",
            if m == "fijo" {
                "Indique el canon mensual."
            } else {
                "Indique el mínimo garantizado."
            },
        );
    }
    if matches!(m, "variable" | "hibrido")
        && percentage.is_none()
        && errors.get("porcentaje").is_none()
    {
        errors.add("porcentaje", "Indique el porcentaje de las ventas.");
    }
    let due_day = number_field(
        errors,
        "dia_informe",
        v.get("dia_informe"),
        "Indique un día entre 1 y 28.",
    );
    let (index, on) = adjustment(v, errors);
    if on.is_some() && index.is_none() && errors.get("ajuste_indice").is_none() {
        errors.add("ajuste_indice", "Elija el índice del ajuste.");
    }
    let grace_fields = [
        "gracia_desde",
        "gracia_hasta",
        "gracia_canon",
        "gracia_condicion",
    ];
    let grace = if grace_fields.iter().any(|f| !v.get(f).is_empty()) {
        let from = required(
            errors,
            "gracia_desde",
            "el inicio de la gracia",
            v.get("gracia_desde"),
            parse_date,
        );
        let to = required(
            errors,
            "gracia_hasta",
            "el fin de la gracia",
            v.get("gracia_hasta"),
            parse_date,
        );
        let canon = required(
            errors,
            "gracia_canon",
            "el canon durante la gracia",
            v.get("gracia_canon"),
            Money::parse,
        );
        if v.get("gracia_condicion").is_empty() {
            errors.add(
                "gracia_condicion",
                "Indique la condición del periodo de gracia.",
            );
        }
        match (from, to, canon) {
            (Some(from), Some(to), Some(canon)) => match DateRange::new(from, to) {
                Ok(period) => Some(GracePeriod {
                    period,
                    canon,
                    condition: v.get("gracia_condicion").to_string(),
                }),
                Err(e) => {
                    errors.add("gracia_hasta", sentence(&e.to_string()));
                    None
                }
            },
            _ => None,
        }
    } else {
        None
    };
    let required_policies = policies(v, errors);
    let url = v.get("documento_url");
    let pieces = Pieces {
        number: number.clone(),
        kind,
        tercero,
        local,
        type_id,
        signing,
        start,
        duration,
        end,
        computed_end,
    };
    between_fields(
        &pieces,
        modality.as_ref(),
        due_day.flatten(),
        grace.as_ref(),
        errors,
    );
    if !errors.is_empty() {
        return (None, pieces);
    }
    let built = (|| {
        Some(ContractTerms {
            number,
            kind: kind?,
            purpose,
            tercero_id: tercero?,
            local_id: local,
            signing_date: signing?,
            start_date: start?,
            initial_duration_months: duration?,
            end_date: end?,
            automatic_extension: v.checked("prorroga"),
            preaviso_days: preaviso?.unwrap_or(ContractTerms::DEFAULT_NOTICE_DAYS),
            early_termination_notice_days: early?.unwrap_or(ContractTerms::DEFAULT_NOTICE_DAYS),
            modality: modality?,
            sales_report_due_day: due_day?.map(|d| u8::try_from(d).unwrap_or(u8::MAX)),
            adjustment: index.map(|index| AdjustmentRule {
                index,
                on: on.unwrap_or(AdjustmentDate::Anniversary),
            }),
            grace_period: grace,
            required_policies,
            penalty_clause: v.get("clausula_penal").to_string(),
            late_payment_interest: v.get("interes_mora").to_string(),
            signed_document_url: (!url.is_empty()).then(|| url.to_string()),
            type_id,
        })
    })();
    // Whatever the rules above do not cover yet is still refused by the domain.
    let terms = built.filter(|terms| match terms.validate() {
        Ok(()) => true,
        Err(e) => {
            add_refusal(errors, &e);
            false
        }
    });
    (terms, pieces)
}

fn iso(d: NaiveDate) -> String {
    format::date_input(d)
}

fn put_adjustment(v: &mut FormValues, index: Option<AdjustmentIndex>, on: Option<AdjustmentDate>) {
    match index {
        Some(AdjustmentIndex::Ipc { points }) => {
            v.set("ajuste_indice", "ipc");
            v.set("ajuste_puntos", format::decimal(points.as_decimal()));
        }
        Some(AdjustmentIndex::SalarioMinimo {
            percentage_of_increase,
        }) => {
            v.set("ajuste_indice", "salario_minimo");
            v.set(
                "ajuste_puntos",
                format::decimal(percentage_of_increase.as_decimal()),
            );
        }
        None => {}
    }
    match on {
        Some(AdjustmentDate::Anniversary) => v.set("ajuste_fecha", "aniversario"),
        Some(AdjustmentDate::FixedDate { month, day }) => {
            v.set("ajuste_fecha", "fija");
            v.set("ajuste_mes", month.to_string());
            v.set("ajuste_dia", day.to_string());
        }
        None => {}
    }
}

fn put_policies(v: &mut FormValues, list: &[PolicyRequirement]) {
    for r in list {
        let prefix = match &r.kind {
            PolicyKind::Cumplimiento => "cumplimiento",
            PolicyKind::Rce => "rce",
            PolicyKind::Arrendamiento => "arrendamiento",
            PolicyKind::TodoRiesgo => "todo_riesgo",
            PolicyKind::Otra(name) => {
                v.set("pol_otra_nombre", name.clone());
                "otra"
            }
        };
        let [req, valor, meses, _] = policy_names(prefix);
        v.set(&req, "true");
        v.set(&valor, format::money_input(r.minimum_insured.pesos()));
        v.set(&meses, r.months_of_cover.to_string());
        if let Some(s) = &r.rce_sublimits {
            put_amounts(v, &rce_sublimit_names(prefix), &s.entries().map(|(_, m)| m));
        }
        if let Some(c) = &r.cumplimiento_cover {
            put_amounts(v, &cover_names(prefix), &c.entries().map(|(_, m)| m));
        }
    }
}

fn put_amounts(v: &mut FormValues, names: &[String], amounts: &[Option<Money>]) {
    for (name, amount) in names.iter().zip(amounts) {
        if let Some(m) = amount {
            v.set(name, money_text(*m));
        }
    }
}

fn money_text(m: Money) -> String {
    format::money_input(m.pesos())
}

/// The form values of stored terms (to edit them).
pub fn form_from_terms(t: &ContractTerms) -> FormValues {
    let mut v = FormValues::new()
        .with("numero", t.number.clone())
        .with(
            "clase",
            if t.kind == ContractKind::Proveedor {
                "proveedor"
            } else {
                "cliente"
            },
        )
        .with("tercero", t.tercero_id.to_string())
        .with(
            "local",
            t.local_id.map(|l| l.to_string()).unwrap_or_default(),
        )
        .with(
            "tipo",
            t.type_id.map(|id| id.to_string()).unwrap_or_default(),
        )
        .with("objeto", t.purpose.clone())
        .with("fecha_firma", iso(t.signing_date))
        .with("fecha_inicio", iso(t.start_date))
        .with("duracion_meses", t.initial_duration_months.to_string())
        .with("fecha_fin", iso(t.end_date))
        .with("preaviso_dias", t.preaviso_days.to_string())
        .with(
            "terminacion_dias",
            t.early_termination_notice_days.to_string(),
        )
        .with("clausula_penal", t.penalty_clause.clone())
        .with("interes_mora", t.late_payment_interest.clone())
        .with(
            "documento_url",
            t.signed_document_url.clone().unwrap_or_default(),
        );
    if t.automatic_extension {
        v.set("prorroga", "true");
    }
    let (slug, canon, pct) = match t.modality {
        PaymentModality::Fijo { canon } => ("fijo", Some(canon), None),
        PaymentModality::VariablePuro { percentage } => ("variable", None, Some(percentage)),
        PaymentModality::Hibrido {
            minimum,
            percentage,
        } => ("hibrido", Some(minimum), Some(percentage)),
    };
    v.set("modalidad", slug);
    if let Some(c) = canon {
        v.set("canon", money_text(c));
    }
    if let Some(p) = pct {
        v.set("porcentaje", format::decimal(p.as_decimal()));
    }
    if let Some(d) = t.sales_report_due_day {
        v.set("dia_informe", d.to_string());
    }
    put_adjustment(
        &mut v,
        t.adjustment.map(|a| a.index),
        t.adjustment.map(|a| a.on),
    );
    if let Some(g) = &t.grace_period {
        v.set("gracia_desde", iso(g.period.from()));
        v.set("gracia_hasta", iso(g.period.to()));
        v.set("gracia_canon", money_text(g.canon));
        v.set("gracia_condicion", g.condition.clone());
    }
    put_policies(&mut v, &t.required_policies);
    v
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> FormValues {
        FormValues::new()
            .with("numero", "CT-1")
            .with("clase", "cliente")
            .with("tercero", Uuid::nil().to_string())
            .with("objeto", "Local comercial")
            .with("fecha_firma", "2026-01-01")
            .with("fecha_inicio", "2026-01-01")
            .with("duracion_meses", "12")
            .with("fecha_fin", "2026-12-31")
            .with("modalidad", "fijo")
            .with("canon", "12.500.000")
    }

    #[test]
    fn parses_money_as_typed_and_round_trips() {
        let mut errors = FormErrors::new();
        let v = base()
            .with("ajuste_indice", "ipc")
            .with("ajuste_puntos", "2")
            .with("pol_rce", "true")
            .with("pol_rce_valor", "$100.000.000")
            .with("pol_rce_meses", "3");
        let terms = terms_from_form(&v, &mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!(
            terms.modality.fixed_amount().map(Money::pesos),
            Some(12_500_000)
        );
        assert_eq!(terms.required_policies.len(), 1);
        let back = form_from_terms(&terms);
        assert_eq!(back.get("canon"), "12.500.000");
        assert_eq!(back.get("ajuste_indice"), "ipc");
        let mut e2 = FormErrors::new();
        assert_eq!(terms_from_form(&back, &mut e2), Some(terms));
    }

    #[test]
    fn sublimits_and_cover_parsed_kept_and_round_tripped() {
        let mut errors = FormErrors::new();
        let v = base()
            .with("pol_rce", "true")
            .with("pol_rce_valor", "100.000.000")
            .with("pol_rce_medicos", "20.000.000")
            .with("pol_arrendamiento", "true")
            .with("pol_arrendamiento_valor", "50.000.000")
            .with("pol_arrendamiento_iva", "$ 2.375.000")
            .with("pol_todo_riesgo_iva", "9.999");
        let terms = terms_from_form(&v, &mut errors).expect("valid");
        let rce = &terms.required_policies[0];
        assert_eq!(
            rce.rce_sublimits.and_then(|s| s.medical_expenses),
            Money::from_pesos(20_000_000).ok()
        );
        assert_eq!(rce.cumplimiento_cover, None);
        let arr = &terms.required_policies[1];
        assert_eq!(
            arr.cumplimiento_cover.and_then(|c| c.vat),
            Money::from_pesos(2_375_000).ok()
        );
        assert_eq!(arr.rce_sublimits, None);
        let back = form_from_terms(&terms);
        assert_eq!(back.get("pol_rce_medicos"), "20.000.000");
        assert_eq!(back.get("pol_arrendamiento_iva"), "2.375.000");
        let mut e2 = FormErrors::new();
        assert_eq!(terms_from_form(&back, &mut e2), Some(terms));

        let mut errors = FormErrors::new();
        let bad = v.with("pol_rce_lucro", "mucho");
        assert!(terms_from_form(&bad, &mut errors).is_none());
        assert!(
            errors
                .get("pol_rce_lucro")
                .is_some_and(|m| m.contains("«mucho»")),
            "{errors:?}"
        );
    }

    #[test]
    fn otrosi_keeps_the_sublimits_it_is_given() {
        let mut errors = FormErrors::new();
        let v = FormValues::new()
            .with("vigencia_desde", "2026-02-01")
            .with("cambia_polizas", "true")
            .with("pol_cumplimiento", "true")
            .with("pol_cumplimiento_valor", "80.000.000")
            .with("pol_cumplimiento_canon", "30.000.000");
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let o = otrosi_from_form(&v, &mut errors, start, None).expect("valid");
        let list = o.changes.required_policies.clone().unwrap_or_default();
        assert_eq!(
            list[0].cumplimiento_cover.and_then(|c| c.rent),
            Money::from_pesos(30_000_000).ok()
        );
        let draft = OtroSi {
            number: arriendo_events::OtroSiNumber(1),
            effective_from: o.effective_from,
            effective_to: o.effective_to,
            changes: o.changes,
            description: o.description,
            status: arriendo_events::OtroSiStatus::Borrador,
            drafted_by: "gus".into(),
            submitted_by: None,
            decided_by: None,
            rejection_reason: None,
        };
        let back = form_from_otrosi(&draft);
        assert_eq!(back.get("pol_cumplimiento_canon"), "30.000.000");
    }

    #[test]
    fn errors_go_beside_their_fields() {
        let mut errors = FormErrors::new();
        let v = base().with("canon", "-5").with("modalidad", "hibrido");
        assert!(terms_from_form(&v, &mut errors).is_none());
        assert!(errors.get("canon").is_some());
        assert!(errors.get("porcentaje").is_some());
        let mut errors = FormErrors::new();
        let v = base().with("fecha_fin", "2025-01-01");
        assert!(terms_from_form(&v, &mut errors).is_none());
        assert!(errors.get("fecha_fin").is_some(), "{errors:?}");
    }

    #[test]
    fn otrosi_changes_only_what_is_filled() {
        let mut errors = FormErrors::new();
        let v = FormValues::new()
            .with("vigencia_desde", "2026-02-01")
            .with("canon", "13.000.000");
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let o = otrosi_from_form(&v, &mut errors, start, None).expect("valid");
        assert_eq!(o.changes.canon.map(Money::pesos), Some(13_000_000));
        assert!(o.changes.end_date.is_none());
        let mut errors = FormErrors::new();
        let empty = FormValues::new().with("vigencia_desde", "2026-02-01");
        assert!(otrosi_from_form(&empty, &mut errors, start, None).is_none());
        assert!(!errors.is_empty());
    }
}
