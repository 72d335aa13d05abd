//! Billing honours the term and the grace period; a delivered month's billing is fixed, and a
//! later adjustment adds an explicit reliquidación. Numbers from issue 10.

use super::*;
use crate::{DateRange, YearMonth};

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth::new(year, month).unwrap()
}

/// Híbrido: minimum $ 12.500.000 at 8 % of sales, from 01/12/2026 to 30/11/2029, with a grace
/// period 01/12/2026–31/01/2027 at canon $ 0.
fn with_grace() -> ContractTerms {
    ContractTerms {
        start_date: d(2026, 12, 1),
        signing_date: d(2026, 11, 15),
        end_date: d(2029, 11, 30),
        initial_duration_months: 36,
        modality: PaymentModality::Hibrido {
            minimum: pesos(12_500_000),
            percentage: pct("8"),
        },
        sales_report_due_day: Some(10),
        grace_period: Some(GracePeriod {
            period: DateRange::new(d(2026, 12, 1), d(2027, 1, 31)).unwrap(),
            canon: Money::ZERO,
            condition: "Adecuaciones del local".into(),
        }),
        ..terms()
    }
}

fn register(period: YearMonth) -> ContratoCommand {
    ContratoCommand::RegisterSalesReport {
        actor: gestor(),
        period,
        deadline: None,
    }
}

fn deliver(period: YearMonth, gross: i64) -> ContratoCommand {
    ContratoCommand::MarkSalesReportDelivered {
        actor: gestor(),
        period,
        date: period.next().day(5),
        gross_sales: pesos(gross),
        returns: Money::ZERO,
        expected_version: 0,
    }
}

fn billed(story: &Story, period: YearMonth) -> Option<SalesBilling> {
    story.state.find_sales_report(period).unwrap().billing
}

#[test]
fn a_month_before_the_start_gets_no_sales_report() {
    let story = Story::of(with_grace());
    assert_eq!(
        story.refused(register(ym(2026, 11))),
        "el mes 11/2026 está fuera de la vigencia del contrato CT-001 (del 01/12/2026 al 30/11/2029): no lleva informe de ventas"
    );
    assert!(
        story
            .refused(register(ym(2029, 12)))
            .starts_with("el mes 12/2029 está fuera de la vigencia")
    );
    story.ok(register(ym(2026, 12))).ok(register(ym(2029, 11)));
}

#[test]
fn an_approved_renewal_extends_the_months_that_report_sales() {
    // CT-001 híbrido ends 31/12/2025 with prórroga automática; RA-1 adds 12 months.
    let story = Story::of(hybrid_terms());
    assert!(
        story
            .refused(register(ym(2026, 1)))
            .contains("del 01/01/2025 al 31/12/2025")
    );
    let story = story
        .ok(ContratoCommand::ProposeRenewal { actor: gestor() })
        .ok(ContratoCommand::ApproveRenewal {
            actor: admin(),
            number: RenewalNumber(1),
        });
    story.ok(register(ym(2026, 1)));
}

#[test]
fn a_grace_month_does_not_bill_the_guaranteed_minimum() {
    // December 2026 is in the grace period: the minimum is the grace canon $ 0, and 8 % of
    // $ 100.000.000 of sales is billed: $ 8.000.000, not the $ 12.500.000 minimum.
    let story = Story::of(with_grace())
        .ok(register(ym(2026, 12)))
        .ok_edit(deliver(ym(2026, 12), 100_000_000));
    let december = billed(&story, ym(2026, 12)).unwrap();
    assert_eq!(december.minimum, Some(Money::ZERO));
    assert!(december.grace);
    assert_eq!(december.value, pesos(8_000_000));
    assert_eq!(december.total, pesos(8_000_000));

    // February 2027 is past the grace: the minimum applies again.
    let story = story
        .ok(register(ym(2027, 2)))
        .ok_edit(deliver(ym(2027, 2), 100_000_000));
    let february = billed(&story, ym(2027, 2)).unwrap();
    assert!(!february.grace);
    assert_eq!(february.total, pesos(12_500_000));
}

#[test]
fn the_delivery_event_records_the_amount_billed() {
    let story = Story::of(with_grace()).ok(register(ym(2027, 2)));
    let events = story.when_edit(deliver(ym(2027, 2), 100_000_000)).unwrap();
    assert_eq!(
        events,
        vec![ContratoEvent::SalesReportDelivered {
            period: ym(2027, 2),
            date: d(2027, 3, 5),
            gross_sales: pesos(100_000_000),
            returns: Money::ZERO,
            billed: Some(pesos(12_500_000)),
        }]
    );
}

#[test]
fn an_old_delivery_without_the_amount_is_billed_with_the_terms_as_of_delivery() {
    // A 1.0 event has no `billed`: the state computes it when the event is applied, so a later
    // adjustment does not change it.
    let old: ContratoEvent = serde_json::from_value(serde_json::json!({
        "SalesReportDelivered": {"period": {"year": 2027, "month": 2}, "date": "2027-03-05",
                                 "gross_sales": 100000000, "returns": 0}
    }))
    .unwrap();
    let mut story = Story::of(with_grace()).ok(register(ym(2027, 2)));
    story.state.apply(old);
    assert_eq!(
        story
            .state
            .find_sales_report(ym(2027, 2))
            .unwrap()
            .amount_due(),
        Some(pesos(12_500_000))
    );
}

/// Híbrido: minimum $ 15.000.000 at 5 %, from 01/09/2025, adjusted on the anniversary by IPC + 2.
fn fifteen_million() -> ContractTerms {
    ContractTerms {
        start_date: d(2025, 9, 1),
        signing_date: d(2025, 8, 15),
        end_date: d(2028, 8, 31),
        initial_duration_months: 36,
        modality: PaymentModality::Hibrido {
            minimum: pesos(15_000_000),
            percentage: pct("5"),
        },
        sales_report_due_day: Some(10),
        ..terms()
    }
}

fn adjust_2026(date: NaiveDate) -> ContratoCommand {
    ContratoCommand::RecordCanonAdjustment {
        actor: gestor(),
        year: 2026,
        index_value: pct("5,1"),
        effective_date: date,
    }
}

/// September to November 2026 delivered with sales of $ 200.000.000 (5 % = $ 10.000.000, below
/// the minimum): each billed $ 15.000.000.
fn sep_to_nov_delivered() -> Story {
    let mut story = Story::of(fifteen_million());
    for month in 9..=11 {
        story = story
            .ok(register(ym(2026, month)))
            .ok_edit(deliver(ym(2026, month), 200_000_000));
    }
    story
}

#[test]
fn a_retroactive_adjustment_records_a_reliquidacion_of_the_billed_months() {
    let story = sep_to_nov_delivered();
    let events = story.when(adjust_2026(d(2026, 9, 1))).unwrap();
    // 15.000.000 × (1 + (5,1 + 2) / 100) = 16.065.000: +1.065.000 for each month.
    let months: Vec<ReliquidacionMonth> = (9..=11)
        .map(|m| ReliquidacionMonth {
            period: ym(2026, m),
            previous: pesos(15_000_000),
            corrected: pesos(16_065_000),
        })
        .collect();
    assert_eq!(
        events.get(1),
        Some(&ContratoEvent::ReliquidacionRecorded {
            cause: ReliquidacionCause::Ajuste {
                year: 2026,
                kind: crate::IndexKind::Ipc,
            },
            months: months.clone(),
            by: "gus.gestor".into(),
        })
    );
    assert!(months.iter().all(|m| m.difference() == 1_065_000));

    // What was billed stays; the month now costs the corrected amount.
    let story = story.ok(adjust_2026(d(2026, 9, 1)));
    let september = story.state.find_sales_report(ym(2026, 9)).unwrap();
    assert_eq!(september.billing.unwrap().total, pesos(15_000_000));
    assert_eq!(september.amount_due(), Some(pesos(16_065_000)));
    assert_eq!(september.reliquidaciones[0].difference(), 1_065_000);
}

/// An Otro Sí draft raising the guaranteed minimum to $ 16.000.000 from `from`.
fn minimum_16_million_from(from: NaiveDate) -> ContratoCommand {
    ContratoCommand::DraftOtroSi {
        actor: gestor(),
        effective_from: from,
        effective_to: None,
        changes: OtroSiChanges {
            minimum: Some(pesos(16_000_000)),
            ..OtroSiChanges::default()
        },
        description: "Nuevo mínimo garantizado".into(),
    }
}

/// An Otro Sí raising the minimum to $ 16.000.000 from 01/10/2026, approved after October and
/// November were billed $ 15.000.000: each of those months gains +$ 1.000.000, recorded with the
/// approval; September, before the Otro Sí, does not change.
#[test]
fn approving_an_otro_si_from_a_billed_month_records_a_reliquidacion() {
    let story = sep_to_nov_delivered()
        .ok(minimum_16_million_from(d(2026, 10, 1)))
        .ok(submit(1));
    let months: Vec<ReliquidacionMonth> = (10..=11)
        .map(|m| ReliquidacionMonth {
            period: ym(2026, m),
            previous: pesos(15_000_000),
            corrected: pesos(16_000_000),
        })
        .collect();
    assert_eq!(
        story
            .state
            .preview_otro_si_reliquidacion(&admin(), OtroSiNumber(1)),
        months
    );
    let events = story.when(approve(1)).unwrap();
    assert_eq!(
        events,
        vec![
            ContratoEvent::OtroSiApproved {
                number: OtroSiNumber(1),
                by: "ana.admin".into(),
            },
            ContratoEvent::ReliquidacionRecorded {
                cause: ReliquidacionCause::OtroSi {
                    number: OtroSiNumber(1)
                },
                months,
                by: "ana.admin".into(),
            },
        ]
    );
    let story = story.ok(approve(1));
    let october = story.state.find_sales_report(ym(2026, 10)).unwrap();
    assert_eq!(october.billing.unwrap().total, pesos(15_000_000));
    assert_eq!(october.amount_due(), Some(pesos(16_000_000)));
    assert_eq!(
        october.reliquidaciones[0].cause.to_string(),
        "OS-1",
        "the billing says \"reliquidación +$ 1.000.000 por OS-1\""
    );
    let september = story.state.find_sales_report(ym(2026, 9)).unwrap();
    assert!(september.reliquidaciones.is_empty());
}

#[test]
fn an_otro_si_from_after_the_billed_months_needs_no_reliquidacion() {
    let story = sep_to_nov_delivered()
        .ok(minimum_16_million_from(d(2026, 12, 1)))
        .ok(submit(1));
    assert_eq!(story.when(approve(1)).unwrap().len(), 1);
}

#[test]
fn an_adjustment_after_the_billed_months_needs_no_reliquidacion() {
    let story = sep_to_nov_delivered();
    let events = story.when(adjust_2026(d(2026, 12, 1))).unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0], ContratoEvent::CanonAdjusted(_)));
}

#[test]
fn a_month_billed_above_the_minimum_is_not_reliquidated() {
    // $ 400.000.000 × 5 % = $ 20.000.000 is above both minimums: nothing changes.
    let story = Story::of(fifteen_million())
        .ok(register(ym(2026, 9)))
        .ok_edit(deliver(ym(2026, 9), 400_000_000));
    let adjustment = story
        .state
        .preview_canon_adjustment(&gestor(), 2026, pct("5,1"), d(2026, 9, 1))
        .unwrap();
    assert!(story.state.preview_reliquidacion(&adjustment).is_empty());
}

#[test]
fn delivering_again_bills_with_the_terms_in_force_and_clears_the_reliquidacion() {
    let story = sep_to_nov_delivered()
        .ok(adjust_2026(d(2026, 9, 1)))
        .ok_edit(deliver(ym(2026, 9), 210_000_000));
    let september = story.state.find_sales_report(ym(2026, 9)).unwrap();
    assert_eq!(september.amount_due(), Some(pesos(16_065_000)));
    assert!(september.reliquidaciones.is_empty());
}
