use rust_decimal_macros::dec;

use super::*;

fn adjust(year: i32, ipc: &str, date: NaiveDate) -> ContratoCommand {
    ContratoCommand::RecordCanonAdjustment {
        actor: gestor(),
        year,
        index_value: pct(ipc),
        effective_date: date,
    }
}

#[test]
fn the_ipc_formula_with_concrete_numbers() {
    // 10.000.000 × (1 + (5,2 + 2) / 100) = 10.720.000
    assert_eq!(
        adjust_canon(pesos(10_000_000), dec!(7.2)),
        Ok(pesos(10_720_000))
    );
    // Half a peso rounds up: 1.234.567 × 1,05 = 1.296.295,35 → 1.296.295; 1.000.010 × 1,05 = 1.050.010,5 → 1.050.011
    assert_eq!(
        adjust_canon(pesos(1_234_567), dec!(5)),
        Ok(pesos(1_296_295))
    );
    assert_eq!(
        adjust_canon(pesos(1_000_010), dec!(5)),
        Ok(pesos(1_050_011))
    );
}

#[test]
fn records_the_adjustment_computed_in_the_domain() {
    let story = Story::of(terms());
    let events = story.when(adjust(2026, "5,2", d(2026, 1, 1))).unwrap();
    assert_eq!(
        events,
        vec![ContratoEvent::CanonAdjusted(CanonAdjustment {
            year: 2026,
            rule: AdjustmentIndex::Ipc { points: pct("2") },
            index_value: pct("5,2"),
            increase: dec!(7.2),
            previous_canon: pesos(10_000_000),
            new_canon: pesos(10_720_000),
            effective_date: d(2026, 1, 1),
            by: "gus.gestor".into(),
        })]
    );
    let story = story.ok(adjust(2026, "5,2", d(2026, 1, 1)));
    let canon = |date| {
        story
            .state
            .modality_in_force(date)
            .unwrap()
            .fixed_amount()
            .unwrap()
    };
    assert_eq!(canon(d(2025, 12, 31)), pesos(10_000_000));
    assert_eq!(canon(d(2026, 1, 1)), pesos(10_720_000));
}

#[test]
fn a_second_adjustment_in_the_same_year_is_refused() {
    let story = Story::of(terms()).ok(adjust(2026, "5,2", d(2026, 1, 1)));
    assert_eq!(
        story.refused(adjust(2026, "5,2", d(2026, 2, 1))),
        "el canon del contrato CT-001 ya fue ajustado para 2026"
    );
    // The next year starts from the adjusted canon.
    let story = story.ok(adjust(2027, "4", d(2027, 1, 1)));
    assert_eq!(story.state.ajustes[1].previous_canon, pesos(10_720_000));
    assert_eq!(story.state.ajustes[1].new_canon, pesos(11_363_200));
}

#[test]
fn the_adjustment_starts_from_the_canon_set_by_an_approved_otro_si() {
    let story = Story::of(terms())
        .ok(draft(canon_change(12_000_000)))
        .ok(submit(1))
        .ok(approve(1));
    let events = story.when(adjust(2026, "5,2", d(2026, 1, 1))).unwrap();
    let ContratoEvent::CanonAdjusted(adjustment) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(adjustment.previous_canon, pesos(12_000_000));
    assert_eq!(adjustment.new_canon, pesos(12_864_000));
}

#[test]
fn minimum_wage_adjustment_uses_a_share_of_the_increase() {
    let smlv = ContractTerms {
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::SalarioMinimo {
                percentage_of_increase: pct("50"),
            },
            on: AdjustmentDate::FixedDate { month: 2, day: 1 },
        }),
        ..terms()
    };
    let events = Story::of(smlv)
        .when(adjust(2026, "9,5", d(2026, 2, 1)))
        .unwrap();
    let ContratoEvent::CanonAdjusted(adjustment) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(adjustment.increase, dec!(4.75));
    assert_eq!(adjustment.new_canon, pesos(10_475_000));
}

#[test]
fn a_hybrid_contract_adjusts_its_minimum() {
    let story = Story::of(hybrid_terms()).ok(adjust(2026, "5,2", d(2026, 1, 1)));
    assert_eq!(
        story.state.modality_in_force(d(2026, 1, 1)),
        Some(PaymentModality::Hibrido {
            minimum: pesos(5_360_000),
            percentage: pct("8")
        })
    );
}

#[test]
fn refused_without_a_rule_or_a_canon() {
    let no_rule = ContractTerms {
        adjustment: None,
        ..terms()
    };
    assert_eq!(
        Story::of(no_rule).refused(adjust(2026, "5,2", d(2026, 1, 1))),
        "el contrato CT-001 no tiene pactado un ajuste anual del canon"
    );
    let variable = ContractTerms {
        modality: PaymentModality::VariablePuro {
            percentage: pct("8"),
        },
        sales_report_due_day: Some(5),
        ..terms()
    };
    assert_eq!(
        Story::of(variable).refused(adjust(2026, "5,2", d(2026, 1, 1))),
        "el contrato CT-001 es variable puro y no tiene canon que ajustar"
    );
}

#[test]
fn the_adjustment_date_of_a_year() {
    assert_eq!(
        AdjustmentDate::Anniversary.in_year(2026, d(2024, 2, 29)),
        Some(d(2026, 2, 28))
    );
    assert_eq!(
        AdjustmentDate::FixedDate { month: 3, day: 15 }.in_year(2026, d(2024, 1, 1)),
        Some(d(2026, 3, 15))
    );
    let bad = ContractTerms {
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc {
                points: Percentage::ZERO,
            },
            on: AdjustmentDate::FixedDate { month: 2, day: 30 },
        }),
        ..terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: bad
        }),
        "la fecha de ajuste 30/2 no existe"
    );
}

/// Fixed canon $ 10.000.000 from 01/06/2024, adjusted on the anniversary by IPC + 1.
fn since_june_2024() -> ContractTerms {
    ContractTerms {
        start_date: d(2024, 6, 1),
        signing_date: d(2024, 5, 15),
        end_date: d(2027, 5, 31),
        initial_duration_months: 36,
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc { points: pct("1") },
            on: AdjustmentDate::Anniversary,
        }),
        ..terms()
    }
}

#[test]
fn missed_years_are_pending_earliest_first() {
    let story = Story::of(since_june_2024());
    assert_eq!(
        story.state.pending_adjustments(d(2026, 6, 15)),
        vec![d(2025, 6, 1), d(2026, 6, 1)]
    );
    let story = story.ok(adjust(2025, "5,2", d(2025, 6, 1)));
    assert_eq!(
        story.state.pending_adjustments(d(2026, 6, 15)),
        vec![d(2026, 6, 1)]
    );
}

#[test]
fn missed_years_are_applied_in_order_because_they_compound() {
    let story = Story::of(since_june_2024());
    assert_eq!(
        story.refused(adjust(2026, "5,1", d(2026, 6, 1))),
        "primero debe aplicarse el ajuste de 2025, antes que el de 2026: los ajustes se acumulan y se aplican en orden"
    );
    // 2025: 10.000.000 × 1,062 = 10.620.000; 2026 compounds: 10.620.000 × 1,061 = 11.267.820.
    let story = story
        .ok(adjust(2025, "5,2", d(2025, 6, 1)))
        .ok(adjust(2026, "5,1", d(2026, 6, 1)));
    assert_eq!(story.state.ajustes[0].new_canon, pesos(10_620_000));
    assert_eq!(story.state.ajustes[1].previous_canon, pesos(10_620_000));
    assert_eq!(story.state.ajustes[1].new_canon, pesos(11_267_820));
}

#[test]
fn an_earlier_year_cannot_be_applied_after_a_later_one() {
    // A 2026 adjustment recorded before this rule existed: 2025 can no longer slot in under it.
    let mut story = Story::of(since_june_2024());
    story
        .state
        .apply(ContratoEvent::CanonAdjusted(CanonAdjustment {
            year: 2026,
            rule: AdjustmentIndex::Ipc { points: pct("1") },
            index_value: pct("5,1"),
            increase: dec!(6.1),
            previous_canon: pesos(10_000_000),
            new_canon: pesos(10_610_000),
            effective_date: d(2026, 6, 1),
            by: "gus.gestor".into(),
        }));
    assert_eq!(
        story.refused(adjust(2025, "5,2", d(2025, 6, 1))),
        "el ajuste de 2025 no puede aplicarse después del de 2026: los ajustes se acumulan y se aplican en orden"
    );
}
