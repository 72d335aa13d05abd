//! Recorded terms back into the contract form's values (edit forms, conflicts, renewals).

use super::*;

pub(super) fn iso(d: NaiveDate) -> String {
    format::date_input(d)
}

pub(super) fn put_adjustment(
    v: &mut FormValues,
    index: Option<AdjustmentIndex>,
    on: Option<AdjustmentDate>,
) {
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

pub(super) fn put_policies(v: &mut FormValues, list: &[PolicyRequirement]) {
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

pub(super) fn put_amounts(v: &mut FormValues, names: &[String], amounts: &[Option<Money>]) {
    for (name, amount) in names.iter().zip(amounts) {
        if let Some(m) = amount {
            v.set(name, money_text(*m));
        }
    }
}

pub(super) fn money_text(m: Money) -> String {
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
