use super::*;

#[test]
fn otro_si_are_numbered_os_1_os_2() {
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(draft(canon_change(12_000_000)));
    let numbers: Vec<String> = story
        .state
        .otro_si
        .iter()
        .map(|o| o.number.to_string())
        .collect();
    assert_eq!(numbers, ["OS-1", "OS-2"]);
    assert!(
        story
            .state
            .otro_si
            .iter()
            .all(|o| o.status == OtroSiStatus::Borrador)
    );
}

#[test]
fn an_otro_si_must_change_something() {
    assert_eq!(
        Story::of(terms()).refused(draft(OtroSiChanges::default())),
        "el Otro Sí debe modificar al menos un campo"
    );
}

#[test]
fn effective_to_must_follow_effective_from() {
    let command = ContratoCommand::DraftOtroSi {
        actor: gestor(),
        effective_from: d(2025, 6, 1),
        effective_to: Some(d(2025, 5, 1)),
        changes: canon_change(1),
        description: String::new(),
    };
    assert_eq!(
        Story::of(terms()).refused(command),
        "la fecha final debe ser posterior a la inicial"
    );
}

#[test]
fn the_workflow_goes_borrador_en_revision_aprobado() {
    let story = Story::of(terms()).ok(draft(canon_change(11_000_000)));
    assert_eq!(
        story.refused(approve(1)),
        "el Otro Sí OS-1 está en borrador y aún no se ha enviado a revisión"
    );
    let story = story.ok(submit(1));
    assert_eq!(story.state.otro_si[0].status, OtroSiStatus::EnRevision);
    assert_eq!(
        story.refused(submit(1)),
        "el Otro Sí OS-1 ya fue enviado a revisión"
    );
    let story = story.ok(approve(1));
    assert_eq!(story.state.otro_si[0].status, OtroSiStatus::Aprobado);
    assert_eq!(
        story.state.otro_si[0].decided_by.as_deref(),
        Some("ana.admin")
    );
    assert_eq!(story.refused(approve(1)), "el Otro Sí OS-1 ya fue aprobado");
    assert_eq!(
        story.refused(ContratoCommand::RejectOtroSi {
            actor: admin(),
            number: OtroSiNumber(1),
            reason: "x".into()
        }),
        "el Otro Sí OS-1 ya fue aprobado"
    );
}

#[test]
fn only_an_administrador_approves_or_rejects() {
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(submit(1));
    assert_eq!(
        story.refused(ContratoCommand::ApproveOtroSi {
            actor: gestor(),
            number: OtroSiNumber(1)
        }),
        "solo un administrador puede aprobar un Otro Sí"
    );
    assert_eq!(
        story.refused(ContratoCommand::RejectOtroSi {
            actor: gestor(),
            number: OtroSiNumber(1),
            reason: "No".into()
        }),
        "solo un administrador puede rechazar un Otro Sí"
    );
}

#[test]
fn a_rejection_needs_a_reason_and_is_final() {
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(submit(1));
    let reject = |reason: &str| ContratoCommand::RejectOtroSi {
        actor: admin(),
        number: OtroSiNumber(1),
        reason: reason.into(),
    };
    assert_eq!(
        story.refused(reject(" ")),
        "el campo «motivo del rechazo» es obligatorio"
    );
    let story = story.ok(reject("Canon fuera de mercado"));
    assert_eq!(story.state.otro_si[0].status, OtroSiStatus::Rechazado);
    assert_eq!(
        story.state.otro_si[0].rejection_reason.as_deref(),
        Some("Canon fuera de mercado")
    );
    assert_eq!(story.refused(approve(1)), "el Otro Sí OS-1 fue rechazado");
    assert_eq!(story.refused(submit(1)), "el Otro Sí OS-1 fue rechazado");
}

#[test]
fn approvals_follow_the_numbering() {
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(draft(canon_change(12_000_000)))
        .ok(submit(2));
    assert_eq!(
        story.refused(approve(2)),
        "el Otro Sí OS-1 debe aprobarse o rechazarse antes que el OS-2"
    );
    let story = story.ok(submit(1)).ok(approve(1)).ok(approve(2));
    assert!(
        story
            .state
            .otro_si
            .iter()
            .all(|o| o.status == OtroSiStatus::Aprobado)
    );
}

#[test]
fn only_a_draft_can_be_edited() {
    let edit = |n: i64, seen: u64| ContratoCommand::EditOtroSi {
        actor: gestor(),
        number: OtroSiNumber(1),
        effective_from: d(2025, 7, 1),
        effective_to: None,
        changes: canon_change(n),
        description: "Nuevo canon".into(),
        expected_version: seen,
    };
    // Created (1), OS-1 drafted (2), edited (3), submitted (4).
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(edit(11_500_000, 2));
    assert_eq!(
        story.state.otro_si[0].changes.canon,
        Some(pesos(11_500_000))
    );
    assert_eq!(story.state.otro_si[0].effective_from, d(2025, 7, 1));
    let story = story.ok(submit(1));
    assert_eq!(
        story.refused(edit(1, 4)),
        "el Otro Sí OS-1 ya fue enviado a revisión"
    );
}

#[test]
fn only_the_last_otro_si_can_be_deleted_and_never_an_approved_one() {
    let delete = |n: u32| ContratoCommand::DeleteOtroSi {
        actor: gestor(),
        number: OtroSiNumber(n),
    };
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(submit(1))
        .ok(approve(1))
        .ok(draft(canon_change(12_000_000)));
    assert_eq!(
        story.refused(delete(1)),
        "solo se puede eliminar el último Otro Sí (OS-2)"
    );
    assert_eq!(story.refused(delete(7)), "el Otro Sí OS-7 no existe");
    let story = story.ok(delete(2));
    assert_eq!(story.state.otro_si.len(), 1);
    assert_eq!(story.refused(delete(1)), "el Otro Sí OS-1 ya fue aprobado");
    // The number of a deleted draft is given again.
    let story = story.ok(draft(canon_change(13_000_000)));
    assert_eq!(story.state.otro_si[1].number.to_string(), "OS-2");
}

#[test]
fn only_approved_otro_si_take_effect_from_their_date() {
    let story = Story::of(terms())
        .ok(draft(canon_change(11_000_000)))
        .ok(submit(1));
    let canon = |s: &Story, date| {
        s.state
            .modality_in_force(date)
            .unwrap()
            .fixed_amount()
            .unwrap()
    };
    assert_eq!(canon(&story, d(2025, 7, 1)), pesos(10_000_000));
    let story = story.ok(approve(1));
    assert_eq!(canon(&story, d(2025, 5, 31)), pesos(10_000_000));
    assert_eq!(canon(&story, d(2025, 6, 1)), pesos(11_000_000));
}

#[test]
fn an_otro_si_may_change_the_end_date_and_the_modality() {
    let changes = OtroSiChanges {
        end_date: Some(d(2026, 6, 30)),
        modality: Some(PaymentModality::VariablePuro {
            percentage: pct("9"),
        }),
        ..OtroSiChanges::default()
    };
    let story = Story::of(terms())
        .ok(draft(changes))
        .ok(submit(1))
        .ok(approve(1));
    assert_eq!(story.state.latest_end_date(), Some(d(2026, 6, 30)));
    assert_eq!(
        story.state.end_date_in_force(d(2025, 5, 1)),
        Some(d(2025, 12, 31))
    );
    assert_eq!(
        story.state.modality_in_force(d(2025, 6, 1)),
        Some(PaymentModality::VariablePuro {
            percentage: pct("9")
        })
    );
}

#[test]
fn a_variable_otro_si_cannot_set_a_canon() {
    let changes = OtroSiChanges {
        modality: Some(PaymentModality::VariablePuro {
            percentage: pct("9"),
        }),
        canon: Some(pesos(1)),
        ..OtroSiChanges::default()
    };
    assert_eq!(
        Story::of(terms()).refused(draft(changes)),
        "el Otro Sí no puede fijar canon ni mínimo si cambia la modalidad a variable puro"
    );
}

#[test]
fn otro_si_numbers_read_and_print_as_os_n() {
    assert_eq!("OS-12".parse::<OtroSiNumber>(), Ok(OtroSiNumber(12)));
    assert_eq!("os-3".parse::<OtroSiNumber>(), Ok(OtroSiNumber(3)));
    assert_eq!(serde_json::to_string(&OtroSiNumber(2)).unwrap(), "2");
}
