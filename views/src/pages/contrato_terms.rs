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
    let lines = terms_lines(v);
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
    ];
    rows.extend(
        lines
            .iter()
            .map(|l| Detail::new(l.label, l.value.clone()).source(l.source.as_deref())),
    );
    html! {
        @if today_label { p.muted.small { "Términos vigentes al " (format::date(v.date)) "." } }
        (detail_list(&rows))
    }
}

/// One term as text: what the contract page lists and the comparison of two dates puts side by side.
#[derive(Debug, Clone)]
pub struct TermLine {
    pub label: &'static str,
    /// Escaped HTML (the pólizas line has its own markup).
    pub value: Markup,
    /// The same as plain text, for the command line.
    pub text: String,
    /// The document that set it when it is not the base contract (`OS-2`, `RA-1`).
    pub source: Option<String>,
}

/// The terms in force, from the modality to the required pólizas, each with the document that set it.
pub fn terms_lines(v: &ContratoVigente) -> Vec<TermLine> {
    let line = |label, value: String, source: Option<String>| TermLine {
        label,
        value: html! { (value) },
        text: value,
        source,
    };
    let mut lines = vec![line(
        "Modalidad",
        v.modality.value.label().to_string(),
        source_of(&v.modality),
    )];
    if let Some(c) = &v.canon {
        lines.push(line("Canon mensual", c.value.to_string(), source_of(c)));
    }
    if let Some(m) = &v.minimum {
        lines.push(line(
            "Mínimo garantizado",
            m.value.to_string(),
            source_of(m),
        ));
    }
    if let Some(p) = &v.percentage {
        lines.push(line(
            "Porcentaje de ventas",
            p.value.to_string(),
            source_of(p),
        ));
    }
    lines.push(line("Inicio", format::date(v.start_date), None));
    lines.push(line(
        "Fecha de terminación",
        format::date(v.end_date.value),
        source_of(&v.end_date),
    ));
    lines.push(line(
        "Duración (meses)",
        v.duration_months.value.to_string(),
        source_of(&v.duration_months),
    ));
    lines.push(line(
        "Prórroga automática",
        format::yes_no(v.automatic_extension).to_string(),
        None,
    ));
    lines.push(line("Preaviso (días)", v.preaviso_days.to_string(), None));
    lines.push(line(
        "Aviso de terminación anticipada (días)",
        v.early_termination_notice_days.to_string(),
        None,
    ));
    if let Some(day) = v.sales_report_due_day {
        lines.push(line("Día del informe de ventas", day.to_string(), None));
    }
    lines.push(match &v.adjustment {
        Some(a) => line("Ajuste anual", adjustment_text(&a.value), source_of(a)),
        None => line("Ajuste anual", "Sin ajuste pactado".to_string(), None),
    });
    if let Some(g) = &v.grace_period {
        lines.push(line(
            "Periodo de gracia",
            format!(
                "{} a {}: {} ({})",
                format::date(g.period.from()),
                format::date(g.period.to()),
                g.canon,
                g.condition
            ),
            None,
        ));
    }
    let policies = &v.required_policies.value;
    lines.push(TermLine {
        label: "Pólizas requeridas",
        value: policies_text(policies),
        text: if policies.is_empty() {
            "Ninguna".to_string()
        } else {
            policies
                .iter()
                .map(|r| {
                    format!(
                        "{} (mín. {}, {} meses después del fin)",
                        r.kind, r.minimum_insured, r.months_of_cover
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        },
        source: source_of(&v.required_policies),
    });
    lines
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
