use super::*;
use crate::pages::otrosi::tests::{d, fixture};
use arriendo_projections::vigente;

#[test]
fn contract_page_shows_terms_sources_amendments_and_actions() {
    let c = fixture();
    let v = vigente(&c, d(2026, 3, 1)).unwrap_or_else(|| unreachable!());
    let ctx = PageContext {
        csrf_token: "tok".into(),
        ..PageContext::default()
    };
    let history = [TimelineEntry {
        when: d(2026, 1, 2).and_hms_opt(9, 0, 0).unwrap_or_default(),
        who: "admin".into(),
        sentence: "Aprobó el Otro Sí OS-1.".into(),
        href: None,
    }];
    let html = contrato_page(
        &ctx,
        &ContratoDetail {
            id: "c1",
            contrato: &c,
            vigente: &v,
            tercero_name: "Café Andino S.A.S.",
            local_name: None,
            status: "vigente",
            alerts: &[],
            polizas: &[],
            billings: &[],
            schedule: &[],
            history: &history,
            today: d(2026, 3, 1),
            can_write: true,
            is_admin: true,
            errors: &FormErrors::new(),
            note: "",
            past: None,
            printed: None,
            type_line: "",
            clauses_line: "",
        },
    )
    .into_string();
    assert!(html.contains("<h1>Contrato CT-100</h1>"));
    assert!(html.contains("$ 13.000.000 <span class=\"source-tag\">modificado por OS-1</span>"));
    assert!(html.contains("31/12/2027 <span class=\"source-tag\">modificado por OS-1</span>"));
    assert!(html.contains("href=\"/contratos/c1/otrosi/1\">OS-1</a>"));
    assert!(html.contains("action=\"/contratos/c1/otrosi/2/aprobar\""));
    assert!(
        !html.contains("action=\"/contratos/c1/otrosi/1/eliminar\""),
        "only the last"
    );
    assert!(
        html.contains("action=\"/contratos/c1/renovaciones\""),
        "prórroga automática"
    );
    assert!(html.contains("href=\"/polizas?contrato=c1\""));
    assert!(html.contains("href=\"/contratos/c1/polizas/nueva\""));
    assert!(html.contains("action=\"/contratos/c1/seguimientos\""));
    assert!(html.contains("action=\"/contratos/c1/terminar\""));
    assert!(html.contains("Aprobó el Otro Sí OS-1."));
    assert!(html.contains("href=\"/terceros/00000000-0000-0000-0000-000000000000\""));
    assert!(
        html.contains("action=\"/contratos/c1/eliminar\""),
        "administrador"
    );
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "unique ids");
    assert!(
        !html.contains("<script>") && !html.contains(" style="),
        "CSP-safe"
    );
}

#[test]
fn the_signed_document_is_a_link_only_when_it_is_a_web_address() {
    let mut c = fixture();
    let terms = c.terms.as_mut().unwrap_or_else(|| unreachable!());
    terms.signed_document_url = Some("https://docs.example.co/ct-100.pdf".into());
    let html = signed_document(&c).into_string();
    assert!(html.contains("href=\"https://docs.example.co/ct-100.pdf\""));
    assert!(html.contains("rel=\"noopener noreferrer\""));
    let terms = c.terms.as_mut().unwrap_or_else(|| unreachable!());
    terms.signed_document_url = Some("javascript:alert(1)".into());
    let html = signed_document(&c).into_string();
    assert!(!html.contains("href="), "{html}");
    assert!(html.contains("javascript:alert(1)"), "shown as text");
    let terms = c.terms.as_mut().unwrap_or_else(|| unreachable!());
    terms.signed_document_url = None;
    assert_eq!(signed_document(&c).into_string(), "");
}
