use super::*;
use crate::DateRange;

#[test]
fn creates_a_fixed_canon_contract() {
    let events = Story::new()
        .when(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: terms(),
        })
        .unwrap();
    assert_eq!(events, vec![ContratoEvent::ContractCreated(terms())]);
}

#[test]
fn creates_a_variable_contract_with_its_sales_report_day() {
    let variable = ContractTerms {
        modality: PaymentModality::VariablePuro {
            percentage: pct("7,5"),
        },
        sales_report_due_day: Some(10),
        ..terms()
    };
    let story = Story::of(variable.clone());
    assert_eq!(story.state.terms, Some(variable));
}

#[test]
fn creates_a_hybrid_contract() {
    let story = Story::of(hybrid_terms());
    assert_eq!(
        story
            .state
            .modality_in_force(d(2025, 3, 1))
            .unwrap()
            .fixed_amount(),
        Some(pesos(5_000_000))
    );
}

#[test]
fn variable_and_hybrid_require_the_sales_report_day() {
    let no_day = ContractTerms {
        sales_report_due_day: None,
        ..hybrid_terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: no_day
        }),
        "los contratos variables e híbridos requieren el día de entrega del informe de ventas"
    );
    let day_31 = ContractTerms {
        sales_report_due_day: Some(31),
        ..hybrid_terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: day_31
        }),
        "el día de entrega del informe de ventas debe estar entre 1 y 28"
    );
}

#[test]
fn the_end_must_come_after_the_start() {
    let backwards = ContractTerms {
        end_date: d(2024, 12, 31),
        ..terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: backwards
        }),
        "la fecha final debe ser posterior a la inicial"
    );
}

#[test]
fn a_fixed_canon_cannot_be_zero() {
    let zero = ContractTerms {
        modality: PaymentModality::Fijo { canon: Money::ZERO },
        ..terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: zero
        }),
        "el canon debe ser mayor que cero"
    );
}

#[test]
fn the_grace_period_is_a_valid_range_inside_the_contract() {
    assert_eq!(
        DateRange::new(d(2025, 3, 1), d(2025, 2, 1))
            .unwrap_err()
            .to_string(),
        "la fecha final debe ser posterior a la inicial"
    );
    let grace = |from, to| GracePeriod {
        period: DateRange::new(from, to).unwrap(),
        canon: Money::ZERO,
        condition: "Adecuaciones del local".into(),
    };
    let inside = ContractTerms {
        grace_period: Some(grace(d(2025, 1, 1), d(2025, 2, 28))),
        ..terms()
    };
    assert!(
        Story::new()
            .when(ContratoCommand::CreateContract {
                actor: gestor(),
                terms: inside
            })
            .is_ok()
    );
    let outside = ContractTerms {
        grace_period: Some(grace(d(2024, 12, 1), d(2025, 2, 28))),
        ..terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: outside
        }),
        "el periodo de gracia debe estar dentro de la vigencia del contrato"
    );
}

#[test]
fn a_grace_period_with_an_inverted_range_cannot_even_be_read() {
    let mut json = serde_json::to_value(terms()).unwrap();
    json["grace_period"] = serde_json::json!({
        "period": {"from": "2025-03-01", "to": "2025-02-01"}, "canon": 0, "condition": "x"
    });
    assert!(serde_json::from_value::<ContractTerms>(json).is_err());
}

#[test]
fn notice_days_default_to_60() {
    let mut json = serde_json::to_value(terms()).unwrap();
    json.as_object_mut().unwrap().remove("preaviso_days");
    json.as_object_mut()
        .unwrap()
        .remove("early_termination_notice_days");
    let read: ContractTerms = serde_json::from_value(json).unwrap();
    assert_eq!(
        (read.preaviso_days, read.early_termination_notice_days),
        (60, 60)
    );
}

#[test]
fn a_policy_kind_is_required_once() {
    let req = PolicyRequirement {
        kind: PolicyKind::Rce,
        minimum_insured: pesos(100_000_000),
        months_of_cover: 3,
        rce_sublimits: None,
        cumplimiento_cover: None,
    };
    let twice = ContractTerms {
        required_policies: vec![req.clone(), req],
        ..terms()
    };
    assert_eq!(
        Story::new().refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: twice
        }),
        "el tipo de póliza RCE está repetido entre las pólizas requeridas"
    );
}

#[test]
fn the_contract_is_created_once() {
    let story = Story::of(terms());
    assert_eq!(
        story.refused(ContratoCommand::CreateContract {
            actor: gestor(),
            terms: terms()
        }),
        "el contrato CT-001 ya existe"
    );
}

#[test]
fn terms_cannot_be_edited_after_termination() {
    let story = Story::of(terms()).ok(ContratoCommand::TerminateContract {
        actor: gestor(),
        date: d(2025, 8, 31),
        reason: "Mutuo acuerdo".into(),
    });
    let edited = ContractTerms {
        purpose: "Otro".into(),
        ..terms()
    };
    assert_eq!(
        story.refused(ContratoCommand::UpdateContractTerms {
            actor: gestor(),
            terms: edited,
            expected_version: story.state.versions.of(ContratoPart::Terms),
            reason: "Corrección del objeto".into(),
        }),
        "el contrato CT-001 ya fue terminado"
    );
    assert_eq!(
        story.refused(ContratoCommand::TerminateContract {
            actor: gestor(),
            date: d(2025, 9, 1),
            reason: "x".into()
        }),
        "el contrato CT-001 ya fue terminado"
    );
    // Follow-up notes are still welcome.
    let story = story.ok(ContratoCommand::AddSeguimiento {
        actor: gestor(),
        date: d(2025, 9, 1),
        note: "Entregó el local".into(),
        follow_up: None,
    });
    assert_eq!(story.state.seguimientos[0].author, "gus.gestor");
}

#[test]
fn editing_with_no_change_records_nothing() {
    let story = Story::of(terms());
    assert_eq!(
        story.when(ContratoCommand::UpdateContractTerms {
            actor: gestor(),
            terms: terms(),
            expected_version: 1,
            reason: "Corrección del objeto".into(),
        }),
        Ok(vec![])
    );
}

#[test]
fn only_an_administrador_deletes_a_contract_and_nothing_happens_after() {
    let story = Story::of(terms());
    assert_eq!(
        story.refused(ContratoCommand::DeleteContract {
            actor: gestor(),
            reason: "Duplicado".into()
        }),
        "solo un administrador puede eliminar un contrato"
    );
    let story = story.ok(ContratoCommand::DeleteContract {
        actor: admin(),
        reason: "Duplicado".into(),
    });
    assert_eq!(
        story.refused(draft(canon_change(11_000_000))),
        "el contrato CT-001 fue eliminado"
    );
}

#[test]
fn commands_on_a_contract_that_does_not_exist_are_refused() {
    assert_eq!(
        Story::new().refused(draft(canon_change(1))),
        "el contrato no existe"
    );
}

#[test]
fn an_edit_of_the_terms_states_its_reason() {
    let story = Story::of(terms());
    let edited = ContractTerms {
        preaviso_days: 90,
        ..terms()
    };
    let edit = |reason: &str| ContratoCommand::UpdateContractTerms {
        actor: gestor(),
        terms: edited.clone(),
        expected_version: 0,
        reason: reason.into(),
    };
    assert_eq!(
        crate::testing::refusal(story.when_edit(edit("   "))),
        "el campo «motivo» es obligatorio"
    );
    assert_eq!(
        story.when_edit(edit("  Preaviso de 90 días según la cláusula 5 ")),
        Ok(vec![ContratoEvent::ContractTermsUpdated(TermsUpdate {
            terms: edited.clone(),
            reason: "Preaviso de 90 días según la cláusula 5".into(),
        })])
    );
    let event = ContratoEvent::ContractTermsUpdated(TermsUpdate {
        terms: edited.clone(),
        reason: "x".repeat(10_001),
    });
    assert!(
        event.check_bounds().is_err(),
        "the reason is bounded like any text"
    );
    // An edit recorded by 1.0 (the terms alone) still reads, with no reason.
    let old = serde_json::json!({ "ContractTermsUpdated": serde_json::to_value(&edited).unwrap() });
    assert_eq!(
        serde_json::from_value::<ContratoEvent>(old).unwrap(),
        ContratoEvent::ContractTermsUpdated(TermsUpdate {
            terms: edited,
            reason: String::new(),
        })
    );
}

#[test]
fn follow_up_notes_are_corrected_and_retracted_without_losing_the_original() {
    let story = Story::of(terms());
    assert_eq!(
        story.refused(ContratoCommand::AddSeguimiento {
            actor: gestor(),
            date: d(2025, 3, 10),
            note: "Llamar".into(),
            follow_up: Some(d(2025, 3, 9)),
        }),
        "la fecha de seguimiento no puede ser anterior a la fecha de la nota"
    );
    let story = story.ok(ContratoCommand::AddSeguimiento {
        actor: gestor(),
        date: d(2025, 3, 10),
        note: "Llamar por la póliza RCE".into(),
        follow_up: Some(d(2025, 3, 17)),
    });
    assert_eq!(story.state.seguimientos[0].follow_up, Some(d(2025, 3, 17)));
    let correct = |note: &str| ContratoCommand::CorrectSeguimiento {
        actor: gestor(),
        index: 0,
        note: note.into(),
    };
    assert_eq!(
        story.when(correct("Llamar por la póliza RCE")),
        Ok(vec![]),
        "same text"
    );
    assert_eq!(
        story.refused(correct("  ")),
        "la nota de seguimiento no puede estar vacía"
    );
    let story = story.ok(correct("Llamar por la póliza RCE y la de cumplimiento"));
    assert_eq!(
        story.state.seguimientos[0].note,
        "Llamar por la póliza RCE y la de cumplimiento"
    );
    assert_eq!(
        story.state.seguimientos[0].corrected_by.as_deref(),
        Some("gus.gestor")
    );
    let retract = |index: u32, reason: &str| ContratoCommand::RetractSeguimiento {
        actor: gestor(),
        index,
        reason: reason.into(),
    };
    assert_eq!(
        story.refused(retract(0, "")),
        "el campo «motivo del retiro» es obligatorio"
    );
    assert_eq!(
        story.refused(retract(3, "x")),
        "no existe la nota de seguimiento número 4"
    );
    let story = story.ok(retract(0, "Se registró en el contrato equivocado"));
    assert!(!story.state.seguimientos[0].is_active());
    assert_eq!(
        story.refused(correct("otra")),
        "la nota de seguimiento número 1 ya fue retirada"
    );
    assert_eq!(
        story.refused(retract(0, "otra vez")),
        "la nota de seguimiento número 1 ya fue retirada"
    );
    // A note of 1.0 reads with no follow-up date.
    let old = serde_json::json!({"SeguimientoAdded": {"date": "2024-01-02", "author": "ana", "note": "Visita"}});
    match serde_json::from_value::<ContratoEvent>(old).unwrap() {
        ContratoEvent::SeguimientoAdded(s) => assert_eq!(s.follow_up, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_clause_checklist_replaces_the_last_one_and_refuses_repeats_and_stale_forms() {
    use uuid::Uuid;
    let created = Story::of(terms());
    let ids = vec![Uuid::from_u128(20), Uuid::from_u128(21)];
    fn record(clause_ids: Vec<Uuid>, expected_version: u64) -> ContratoCommand {
        ContratoCommand::RecordClauseChecklist {
            actor: gestor(),
            clause_ids,
            expected_version,
        }
    }
    assert_eq!(
        created.when(record(ids.clone(), 0)),
        Ok(vec![ContratoEvent::ClauseChecklistRecorded {
            clause_ids: ids.clone(),
            by: "gus.gestor".into(),
        }])
    );
    let recorded = Story::of(terms()).ok(record(ids.clone(), 0));
    assert_eq!(recorded.state.clauses, ids);
    // The same set in another order records nothing.
    assert_eq!(recorded.when(record(vec![ids[1], ids[0]], 2)), Ok(vec![]));
    // A form prepared before that checklist is stale.
    assert_eq!(
        recorded.when(record(vec![], 0)).map_err(|e| e.to_string()),
        Err("la lista de cláusulas del contrato cambió mientras la editaba".to_string())
    );
    assert_eq!(
        created
            .when(record(vec![ids[0], ids[1], ids[0]], 0))
            .map_err(|e| e.to_string()),
        Err(format!("la cláusula {} está repetida en la lista", ids[0]))
    );
    let many = (0..1_001u128).map(Uuid::from_u128).collect();
    assert_eq!(
        created.when(record(many, 0)).map_err(|e| e.to_string()),
        Err("la lista admite como máximo 1000 cláusulas".to_string())
    );
}
