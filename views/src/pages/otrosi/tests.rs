use super::*;
use arriendo_events::{
    ContractKind, ContractTerms, Contrato, ContratoEvent, Money, OtroSiNumber, PaymentModality,
};
use arriendo_projections::vigente;
use chrono::NaiveDate;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// A fixed-canon contract with OS-1 (canon 13.000.000, new end) approved and OS-2 in review.
pub fn fixture() -> Contrato {
    let mut c = Contrato::default();
    c.apply_event(ContratoEvent::ContractCreated(ContractTerms {
        number: "CT-100".into(),
        kind: ContractKind::Cliente,
        purpose: "Venta de café".into(),
        tercero_id: Default::default(),
        local_id: None,
        signing_date: d(2025, 1, 1),
        start_date: d(2025, 1, 1),
        initial_duration_months: 24,
        end_date: d(2026, 12, 31),
        automatic_extension: true,
        preaviso_days: 60,
        early_termination_notice_days: 60,
        modality: PaymentModality::Fijo {
            canon: Money::from_pesos(12_500_000).unwrap_or(Money::ZERO),
        },
        sales_report_due_day: None,
        adjustment: None,
        grace_period: None,
        required_policies: vec![],
        penalty_clause: String::new(),
        late_payment_interest: String::new(),
        signed_document_url: None,
        type_id: None,
    }));
    for (n, canon, end) in [
        (1, 13_000_000, Some(d(2027, 12, 31))),
        (2, 14_000_000, None),
    ] {
        c.apply_event(ContratoEvent::OtroSiDrafted {
            number: OtroSiNumber(n),
            effective_from: d(2026, 1, 1),
            effective_to: None,
            changes: OtroSiChanges {
                canon: Money::from_pesos(canon).ok(),
                end_date: end,
                ..OtroSiChanges::default()
            },
            description: format!("OS {n}"),
            by: "gestor".into(),
        });
        c.apply_event(ContratoEvent::OtroSiSubmitted {
            number: OtroSiNumber(n),
            by: "gestor".into(),
        });
    }
    c.apply_event(ContratoEvent::OtroSiApproved {
        number: OtroSiNumber(1),
        by: "admin".into(),
    });
    c
}

#[test]
fn shows_changes_against_the_terms_in_force() {
    let c = fixture();
    let v = vigente(&c, d(2026, 3, 1)).unwrap_or_else(|| unreachable!());
    let os2 = &c.otro_si[1];
    let ctx = PageContext {
        csrf_token: "tok".into(),
        ..PageContext::default()
    };
    let html = otrosi_page(
        &ctx,
        &OtroSiDetail {
            contract_id: "c1",
            contract_number: "CT-100",
            otro_si: os2,
            vigente: &v,
            before: &v,
            tercero_name: "Café Andino S.A.S.",
            local_name: None,
            is_last: true,
            contract_open: true,
            can_write: true,
            is_admin: true,
            errors: &FormErrors::new(),
        },
    )
    .into_string();
    assert!(html.contains("OS-2 del contrato CT-100"));
    assert!(html.contains("En revisión"));
    // In force today: 13.000.000 set by OS-1; with OS-2: 14.000.000.
    assert!(html.contains("$ 13.000.000 <span class=\"source-tag\">modificado por OS-1</span>"));
    assert!(html.contains("<strong>$ 14.000.000</strong>"));
    assert!(html.contains("action=\"/contratos/c1/otrosi/2/aprobar\""));
    assert!(html.contains("action=\"/contratos/c1/otrosi/2/rechazar\""));
    assert!(html.contains("action=\"/contratos/c1/otrosi/2/eliminar\""));
    // A gestor sees no approval.
    let html = otrosi_page(
        &ctx,
        &OtroSiDetail {
            contract_id: "c1",
            contract_number: "CT-100",
            otro_si: os2,
            vigente: &v,
            before: &v,
            tercero_name: "",
            local_name: None,
            is_last: true,
            contract_open: true,
            can_write: true,
            is_admin: false,
            errors: &FormErrors::new(),
        },
    )
    .into_string();
    assert!(!html.contains("/aprobar"));
    assert!(html.contains("Un administrador debe aprobarlo o rechazarlo."));
}

#[test]
fn form_keeps_values_and_shows_terms_in_force() {
    let c = fixture();
    let v = vigente(&c, d(2026, 3, 1)).unwrap_or_else(|| unreachable!());
    let values = FormValues::new()
        .with("vigencia_desde", "2026-03-01")
        .with("canon", "15.000.000");
    let mut errors = FormErrors::new();
    errors.add("fecha_fin", "La nueva fecha final debe ser posterior.");
    let html = otrosi_form_page(
        &PageContext::default(),
        &OtroSiFormPage {
            contract_id: "c1",
            contract_number: "CT-100",
            number: None,
            values: &values,
            errors: &errors,
            vigente: &v,
            before: &v,
            tercero_name: "Café Andino S.A.S.",
            local_name: None,
            saved: Some(&c.otro_si[1].changes),
            conflict: None,
        },
    )
    .into_string();
    assert!(html.contains("action=\"/contratos/c1/otrosi\""));
    assert!(html.contains("value=\"15.000.000\""));
    assert!(html.contains("id=\"campo-fecha_fin-error\""));
    assert!(html.contains("modificado por OS-1"));
    assert!(html.contains("31/12/2027"));
    assert!(html.contains("Lo que cambia el borrador guardado"));
    assert!(html.contains("<strong>$ 14.000.000</strong>"));
    // A fixed-canon contract is offered a new canon, not a minimum or a share of sales.
    assert!(html.contains("name=\"canon\""));
    assert!(!html.contains("name=\"minimo\""));
    assert!(!html.contains("name=\"porcentaje\""));
    // The summary names the field.
    assert!(html.contains("Nueva fecha de terminación: la nueva fecha final debe ser posterior."));
}

#[test]
fn a_hibrido_otro_si_offers_only_the_hibrido_fields() {
    let mut c = fixture();
    if let Some(t) = c.terms.as_mut() {
        t.modality = PaymentModality::Hibrido {
            minimum: Money::from_pesos(12_500_000).unwrap_or(Money::ZERO),
            percentage: arriendo_events::Percentage::parse("8").unwrap_or_default(),
        };
    }
    c.otro_si.clear();
    let v = vigente(&c, d(2026, 3, 1)).unwrap_or_else(|| unreachable!());
    let page = |values: &FormValues| {
        otrosi_form_page(
            &PageContext::default(),
            &OtroSiFormPage {
                contract_id: "c1",
                contract_number: "CT-100",
                number: None,
                values,
                errors: &FormErrors::new(),
                vigente: &v,
                before: &v,
                tercero_name: "",
                local_name: None,
                saved: None,
                conflict: None,
            },
        )
        .into_string()
    };
    let html = page(&FormValues::new());
    assert!(!html.contains("name=\"canon\""), "no canon on a híbrido");
    assert!(html.contains("name=\"minimo\""));
    assert!(html.contains("name=\"porcentaje\""));
    // Changing it to fijo asks for the canon only.
    let html = page(&FormValues::new().with("modalidad", "fijo"));
    assert!(html.contains("name=\"canon\""));
    assert!(!html.contains("name=\"minimo\""));
}
