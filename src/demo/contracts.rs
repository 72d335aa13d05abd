//! The base terms of each demo contract, spread so that every alert kind fires.

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::*;

use super::*;

/// Days from today to the end of contract `i`: the first ones are placed so every alert kind fires.
/// The demo's others end in six months to three and a half years; a portfolio's from ten days to
/// three and a half years, so its bulk also reaches the preaviso and expiry alerts.
fn end_offset(i: usize, shape: Shape) -> i64 {
    const CRAFTED: &[i64] = &[20, 45, 75, 50, 100, 25, 10, -5, 85, 28, 55, 140];
    let spread = match shape {
        Shape::Demo => 180 + (i as i64 * 53) % 1100,
        Shape::Portfolio => 10 + (i as i64 * 53) % 1270,
    };
    CRAFTED.get(i).copied().unwrap_or(spread)
}

/// The modality of contract `i`: thirds in the demo, the old system's mix in a portfolio.
fn modality_index(i: usize, shape: Shape) -> u8 {
    match shape {
        Shape::Demo => match i % 3 {
            0 => 0,
            1 => 2,
            _ => 1,
        },
        Shape::Portfolio => super::portfolio::modality_of(i),
    }
}

pub(super) fn contract_terms(
    i: usize,
    today: NaiveDate,
    shape: Shape,
    tenants: &[Uuid],
    suppliers: &[Uuid],
    premises: &[Uuid],
) -> Result<ContractTerms, DomainError> {
    let supplier = i % 10 == 9;
    let mut duration = [12u32, 24, 36, 60][i % 4];
    let end = day(today, end_offset(i, shape));
    // Every demo contract is already running (started at least two months ago).
    while day(add_months(end, -(duration as i32)), 1) > day(today, -60) {
        duration += 12;
    }
    let start = day(add_months(end, -(duration as i32)), 1);
    let modality = match modality_index(i, shape) {
        0 => PaymentModality::Fijo {
            canon: money(4_000_000 + (i as i64 % 9) * 1_750_000)?,
        },
        2 => PaymentModality::VariablePuro {
            percentage: pct(["6", "7,5", "8", "10"][i % 4])?,
        },
        _ => PaymentModality::Hibrido {
            minimum: money(10_000_000 + (i as i64 % 5) * 2_500_000)?,
            percentage: pct(["5", "6", "8"][i % 3])?,
        },
    };
    let sales_based = modality.is_sales_based();
    let required_policies = if supplier {
        vec![PolicyRequirement {
            kind: PolicyKind::Cumplimiento,
            minimum_insured: money(50_000_000)?,
            months_of_cover: 4,
            rce_sublimits: None,
            cumplimiento_cover: None,
        }]
    } else {
        vec![
            PolicyRequirement {
                kind: PolicyKind::Rce,
                minimum_insured: money(500_000_000)?,
                months_of_cover: 0,
                rce_sublimits: Some(RceSublimits {
                    premises_operations: Some(money(500_000_000)?),
                    employer_liability: Some(money(100_000_000)?),
                    medical_expenses: Some(money(20_000_000)?),
                    vehicles: None,
                    contractors: None,
                    non_material_damages: None,
                    lost_profit: None,
                }),
                cumplimiento_cover: None,
            },
            PolicyRequirement {
                kind: PolicyKind::Cumplimiento,
                minimum_insured: money(120_000_000)?,
                months_of_cover: 3,
                rce_sublimits: None,
                cumplimiento_cover: Some(CumplimientoCover {
                    rent: Some(money(100_000_000)?),
                    utilities: Some(money(10_000_000)?),
                    vat: None,
                    admin_fee: None,
                }),
            },
        ]
    };
    let grace_period = (i % 8 == 2)
        .then(|| -> Result<_, DomainError> {
            Ok(arriendo_events::GracePeriod {
                period: DateRange::new(start, day(add_months(start, 3), -1))?,
                canon: Money::ZERO,
                condition: "Adecuaciones del local".into(),
            })
        })
        .transpose()?;
    Ok(ContractTerms {
        number: format!("CT-{:04}", 2020 + i),
        kind: if supplier {
            ContractKind::Proveedor
        } else {
            ContractKind::Cliente
        },
        purpose: if supplier {
            "Prestación de servicios al centro comercial".into()
        } else {
            "Local comercial: venta al detal".into()
        },
        tercero_id: if supplier {
            suppliers[i % suppliers.len()]
        } else {
            tenants[i % tenants.len()]
        },
        local_id: (!supplier).then(|| premises[i % premises.len()]),
        signing_date: day(start, -15),
        start_date: start,
        initial_duration_months: duration,
        end_date: end,
        automatic_extension: i.is_multiple_of(2),
        preaviso_days: 60,
        early_termination_notice_days: if i % 4 == 1 { 90 } else { 60 },
        modality,
        sales_report_due_day: sales_based.then_some(10),
        adjustment: Some(AdjustmentRule {
            index: if i % 6 == 5 {
                AdjustmentIndex::SalarioMinimo {
                    percentage_of_increase: pct("100")?,
                }
            } else {
                AdjustmentIndex::Ipc {
                    points: pct(["0", "1", "2"][i % 3])?,
                }
            },
            on: if i % 5 == 4 {
                AdjustmentDate::FixedDate { month: 1, day: 15 }
            } else {
                AdjustmentDate::Anniversary
            },
        }),
        grace_period,
        required_policies,
        penalty_clause: "Tres cánones vigentes por incumplimiento".into(),
        late_payment_interest: "Tasa máxima legal certificada por la Superintendencia Financiera"
            .into(),
        signed_document_url: Some(format!(
            "https://documentos.example.com/contratos/CT-{:04}.pdf",
            2020 + i
        )),
        // Set by the loader from the demo's catalogs.
        type_id: None,
    })
}

pub(super) fn poliza(
    kind: PolicyKind,
    number: String,
    insured: i64,
    from: NaiveDate,
    to: NaiveDate,
    colchon: u32,
    insurer: &str,
) -> Result<PolizaData, DomainError> {
    Ok(PolizaData {
        rce_sublimits: matches!(kind, PolicyKind::Rce).then_some(RceSublimits {
            premises_operations: Some(money(insured)?),
            employer_liability: Some(money(100_000_000)?),
            medical_expenses: Some(money(20_000_000)?),
            vehicles: None,
            contractors: None,
            non_material_damages: None,
            lost_profit: None,
        }),
        cumplimiento_cover: matches!(kind, PolicyKind::Cumplimiento).then_some(CumplimientoCover {
            rent: Some(money(100_000_000)?),
            utilities: Some(money(10_000_000)?),
            vat: None,
            admin_fee: None,
        }),
        kind,
        number,
        insurer: insurer.to_string(),
        insured_value: money(insured)?,
        validity: DateRange::new(from, to)?,
        state: PolizaState::AporteInicial,
        required_by: RequiredBy::Contract,
        colchon_months: colchon,
    })
}
