//! The terms in force of a contract as a detail list, each changed value with the document that
//! set it ("modificado por OS-1"). Used by the contract page, the Otro Sí pages and conflicts.

use arriendo_events::{AdjustmentDate, AdjustmentIndex, AdjustmentRule, PolicyRequirement};
use arriendo_projections::{ContratoVigente, Source, Sourced};
use maud::{Markup, html};

use crate::components::{Detail, detail_list};
use crate::format;
use crate::pages::poliza_form::requirement_extras;

/// The document tag of a value: `None` when the contract itself set it.
pub fn source_of<T>(s: &Sourced<T>) -> Option<String> {
    match &s.source {
        Source::Contrato => None,
        other => Some(other.short()),
    }
}

/// `IPC + 2 puntos, en el aniversario`.
pub fn adjustment_text(rule: &AdjustmentRule) -> String {
    let index = match rule.index {
        AdjustmentIndex::Ipc { points } => format!("IPC + {points} (puntos)"),
        AdjustmentIndex::SalarioMinimo {
            percentage_of_increase,
        } => format!("{percentage_of_increase} del incremento del salario mínimo"),
    };
    let on = match rule.on {
        AdjustmentDate::Anniversary => "en el aniversario del inicio".to_string(),
        AdjustmentDate::FixedDate { month, day } => {
            format!("cada {day} de {}", format::month_name(month))
        }
    };
    format!("{index}, {on}")
}

/// `Cumplimiento (mín. $ 10.000.000, 3 meses después del fin)`, one per line, followed by its
/// required sub-limits or cover (`gastos médicos: $ 20.000.000; …`).
pub fn policies_text(list: &[PolicyRequirement]) -> Markup {
    html! {
        @if list.is_empty() { span.muted { "Ninguna" } }
        @for (i, r) in list.iter().enumerate() {
            @if i > 0 { br; }
            (r.kind.to_string()) " (mín. " (r.minimum_insured.to_string()) ", "
            (r.months_of_cover) " meses después del fin)"
            @let extras = requirement_extras(r);
            @if !extras.is_empty() {
                br;
                span.muted.small { "Sublímites / coberturas: " (extras) }
            }
        }
    }
}

/// The terms in force, with links to the tercero and the local.
pub fn vigente_details(
    v: &ContratoVigente,
    tercero: &str,
    local: Option<&str>,
    today_label: bool,
) -> Markup {
    let modality_src = source_of(&v.modality);
    let canon_src = v.canon.as_ref().and_then(source_of);
    let minimum_src = v.minimum.as_ref().and_then(source_of);
    let pct_src = v.percentage.as_ref().and_then(source_of);
    let end_src = source_of(&v.end_date);
    let dur_src = source_of(&v.duration_months);
    let adj_src = v.adjustment.as_ref().and_then(source_of);
    let pol_src = source_of(&v.required_policies);
    let mut rows = vec![
        Detail::new(
            "Arrendatario / proveedor",
            html! { a href={ "/terceros/" (v.tercero_id) } { (tercero) } },
        ),
        Detail::new(
            "Local",
            html! {
                @match (v.local_id, local) {
                    (Some(id), Some(name)) => a href={ "/locales/" (id) } { (name) },
                    _ => "",
                }
            },
        ),
        Detail::new("Objeto", v.purpose.as_str()),
        Detail::new("Modalidad", v.modality.value.label()).source(modality_src.as_deref()),
    ];
    if let Some(c) = &v.canon {
        rows.push(Detail::new("Canon mensual", c.value.to_string()).source(canon_src.as_deref()));
    }
    if let Some(m) = &v.minimum {
        rows.push(
            Detail::new("Mínimo garantizado", m.value.to_string()).source(minimum_src.as_deref()),
        );
    }
    if let Some(p) = &v.percentage {
        rows.push(
            Detail::new("Porcentaje de ventas", p.value.to_string()).source(pct_src.as_deref()),
        );
    }
    rows.push(Detail::new("Inicio", format::date(v.start_date)));
    rows.push(
        Detail::new("Fecha de terminación", format::date(v.end_date.value))
            .source(end_src.as_deref()),
    );
    rows.push(
        Detail::new("Duración (meses)", v.duration_months.value.to_string())
            .source(dur_src.as_deref()),
    );
    rows.push(Detail::new(
        "Prórroga automática",
        format::yes_no(v.automatic_extension),
    ));
    rows.push(Detail::new("Preaviso (días)", v.preaviso_days.to_string()));
    rows.push(Detail::new(
        "Aviso de terminación anticipada (días)",
        v.early_termination_notice_days.to_string(),
    ));
    if let Some(day) = v.sales_report_due_day {
        rows.push(Detail::new("Día del informe de ventas", day.to_string()));
    }
    rows.push(
        Detail::new(
            "Ajuste anual",
            v.adjustment.as_ref().map_or_else(
                || "Sin ajuste pactado".to_string(),
                |a| adjustment_text(&a.value),
            ),
        )
        .source(adj_src.as_deref()),
    );
    if let Some(g) = &v.grace_period {
        rows.push(Detail::new(
            "Periodo de gracia",
            format!(
                "{} a {}: {} ({})",
                format::date(g.period.from()),
                format::date(g.period.to()),
                g.canon,
                g.condition
            ),
        ));
    }
    rows.push(
        Detail::new(
            "Pólizas requeridas",
            policies_text(&v.required_policies.value),
        )
        .source(pol_src.as_deref()),
    );
    html! {
        @if today_label { p.muted.small { "Términos vigentes al " (format::date(v.date)) "." } }
        (detail_list(&rows))
    }
}

#[cfg(test)]
mod tests {
    use arriendo_events::{CumplimientoCover, Money, PolicyKind, RceSublimits};

    use super::*;

    #[test]
    fn policies_show_their_sublimits_and_cover() {
        let money = |p: i64| Money::from_pesos(p).ok();
        let list = [
            PolicyRequirement {
                kind: PolicyKind::Rce,
                minimum_insured: Money::from_pesos(100_000_000).unwrap_or_default(),
                months_of_cover: 3,
                rce_sublimits: Some(RceSublimits {
                    medical_expenses: money(20_000_000),
                    ..RceSublimits::default()
                }),
                cumplimiento_cover: None,
            },
            PolicyRequirement {
                kind: PolicyKind::Cumplimiento,
                minimum_insured: Money::from_pesos(50_000_000).unwrap_or_default(),
                months_of_cover: 0,
                rce_sublimits: None,
                cumplimiento_cover: Some(CumplimientoCover {
                    vat: money(5_000_000),
                    ..CumplimientoCover::default()
                }),
            },
        ];
        let html = policies_text(&list).into_string();
        assert!(html.contains("gastos médicos: $ 20.000.000"), "{html}");
        assert!(html.contains("IVA: $ 5.000.000"), "{html}");
    }
}
