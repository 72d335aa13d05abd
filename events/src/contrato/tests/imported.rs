//! Facts from another system: a renewal for the months agreed, a delivery with the amount it was
//! billed, an adjustment with the canons it was applied with.

use rust_decimal::Decimal;

use super::*;
use crate::YearMonth;

#[test]
fn a_renewal_for_the_months_agreed() {
    let story = Story::of(terms()).ok(ContratoCommand::ProposeRenewalForMonths {
        actor: gestor(),
        months: 6,
    });
    let r = &story.state.renovaciones[0];
    assert_eq!(
        (r.previous_end, r.new_end),
        (d(2025, 12, 31), d(2026, 6, 30))
    );
    let refused = story.refused(ContratoCommand::ProposeRenewalForMonths {
        actor: gestor(),
        months: 0,
    });
    assert!(!refused.is_empty());
}

#[test]
fn a_delivery_keeps_the_amount_billed_elsewhere() {
    let period = YearMonth::new(2025, 3).unwrap();
    let story = Story::of(hybrid_terms())
        .ok(ContratoCommand::RegisterSalesReport {
            actor: gestor(),
            period,
            deadline: None,
        })
        .ok(ContratoCommand::RecordBilledSalesReport {
            actor: gestor(),
            period,
            date: d(2025, 4, 8),
            gross_sales: pesos(10_000_000),
            returns: Money::ZERO,
            billed: pesos(5_000_001),
        });
    // The rule would bill the minimum (8 % of 10.000.000 is below 5.000.000): the fact wins.
    let report = story.state.find_sales_report(period).unwrap();
    assert_eq!(report.amount_due(), Some(pesos(5_000_001)));
    // The same checks as any delivery.
    let outside = YearMonth::new(2027, 3).unwrap();
    assert!(
        Story::of(hybrid_terms())
            .when(ContratoCommand::RecordBilledSalesReport {
                actor: gestor(),
                period: outside,
                date: d(2027, 4, 8),
                gross_sales: pesos(1),
                returns: pesos(2),
                billed: pesos(1),
            })
            .is_err()
    );
}

fn past(year: i32, previous: i64, new: i64, on: chrono::NaiveDate) -> ContratoCommand {
    ContratoCommand::RecordPastCanonAdjustment {
        actor: admin(),
        year,
        index_value: pct("5,2"),
        increase: Decimal::new(-361, 2),
        previous_canon: pesos(previous),
        new_canon: pesos(new),
        effective_date: on,
    }
}

#[test]
fn a_past_adjustment_is_recorded_as_applied() {
    let long = ContractTerms {
        end_date: d(2029, 12, 31),
        initial_duration_months: 60,
        ..terms()
    };
    // 2026 was never applied in the old system: it does not block 2027.
    let story = Story::of(long).ok(past(2027, 10_000_000, 9_639_000, d(2027, 1, 1)));
    assert_eq!(
        story
            .state
            .modality_in_force(d(2027, 2, 1))
            .unwrap()
            .fixed_amount(),
        Some(pesos(9_639_000))
    );
    // One per year, never before a later one, never to zero.
    assert!(story.when(past(2027, 1, 2, d(2027, 1, 1))).is_err());
    assert!(story.when(past(2026, 1, 2, d(2026, 1, 1))).is_err());
    assert!(story.when(past(2028, 1, 0, d(2028, 1, 1))).is_err());
}
