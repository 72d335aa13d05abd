use arriendo_events::*;

use crate::testing::*;
use crate::vigente::{upcoming_end, vigente};
use crate::{Source, Sourced};

#[test]
fn without_amendments_every_value_comes_from_the_contract() {
    let story = Story::of(terms());
    let v = vigente(&story.state, today()).unwrap();
    assert_eq!(v.canon, Some(Sourced::contrato(pesos(10_000_000))));
    assert_eq!(v.end_date, Sourced::contrato(d(2026, 12, 31)));
    assert_eq!(v.end_date.source.phrase(), "contrato original");
    assert_eq!(v.duration_months.value, 24);
    assert_eq!(v.minimum, None);
    assert_eq!(v.percentage, None);
    assert!(v.in_force);
}

#[test]
fn an_approved_otro_si_applies_from_its_effective_date_and_names_itself() {
    let story = Story::of(terms())
        .otro_si(d(2025, 6, 1), canon(12_000_000))
        .otro_si(d(2025, 9, 1), new_end(d(2027, 6, 30)))
        .draft(d(2025, 10, 1), canon(20_000_000));
    let on = |date| vigente(&story.state, date).unwrap();

    assert_eq!(on(d(2025, 5, 31)).canon.unwrap().value, pesos(10_000_000));
    let june = on(d(2025, 6, 1));
    assert_eq!(june.canon.clone().unwrap().value, pesos(12_000_000));
    assert_eq!(june.canon.unwrap().source.phrase(), "modificado por OS-1");
    assert_eq!(june.end_date, Sourced::contrato(d(2026, 12, 31)));

    // OS-2 changes the end date; OS-3 is only a draft and changes nothing.
    let later = on(today());
    assert_eq!(
        later.end_date,
        Sourced::new(d(2027, 6, 30), Source::OtroSi("OS-2".into()))
    );
    assert_eq!(
        later.canon,
        Some(Sourced::new(
            pesos(12_000_000),
            Source::OtroSi("OS-1".into())
        ))
    );
}

#[test]
fn for_each_field_the_latest_document_that_set_it_wins() {
    let story = Story::of(hybrid(10_000_000, "5"))
        .otro_si(
            d(2025, 6, 1),
            OtroSiChanges {
                percentage: Some(pct("8")),
                ..OtroSiChanges::default()
            },
        )
        .otro_si(
            d(2025, 9, 1),
            OtroSiChanges {
                minimum: Some(pesos(11_000_000)),
                ..OtroSiChanges::default()
            },
        );
    let v = vigente(&story.state, today()).unwrap();
    assert_eq!(
        v.percentage,
        Some(Sourced::new(pct("8"), Source::OtroSi("OS-1".into())))
    );
    assert_eq!(
        v.minimum,
        Some(Sourced::new(
            pesos(11_000_000),
            Source::OtroSi("OS-2".into())
        ))
    );
    assert_eq!(v.modality.source, Source::Contrato);
    assert_eq!(v.canon, None);
}

#[test]
fn the_end_date_is_the_latest_renewals_then_the_amendments_then_the_contracts() {
    let story = Story::of(ContractTerms {
        automatic_extension: true,
        ..terms()
    })
    .otro_si(d(2025, 6, 1), new_end(d(2027, 6, 30)))
    .renewal(true);
    // RA-1 extends from the amended end by the 24 months of the contract.
    assert_eq!(story.state.renovaciones[0].new_end, d(2029, 6, 30));

    let before = vigente(&story.state, d(2027, 6, 30)).unwrap();
    assert_eq!(
        before.end_date,
        Sourced::new(d(2027, 6, 30), Source::OtroSi("OS-1".into()))
    );
    let after = vigente(&story.state, d(2027, 7, 1)).unwrap();
    assert_eq!(
        after.end_date,
        Sourced::new(d(2029, 6, 30), Source::Renovacion("RA-1".into()))
    );
    assert_eq!(after.end_date.source.phrase(), "renovado por RA-1");
    assert!(after.in_force);
    // Seen from today, the contract is heading to the renewal's end.
    assert_eq!(
        upcoming_end(&story.state, today()).unwrap(),
        Sourced::new(d(2029, 6, 30), Source::Renovacion("RA-1".into()))
    );
}

#[test]
fn a_proposed_renewal_does_not_change_the_end() {
    let story = Story::of(ContractTerms {
        automatic_extension: true,
        ..terms()
    })
    .renewal(false);
    let v = vigente(&story.state, d(2027, 1, 15)).unwrap();
    assert_eq!(v.end_date, Sourced::contrato(d(2026, 12, 31)));
    assert!(!v.in_force);
}

#[test]
fn a_recorded_adjustment_sets_the_canon() {
    let story = Story::of(terms()).adjusted(2026, "5,2", d(2026, 1, 1));
    let v = vigente(&story.state, today()).unwrap();
    // 10.000.000 × (1 + (5,2 + 2) / 100) = 10.720.000
    assert_eq!(
        v.canon,
        Some(Sourced::new(
            pesos(10_720_000),
            Source::Ajuste("IPC 2026".into())
        ))
    );
    assert_eq!(v.canon.unwrap().source.phrase(), "ajustado por IPC 2026");
}

#[test]
fn adjustment_rule_and_required_policies_name_the_otro_si_that_changed_them() {
    let story = Story::of(terms()).otro_si(
        d(2025, 6, 1),
        OtroSiChanges {
            adjustment_on: Some(AdjustmentDate::FixedDate { month: 2, day: 1 }),
            required_policies: Some(vec![requirement(PolicyKind::Rce, 80_000_000, 0)]),
            ..OtroSiChanges::default()
        },
    );
    let v = vigente(&story.state, today()).unwrap();
    let rule = v.adjustment.unwrap();
    assert_eq!(
        rule.value.on,
        AdjustmentDate::FixedDate { month: 2, day: 1 }
    );
    assert_eq!(rule.value.index, AdjustmentIndex::Ipc { points: pct("2") });
    assert_eq!(rule.source, Source::OtroSi("OS-1".into()));
    assert_eq!(v.required_policies.source, Source::OtroSi("OS-1".into()));
    assert_eq!(v.required_policies.value.len(), 1);
}

#[test]
fn in_force_between_start_and_end_and_until_terminated() {
    let story = Story::of(terms());
    let in_force = |s: &Story, date| vigente(&s.state, date).unwrap().in_force;
    assert!(!in_force(&story, d(2024, 12, 31)));
    assert!(in_force(&story, d(2025, 1, 1)));
    assert!(in_force(&story, d(2026, 12, 31)));
    assert!(!in_force(&story, d(2027, 1, 1)));

    let story = story.terminated(d(2026, 2, 15));
    assert!(in_force(&story, d(2026, 2, 14)));
    assert!(!in_force(&story, d(2026, 2, 15)));
    assert_eq!(
        vigente(&story.state, today()).unwrap().terminated_on,
        Some(d(2026, 2, 15))
    );
}
