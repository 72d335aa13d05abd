use super::*;

fn base() -> FormValues {
    FormValues::new()
        .with("numero", "CT-1")
        .with("clase", "cliente")
        .with("tercero", Uuid::nil().to_string())
        .with("objeto", "Local comercial")
        .with("fecha_firma", "2026-01-01")
        .with("fecha_inicio", "2026-01-01")
        .with("duracion_meses", "12")
        .with("fecha_fin", "2026-12-31")
        .with("modalidad", "fijo")
        .with("canon", "12.500.000")
}

#[test]
fn parses_money_as_typed_and_round_trips() {
    let mut errors = FormErrors::new();
    let v = base()
        .with("ajuste_indice", "ipc")
        .with("ajuste_puntos", "2")
        .with("pol_rce", "true")
        .with("pol_rce_valor", "$100.000.000")
        .with("pol_rce_meses", "3");
    let terms = terms_from_form(&v, &mut errors).expect("valid");
    assert!(errors.is_empty());
    assert_eq!(
        terms.modality.fixed_amount().map(Money::pesos),
        Some(12_500_000)
    );
    assert_eq!(terms.required_policies.len(), 1);
    let back = form_from_terms(&terms);
    assert_eq!(back.get("canon"), "12.500.000");
    assert_eq!(back.get("ajuste_indice"), "ipc");
    let mut e2 = FormErrors::new();
    assert_eq!(terms_from_form(&back, &mut e2), Some(terms));
}

#[test]
fn sublimits_and_cover_parsed_kept_and_round_tripped() {
    let mut errors = FormErrors::new();
    let v = base()
        .with("pol_rce", "true")
        .with("pol_rce_valor", "100.000.000")
        .with("pol_rce_medicos", "20.000.000")
        .with("pol_arrendamiento", "true")
        .with("pol_arrendamiento_valor", "50.000.000")
        .with("pol_arrendamiento_iva", "$ 2.375.000")
        .with("pol_todo_riesgo_iva", "9.999");
    let terms = terms_from_form(&v, &mut errors).expect("valid");
    let rce = &terms.required_policies[0];
    assert_eq!(
        rce.rce_sublimits.and_then(|s| s.medical_expenses),
        Money::from_pesos(20_000_000).ok()
    );
    assert_eq!(rce.cumplimiento_cover, None);
    let arr = &terms.required_policies[1];
    assert_eq!(
        arr.cumplimiento_cover.and_then(|c| c.vat),
        Money::from_pesos(2_375_000).ok()
    );
    assert_eq!(arr.rce_sublimits, None);
    let back = form_from_terms(&terms);
    assert_eq!(back.get("pol_rce_medicos"), "20.000.000");
    assert_eq!(back.get("pol_arrendamiento_iva"), "2.375.000");
    let mut e2 = FormErrors::new();
    assert_eq!(terms_from_form(&back, &mut e2), Some(terms));

    let mut errors = FormErrors::new();
    let bad = v.with("pol_rce_lucro", "mucho");
    assert!(terms_from_form(&bad, &mut errors).is_none());
    assert!(
        errors
            .get("pol_rce_lucro")
            .is_some_and(|m| m.contains("«mucho»")),
        "{errors:?}"
    );
}

#[test]
fn otrosi_keeps_the_sublimits_it_is_given() {
    let mut errors = FormErrors::new();
    let v = FormValues::new()
        .with("vigencia_desde", "2026-02-01")
        .with("cambia_polizas", "true")
        .with("pol_cumplimiento", "true")
        .with("pol_cumplimiento_valor", "80.000.000")
        .with("pol_cumplimiento_canon", "30.000.000");
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let o = otrosi_from_form(&v, &mut errors, start, None).expect("valid");
    let list = o.changes.required_policies.clone().unwrap_or_default();
    assert_eq!(
        list[0].cumplimiento_cover.and_then(|c| c.rent),
        Money::from_pesos(30_000_000).ok()
    );
    let draft = OtroSi {
        number: arriendo_events::OtroSiNumber(1),
        effective_from: o.effective_from,
        effective_to: o.effective_to,
        changes: o.changes,
        description: o.description,
        status: arriendo_events::OtroSiStatus::Borrador,
        drafted_by: "gus".into(),
        submitted_by: None,
        decided_by: None,
        rejection_reason: None,
    };
    let back = form_from_otrosi(&draft);
    assert_eq!(back.get("pol_cumplimiento_canon"), "30.000.000");
}

#[test]
fn errors_go_beside_their_fields() {
    let mut errors = FormErrors::new();
    let v = base().with("canon", "-5").with("modalidad", "hibrido");
    assert!(terms_from_form(&v, &mut errors).is_none());
    assert!(errors.get("canon").is_some());
    assert!(errors.get("porcentaje").is_some());
    let mut errors = FormErrors::new();
    let v = base().with("fecha_fin", "2025-01-01");
    assert!(terms_from_form(&v, &mut errors).is_none());
    assert!(errors.get("fecha_fin").is_some(), "{errors:?}");
}

#[test]
fn otrosi_changes_only_what_is_filled() {
    let mut errors = FormErrors::new();
    let v = FormValues::new()
        .with("vigencia_desde", "2026-02-01")
        .with("canon", "13.000.000");
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let o = otrosi_from_form(&v, &mut errors, start, None).expect("valid");
    assert_eq!(o.changes.canon.map(Money::pesos), Some(13_000_000));
    assert!(o.changes.end_date.is_none());
    let mut errors = FormErrors::new();
    let empty = FormValues::new().with("vigencia_desde", "2026-02-01");
    assert!(otrosi_from_form(&empty, &mut errors, start, None).is_none());
    assert!(!errors.is_empty());
}
