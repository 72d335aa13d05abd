use super::*;

fn propose() -> ContratoCommand {
    ContratoCommand::ProposeRenewal { actor: gestor() }
}

fn approve_ra(n: u32) -> ContratoCommand {
    ContratoCommand::ApproveRenewal {
        actor: admin(),
        number: RenewalNumber(n),
    }
}

#[test]
fn renewal_requires_prorroga_automatica() {
    let story = Story::of(ContractTerms {
        automatic_extension: false,
        ..terms()
    });
    assert_eq!(
        story.refused(propose()),
        "el contrato CT-001 no tiene prórroga automática"
    );
}

#[test]
fn a_renewal_extends_the_end_in_force_by_the_initial_duration() {
    let story = Story::of(terms()).ok(propose());
    assert_eq!(
        story.state.renovaciones[0],
        Renewal {
            number: RenewalNumber(1),
            previous_end: d(2025, 12, 31),
            new_end: d(2026, 12, 31),
            status: RenewalStatus::Propuesta,
            proposed_by: "gus.gestor".into(),
            approved_by: None,
            annulment_reason: None,
        }
    );
    // Not in force until an administrador approves it.
    assert_eq!(story.state.latest_end_date(), Some(d(2025, 12, 31)));
    let story = story.ok(approve_ra(1));
    assert_eq!(story.state.latest_end_date(), Some(d(2026, 12, 31)));
    assert_eq!(
        story.state.end_date_in_force(d(2025, 12, 31)),
        Some(d(2025, 12, 31))
    );
    assert_eq!(
        story.state.end_date_in_force(d(2026, 1, 1)),
        Some(d(2026, 12, 31))
    );
}

#[test]
fn renewals_are_numbered_ra_1_ra_2_and_chain() {
    let story = Story::of(terms())
        .ok(propose())
        .ok(approve_ra(1))
        .ok(propose());
    assert_eq!(story.state.renovaciones[1].number.to_string(), "RA-2");
    assert_eq!(story.state.renovaciones[1].previous_end, d(2026, 12, 31));
    assert_eq!(story.state.renovaciones[1].new_end, d(2027, 12, 31));
}

#[test]
fn a_renewal_starts_from_an_end_date_changed_by_an_otro_si() {
    let changes = OtroSiChanges {
        end_date: Some(d(2026, 3, 31)),
        ..OtroSiChanges::default()
    };
    let story = Story::of(terms())
        .ok(draft(changes))
        .ok(submit(1))
        .ok(approve(1))
        .ok(propose());
    assert_eq!(story.state.renovaciones[0].previous_end, d(2026, 3, 31));
    assert_eq!(story.state.renovaciones[0].new_end, d(2027, 3, 31));
}

#[test]
fn one_pending_renewal_at_a_time() {
    let story = Story::of(terms()).ok(propose());
    assert_eq!(
        story.refused(propose()),
        "la renovación RA-1 ya está pendiente de aprobación"
    );
}

#[test]
fn only_an_administrador_approves_a_renewal_once() {
    let story = Story::of(terms()).ok(propose());
    assert_eq!(
        story.refused(ContratoCommand::ApproveRenewal {
            actor: gestor(),
            number: RenewalNumber(1)
        }),
        "solo un administrador puede aprobar una renovación"
    );
    let story = story.ok(approve_ra(1));
    assert_eq!(
        story.refused(approve_ra(1)),
        "la renovación RA-1 ya fue aprobada"
    );
    assert_eq!(story.refused(approve_ra(5)), "la renovación RA-5 no existe");
}

#[test]
fn annulling_only_the_last_renewal_and_approved_ones_only_by_an_administrador() {
    let annul = |actor: Actor, n: u32| ContratoCommand::AnnulRenewal {
        actor,
        number: RenewalNumber(n),
        reason: "Error de digitación".into(),
    };
    let story = Story::of(terms())
        .ok(propose())
        .ok(approve_ra(1))
        .ok(propose());
    assert_eq!(
        story.refused(annul(admin(), 1)),
        "solo se puede anular la última renovación (RA-2)"
    );
    let story = story.ok(annul(gestor(), 2));
    assert_eq!(story.state.renovaciones[1].status, RenewalStatus::Anulada);
    assert_eq!(
        story.refused(annul(gestor(), 1)),
        "solo un administrador puede anular una renovación aprobada"
    );
    let story = story.ok(annul(admin(), 1));
    assert_eq!(story.state.latest_end_date(), Some(d(2025, 12, 31)));
    assert_eq!(
        story.refused(annul(admin(), 1)),
        "la renovación RA-1 fue anulada"
    );
    // Numbers are never given again.
    let story = story.ok(propose());
    assert_eq!(story.state.renovaciones[2].number, RenewalNumber(3));
}
