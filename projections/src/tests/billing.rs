use arriendo_events::*;

use crate::Source;
use crate::billing::*;
use crate::testing::*;

fn billed(terms: ContractTerms, gross: i64, returns: i64) -> Billing {
    let story = Story::of(terms)
        .report(ym(2026, 1), None)
        .delivered(ym(2026, 1), gross, returns);
    billing_for_month(&story.state, ym(2026, 1)).unwrap()
}

#[test]
fn hibrido_below_the_minimum_bills_the_minimum_and_no_excess() {
    // Minimum $ 10.000.000 at 5 % on net sales of $ 150.000.000: value $ 7.500.000.
    let b = billed(hybrid(10_000_000, "5"), 150_000_000, 0);
    assert_eq!(b.net_sales, pesos(150_000_000));
    assert_eq!(b.value, pesos(7_500_000));
    assert_eq!(b.minimum, Some(pesos(10_000_000)));
    assert_eq!(b.excess, Money::ZERO);
    assert_eq!(b.total, pesos(10_000_000));
}

#[test]
fn hibrido_above_the_minimum_bills_the_minimum_plus_the_excess() {
    // At 8 %: value $ 12.000.000 = minimum $ 10.000.000 + excess $ 2.000.000.
    let b = billed(hybrid(10_000_000, "8"), 150_000_000, 0);
    assert_eq!(b.value, pesos(12_000_000));
    assert_eq!(b.excess, pesos(2_000_000));
    assert_eq!(b.total, pesos(12_000_000));
}

#[test]
fn variable_puro_bills_the_whole_value_of_net_sales() {
    // Net base = 120.000.000 − 20.000.000 = 100.000.000; × 8 % = 8.000.000.
    let b = billed(variable("8"), 120_000_000, 20_000_000);
    assert_eq!(b.net_sales, pesos(100_000_000));
    assert_eq!(b.value, pesos(8_000_000));
    assert_eq!(b.minimum, None);
    assert_eq!(b.total, pesos(8_000_000));
}

#[test]
fn the_value_rounds_half_up_to_whole_pesos() {
    // 1.000.010 × 5 % = 50.000,5 → 50.001; 1.000.009 × 5 % = 50.000,45 → 50.000.
    assert_eq!(billed(variable("5"), 1_000_010, 0).total, pesos(50_001));
    assert_eq!(billed(variable("5"), 1_000_009, 0).total, pesos(50_000));
    // 5,5 % of 1.234.567 = 67.901,185 → 67.901.
    assert_eq!(billed(variable("5,5"), 1_234_567, 0).total, pesos(67_901));
}

#[test]
fn uses_the_percentage_in_force_on_the_last_day_of_the_month() {
    let raise = |from| {
        Story::of(hybrid(10_000_000, "5"))
            .otro_si(
                from,
                OtroSiChanges {
                    percentage: Some(pct("8")),
                    ..OtroSiChanges::default()
                },
            )
            .report(ym(2026, 1), None)
            .delivered(ym(2026, 1), 150_000_000, 0)
    };
    // Effective on 31/01/2026: January is billed at 8 %.
    let story = raise(d(2026, 1, 31));
    let b = billing_for_month(&story.state, ym(2026, 1)).unwrap();
    assert_eq!(b.percentage, pct("8"));
    assert_eq!(b.total, pesos(12_000_000));
    assert_eq!(b.source, Source::OtroSi("OS-1".into()));
    // Effective on 01/02/2026: January still at 5 %.
    let story = raise(d(2026, 2, 1));
    let b = billing_for_month(&story.state, ym(2026, 1)).unwrap();
    assert_eq!(b.percentage, pct("5"));
    assert_eq!(b.total, pesos(10_000_000));
}

#[test]
fn fixed_canon_and_missing_reports_are_refused_in_spanish() {
    let story = Story::of(hybrid(10_000_000, "5"));
    assert_eq!(
        billing_for_month(&story.state, ym(2026, 1))
            .unwrap_err()
            .to_string(),
        "no hay informe de ventas entregado para 01/2026"
    );
    let story = story.report(ym(2026, 1), None);
    assert_eq!(
        billing_for_month(&story.state, ym(2026, 1)),
        Err(BillingError::NoSalesReport(ym(2026, 1)))
    );
    assert!(
        bill(
            ym(2026, 1),
            &terms().modality,
            pesos(1),
            Money::ZERO,
            Source::Contrato
        )
        .is_none()
    );
}
