//! The contract form, read into [`ContractTerms`] with every mistake beside its field.

use super::*;

/// The adjustment index and date of the form (`None` when left empty).
pub(super) fn adjustment(
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
pub(super) fn amounts<const N: usize>(
    v: &FormValues,
    errors: &mut FormErrors,
    names: &[String; N],
) -> [Option<Money>; N] {
    names
        .each_ref()
        .map(|name| optional(errors, name, v.get(name), Money::parse))
}

/// The RCE sub-limits of a row (`None` when none is typed or the kind has none).
pub(super) fn sublimits(
    v: &FormValues,
    errors: &mut FormErrors,
    prefix: &str,
) -> Option<RceSublimits> {
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
pub(super) fn cover(
    v: &FormValues,
    errors: &mut FormErrors,
    prefix: &str,
) -> Option<CumplimientoCover> {
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
pub(super) fn policies(v: &FormValues, errors: &mut FormErrors) -> Vec<PolicyRequirement> {
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
