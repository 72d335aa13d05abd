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

/// Híbrido: minimum $ 12.500.000 at 8 %, from 01/12/2026, grace 01/12/2026–31/01/2027 at $ 0.
fn hibrido_with_grace() -> ContractTerms {
    ContractTerms {
        start_date: d(2026, 12, 1),
        signing_date: d(2026, 11, 15),
        end_date: d(2029, 11, 30),
        initial_duration_months: 36,
        grace_period: Some(GracePeriod {
            period: DateRange::new(d(2026, 12, 1), d(2027, 1, 31)).unwrap(),
            canon: Money::ZERO,
            condition: "Adecuaciones del local".into(),
        }),
        ..hybrid(12_500_000, "8")
    }
}

#[test]
fn a_grace_month_bills_the_sales_share_but_not_the_minimum_and_the_schedule_agrees() {
    use crate::schedule::{Indices, canon_schedule};
    let story = Story::of(hibrido_with_grace())
        .report(ym(2026, 12), None)
        .delivered(ym(2026, 12), 100_000_000, 0);
    let december = billing_for_month(&story.state, ym(2026, 12)).unwrap();
    // Not the $ 12.500.000 minimum: the grace canon $ 0, plus 8 % of $ 100.000.000.
    assert!(december.grace);
    assert_eq!(december.minimum, Some(Money::ZERO));
    assert_eq!(december.total, pesos(8_000_000));

    let rows = canon_schedule(&story.state, &Indices::default());
    let row = |y, m| rows.iter().find(|r| r.period == ym(y, m)).unwrap();
    assert_eq!(row(2026, 12).amount, Some(december.total));
    assert_eq!(row(2026, 12).basis, "periodo de gracia · ventas reportadas");
    // January, in grace and not reported yet: the grace canon; February: the minimum.
    assert_eq!(row(2027, 1).amount, Some(Money::ZERO));
    assert_eq!(row(2027, 2).amount, Some(pesos(12_500_000)));
    assert_eq!(rows.first().unwrap().period, ym(2026, 12));
}

#[test]
fn a_reliquidacion_shows_beside_what_was_billed() {
    use crate::schedule::{Indices, canon_schedule};
    // Minimum $ 15.000.000 at 5 %, from 01/09/2025 (anniversary), IPC + 2; Sep–Nov 2026 billed
    // $ 15.000.000 each, then IPC 2026 (5,1) confirmed effective 01/09/2026.
    let terms = ContractTerms {
        start_date: d(2025, 9, 1),
        signing_date: d(2025, 8, 15),
        end_date: d(2028, 8, 31),
        initial_duration_months: 36,
        ..hybrid(15_000_000, "5")
    };
    let mut story = Story::of(terms);
    for m in 9..=11 {
        story = story
            .report(ym(2026, m), None)
            .delivered(ym(2026, m), 200_000_000, 0);
    }
    let story = story.adjusted(2026, "5,1", d(2026, 9, 1));
    let rows = canon_schedule(&story.state, &Indices::default());
    for m in 9..=11 {
        let b = billing_for_month(&story.state, ym(2026, m)).unwrap();
        assert_eq!(b.billed, pesos(15_000_000));
        assert_eq!(b.total, pesos(16_065_000));
        assert_eq!(
            headline(&b),
            "facturado $ 15.000.000 · reliquidación +$ 1.065.000 por IPC 2026"
        );
        let r = rows.iter().find(|r| r.period == ym(2026, m)).unwrap();
        assert_eq!(r.amount, Some(b.total));
    }
    // December is not billed yet: the adjusted minimum.
    let december = rows.iter().find(|r| r.period == ym(2026, 12)).unwrap();
    assert_eq!(december.amount, Some(pesos(16_065_000)));
}

#[test]
fn the_history_says_what_the_reliquidacion_changed() {
    let event = ContratoEvent::ReliquidacionRecorded {
        cause: ReliquidacionCause::Ajuste {
            year: 2026,
            kind: IndexKind::Ipc,
        },
        months: vec![
            ReliquidacionMonth {
                period: ym(2026, 9),
                previous: pesos(15_000_000),
                corrected: pesos(16_065_000),
            },
            ReliquidacionMonth {
                period: ym(2026, 10),
                previous: pesos(15_000_000),
                corrected: pesos(16_065_000),
            },
        ],
        by: "gus.gestor".into(),
    };
    assert_eq!(
        crate::history::describe_contrato(&event),
        "Reliquidó por IPC 2026 los meses ya facturados: 09/2026 de $ 15.000.000 a $ 16.065.000 (+$ 1.065.000); 10/2026 de $ 15.000.000 a $ 16.065.000 (+$ 1.065.000)"
    );
}
