use arriendo_events::*;
use chrono::Days;

use crate::Source;
use crate::polizas::*;
use crate::testing::*;

fn ending_in(days: u64, colchon: u32) -> Story {
    Story::of(terms()).poliza(
        1,
        rce(
            80_000_000,
            today() + Days::new(days),
            colchon,
            RequiredBy::Contract,
        ),
    )
}

fn status(story: &Story) -> PolizaStatus {
    poliza_status(&story.state.polizas[0], today())
}

#[test]
fn por_vencer_counts_the_colchon() {
    // Ending in 45 days (15/04/2026) with 1 colchón month: effective 15/03/2026, 14 days away.
    assert_eq!(status(&ending_in(45, 1)), PolizaStatus::PorVencer);
    // Ending in 75 days (15/05/2026) with 1 colchón month: effective 15/04/2026, 45 days.
    let story = ending_in(75, 1);
    assert_eq!(
        story.state.polizas[0].data.effective_expiry(),
        d(2026, 4, 15)
    );
    assert_eq!(status(&story), PolizaStatus::PorVencer);
    // Without the colchón the same póliza is still vigente.
    assert_eq!(status(&ending_in(75, 0)), PolizaStatus::Vigente);
    // Ending in 91 days (31/05/2026) with 1 colchón month: 30/04/2026 is 60 days away.
    assert_eq!(status(&ending_in(91, 1)), PolizaStatus::PorVencer);
    // Ending in 100 days (09/06/2026) with 1 colchón month: 09/05/2026 is 69 days away.
    assert_eq!(status(&ending_in(100, 1)), PolizaStatus::Vigente);
    // Ending in 14 days with 1 colchón month: the effective expiry (15/02) has passed.
    assert_eq!(status(&ending_in(14, 1)), PolizaStatus::Vencida);
    let cancelled = ending_in(200, 0).cancel_poliza(1, d(2026, 2, 1));
    assert_eq!(status(&cancelled), PolizaStatus::Cancelada);
    assert_eq!(PolizaStatus::PorVencer.label(), "Por vencer");
}

fn requiring(minimum: i64, months_of_cover: u32) -> ContractTerms {
    ContractTerms {
        required_policies: vec![requirement(PolicyKind::Rce, minimum, months_of_cover)],
        ..terms()
    }
}

#[test]
fn complies_when_it_covers_the_end_date_and_the_minimum_value() {
    let story = Story::of(requiring(80_000_000, 0))
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract));
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(c.status, ComplianceStatus::Cumple);
    assert!(c.complies());
    assert!(c.reasons.is_empty());
    assert_eq!(c.required_until, Some(d(2026, 12, 31)));
    assert_eq!(c.document, Source::Contrato);
}

#[test]
fn does_not_comply_with_spanish_reasons() {
    // $ 50.000.000 against $ 80.000.000, and one colchón month leaves it at 30/11/2026.
    let story = Story::of(requiring(80_000_000, 0))
        .poliza(1, rce(50_000_000, d(2026, 12, 31), 1, RequiredBy::Contract));
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(c.status, ComplianceStatus::NoCumple);
    assert_eq!(
        c.reasons,
        vec![
            "no cubre hasta la fecha final exigida 31/12/2026".to_string(),
            "el valor asegurado $ 50.000.000 es menor que el mínimo exigido $ 80.000.000"
                .to_string(),
        ]
    );
}

#[test]
fn months_of_cover_extend_the_required_date() {
    let story = Story::of(requiring(80_000_000, 3))
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract));
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(c.required_until, Some(d(2027, 3, 31)));
    assert_eq!(
        c.reasons,
        vec!["no cubre hasta la fecha final exigida 31/03/2027".to_string()]
    );
}

#[test]
fn sub_limits_are_checked_one_by_one() {
    let terms = ContractTerms {
        required_policies: vec![PolicyRequirement {
            rce_sublimits: Some(RceSublimits {
                medical_expenses: Some(pesos(20_000_000)),
                employer_liability: Some(pesos(30_000_000)),
                ..RceSublimits::default()
            }),
            ..requirement(PolicyKind::Rce, 80_000_000, 0)
        }],
        ..terms()
    };
    let poliza = PolizaData {
        rce_sublimits: Some(RceSublimits {
            medical_expenses: Some(pesos(10_000_000)),
            ..RceSublimits::default()
        }),
        ..rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract)
    };
    let story = Story::of(terms).poliza(1, poliza);
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(
        c.reasons,
        vec![
            "no incluye el sublímite de responsabilidad patronal (exigido $ 30.000.000)"
                .to_string(),
            "el sublímite de gastos médicos $ 10.000.000 es menor que el exigido $ 20.000.000"
                .to_string(),
        ]
    );
}

#[test]
fn checked_against_the_requirement_of_the_document_that_required_it() {
    // OS-1 raises the RCE minimum to $ 100.000.000 and extends the contract to 30/06/2027.
    let story = Story::of(requiring(80_000_000, 0))
        .otro_si(
            d(2026, 1, 1),
            OtroSiChanges {
                end_date: Some(d(2027, 6, 30)),
                required_policies: Some(vec![requirement(PolicyKind::Rce, 100_000_000, 0)]),
                ..OtroSiChanges::default()
            },
        )
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract))
        .poliza(
            2,
            rce(
                80_000_000,
                d(2027, 6, 30),
                0,
                RequiredBy::OtroSi(OtroSiNumber(1)),
            ),
        );
    let for_contract = compliance(&story.state, &story.state.polizas[0]);
    assert!(for_contract.complies(), "{:?}", for_contract.reasons);
    let for_os = compliance(&story.state, &story.state.polizas[1]);
    assert_eq!(for_os.document, Source::OtroSi("OS-1".into()));
    assert_eq!(for_os.required_until, Some(d(2027, 6, 30)));
    assert_eq!(
        for_os.reasons,
        vec![
            "el valor asegurado $ 80.000.000 es menor que el mínimo exigido $ 100.000.000"
                .to_string()
        ]
    );
}

#[test]
fn a_renewal_requires_cover_until_its_new_end() {
    let story = Story::of(ContractTerms {
        automatic_extension: true,
        ..requiring(80_000_000, 0)
    })
    .renewal(true)
    .poliza(
        1,
        rce(
            80_000_000,
            d(2027, 12, 31),
            0,
            RequiredBy::Renovacion(RenewalNumber(1)),
        ),
    );
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(c.document, Source::Renovacion("RA-1".into()));
    assert_eq!(
        c.reasons,
        vec!["no cubre hasta la fecha final exigida 31/12/2028".to_string()]
    );
}

#[test]
fn a_kind_the_document_does_not_require_is_not_required() {
    let story =
        Story::of(terms()).poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract));
    let c = compliance(&story.state, &story.state.polizas[0]);
    assert_eq!(c.status, ComplianceStatus::NoExigida);
    assert_eq!(
        c.reasons,
        vec!["el contrato no exige una póliza de tipo RCE".to_string()]
    );
}

#[test]
fn the_polizas_page_shows_status_days_and_compliance() {
    let story = Story::of(requiring(80_000_000, 0))
        .poliza(1, rce(80_000_000, d(2026, 5, 31), 1, RequiredBy::Contract));
    let views = poliza_views(&story.state, today());
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].effective_expiry, d(2026, 4, 30));
    assert_eq!(views[0].days_left, 60);
    assert_eq!(views[0].status, PolizaStatus::PorVencer);
    assert_eq!(views[0].compliance.status, ComplianceStatus::NoCumple);
    assert_eq!(missing_policies(&story.state, today()).len(), 1);
}
