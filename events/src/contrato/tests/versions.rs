//! Lost updates: an edit carries the version of what its form showed, and is refused when that
//! part of the contract changed since. Appends never conflict.

use uuid::Uuid;

use super::*;
use crate::{DateRange, YearMonth};

fn edit_terms(purpose: &str, seen: u64) -> ContratoCommand {
    ContratoCommand::UpdateContractTerms {
        actor: gestor(),
        terms: ContractTerms {
            purpose: purpose.into(),
            ..terms()
        },
        expected_version: seen,
        reason: "Cambio del objeto".into(),
    }
}

fn note(text: &str) -> ContratoCommand {
    ContratoCommand::AddSeguimiento {
        actor: gestor(),
        date: d(2025, 2, 1),
        note: text.into(),
        follow_up: None,
    }
}

#[test]
fn the_aggregate_counts_its_own_version() {
    let story = Story::of(terms()).ok(note("Llamada")).ok(note("Visita"));
    assert_eq!(story.state.versions.stream, 3);
    assert_eq!(story.state.versions.of(ContratoPart::Terms), 1);
    assert_eq!(
        story
            .state
            .versions
            .of(ContratoPart::OtroSi(OtroSiNumber(1))),
        0
    );
}

#[test]
fn of_two_edits_prepared_from_the_same_version_the_second_is_refused() {
    // Ana and Luis both open the edit form of CT-001 at version 1.
    let story = Story::of(terms());
    let seen = story.state.versions.of(ContratoPart::Terms);
    let story = story.ok(edit_terms("Venta de calzado", seen));
    assert_eq!(
        story.refused(edit_terms("Venta de ropa infantil", seen)),
        "el contrato cambió mientras lo editaba"
    );
    // Luis looks at the current terms and saves again, now from version 2.
    let now = story.state.versions.of(ContratoPart::Terms);
    assert_eq!(now, 2);
    let story = story.ok(edit_terms("Venta de ropa infantil", now));
    assert_eq!(
        story.state.terms.as_ref().map(|t| t.purpose.as_str()),
        Some("Venta de ropa infantil")
    );
}

#[test]
fn a_note_added_meanwhile_does_not_make_an_edit_stale_and_notes_never_conflict() {
    let story = Story::of(terms());
    let seen = story.state.versions.of(ContratoPart::Terms);
    let story = story
        .ok(note("Llamada del arrendatario"))
        .ok(note("Llamada del arrendatario"));
    let story = story.ok(edit_terms("Venta de calzado", seen));
    assert_eq!(story.state.seguimientos.len(), 2);
    assert_eq!(story.state.versions.stream, 4);
}

#[test]
fn a_stale_otro_si_edit_is_refused_but_another_amendment_does_not_matter() {
    let edit = |n: i64, seen: u64| ContratoCommand::EditOtroSi {
        actor: gestor(),
        number: OtroSiNumber(1),
        effective_from: d(2025, 7, 1),
        effective_to: None,
        changes: canon_change(n),
        description: "Nuevo canon".into(),
        expected_version: seen,
    };
    let story = Story::of(terms()).ok(draft(canon_change(11_000_000)));
    let seen = story
        .state
        .versions
        .of(ContratoPart::OtroSi(OtroSiNumber(1)));
    assert_eq!(seen, 2);
    let story = story
        .ok(draft(canon_change(12_000_000)))
        .ok(edit(11_500_000, seen));
    assert_eq!(
        story.refused(edit(11_800_000, seen)),
        "el Otro Sí OS-1 cambió mientras lo editaba"
    );
}

#[test]
fn a_stale_poliza_edit_is_refused() {
    let poliza = PolizaData {
        kind: PolicyKind::Cumplimiento,
        number: "CU-1".into(),
        insurer: "Sura".into(),
        insured_value: pesos(30_000_000),
        rce_sublimits: None,
        cumplimiento_cover: None,
        validity: DateRange::new(d(2025, 1, 1), d(2026, 1, 31)).unwrap(),
        state: PolizaState::AporteInicial,
        required_by: RequiredBy::Contract,
        colchon_months: 0,
    };
    let id = Uuid::from_u128(7);
    let update = |insurer: &str, seen: u64| ContratoCommand::UpdatePoliza {
        actor: gestor(),
        id,
        poliza: PolizaData {
            insurer: insurer.into(),
            ..poliza.clone()
        },
        expected_version: seen,
    };
    let story = Story::of(terms()).ok(ContratoCommand::RegisterPoliza {
        actor: gestor(),
        id,
        poliza: poliza.clone(),
    });
    let seen = story.state.versions.of(ContratoPart::Poliza(id));
    let story = story.ok(update("Allianz", seen));
    assert_eq!(
        story.refused(update("Bolívar", seen)),
        "la póliza cambió mientras la editaba"
    );
}

#[test]
fn sales_reports_of_other_months_do_not_conflict_but_the_same_month_does() {
    let march = YearMonth::new(2025, 3).unwrap();
    let april = YearMonth::new(2025, 4).unwrap();
    let register = |period| ContratoCommand::RegisterSalesReport {
        actor: gestor(),
        period,
        deadline: None,
    };
    let deliver = |period, gross: i64, seen: u64| ContratoCommand::MarkSalesReportDelivered {
        actor: gestor(),
        period,
        date: d(2025, 4, 8),
        gross_sales: pesos(gross),
        returns: pesos(0),
        expected_version: seen,
    };
    let story = Story::of(hybrid_terms()).ok(register(march));
    let march_seen = story.state.versions.of(ContratoPart::SalesReport(march));
    // April is registered and delivered meanwhile: March's delivery still goes through.
    let story = story.ok(register(april));
    let april_seen = story.state.versions.of(ContratoPart::SalesReport(april));
    let story = story
        .ok(deliver(april, 90_000_000, april_seen))
        .ok(deliver(march, 80_000_000, march_seen));
    // A second correction of March prepared before the first is refused.
    assert_eq!(
        story.refused(deliver(march, 81_000_000, march_seen)),
        "el informe de ventas de 03/2025 cambió mientras lo editaba"
    );
}
