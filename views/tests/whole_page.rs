//! Renders a page composed of every component and checks what must hold for the whole document:
//! no inline style or script (CSP), unique ids, every visible control labelled, es-CO language.

#![allow(clippy::unwrap_used)] // test fixtures

use arriendo_views::components::{
    AlertCard, AlertEntry, Column, Detail, Field, FormErrors, Sort, SortDir, TimelineEntry, Tone,
    alert_card, checkbox, csrf_field, date_field, detail_list, empty_state, error_summary,
    money_field, month_chart, number_field, pagination, percent_field, post_button, select_field,
    table_head, table_wrap, text_field, textarea, timeline,
};
use arriendo_views::{Flash, PageContext, UserBadge, errors, page};
use chrono::NaiveDate;
use maud::html;

fn ctx() -> PageContext {
    PageContext {
        user: Some(UserBadge {
            username: "admin".into(),
            role_label: "Administrador".into(),
            is_admin: true,
        }),
        csrf_token: "t0k".into(),
        flash: vec![Flash::exito("Guardado"), Flash::error("Falló")],
        current_path: "/".into(),
        quarantined: 0,
        inbox: 0,
    }
}

/// Values of an attribute across the document (`id="…"`).
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn composed() -> String {
    let date = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let entries = [AlertEntry {
        contract: "C-1".into(),
        href: "/contratos/1".into(),
        detail: "Tienda".into(),
        date_label: "Vence".into(),
        date,
        days_left: 3,
        days_text: None,
        source: Some("OS-1".into()),
        tone: Tone::Danger,
        action: None,
        handle_href: None,
    }];
    let mut errs = FormErrors::new();
    errs.add("canon", "Valor inválido.");
    let sort = Sort {
        key: "numero".into(),
        dir: SortDir::Desc,
    };
    page(
        &ctx(),
        "Todo",
        html! {
            h1 { "Todo" }
            (alert_card(&AlertCard { id: "a", title: "Vencimiento", count: 1, tone: Tone::Danger, entries: &entries, see_all_href: "/alertas/a" }))
            (alert_card(&AlertCard { id: "b", title: "Pólizas", count: 0, tone: Tone::Warning, entries: &[], see_all_href: "/alertas/b" }))
            (month_chart(&[("ene 2026", 1u32, 2u32), ("feb 2026", 0, 1)]))
            (table_wrap("Contratos", table_head(&[Column::new("Número").sortable("numero"), Column::new("Canon").numeric()], Some(&sort), "q=x"), html! { tbody { tr { td { "C-1" } td.num { "$ 1" } } } }))
            (pagination(2, 10, 35, "q=x"))
            (empty_state("Nada."))
            (detail_list(&[Detail::new("Canon", "$ 1").source(Some("OS-1"))]))
            (timeline(&[TimelineEntry { when: date.and_hms_opt(8, 0, 0).unwrap(), who: "admin".into(), sentence: "Creó.".into(), href: None }]))
            (post_button("/x", "t0k", "Aprobar", "btn-primary", Some("¿Seguro?")))
            form method="post" action="/contratos" {
                (error_summary(&errs))
                (csrf_field("t0k"))
                (text_field(&Field::new("numero", "Número").required()))
                (money_field(&Field::new("canon", "Canon").value("1.000").errors(&errs)))
                (percent_field(&Field::new("pct", "Porcentaje")))
                (number_field(&Field::new("meses", "Meses").hint("Entero"), Some(1), None))
                (date_field(&Field::new("inicio", "Inicio")))
                (select_field(&Field::new("modalidad", "Modalidad").placeholder("—"), &[("fijo", "Fijo")]))
                (checkbox(&Field::new("prorroga", "Prórroga"), false))
                (textarea(&Field::new("objeto", "Objeto"), 3))
            }
        },
    )
    .into_string()
}

#[test]
fn no_inline_style_or_script() {
    let html = composed();
    assert!(!html.contains(" style="));
    assert!(!html.contains("<style"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"/static/app.js?v="));
    assert!(
        !html.contains(" on"),
        "no inline event handlers like onclick="
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );
}

#[test]
fn ids_are_unique_and_references_resolve() {
    let html = composed();
    let ids = attr_values(&html, "id");
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids: {ids:?}");
    for attr in ["for", "aria-labelledby", "aria-describedby"] {
        for value in attr_values(&html, attr) {
            for id in value.split_whitespace() {
                assert!(ids.contains(&id), "{attr}={id} has no element");
            }
        }
    }
}

#[test]
fn every_visible_control_has_a_label() {
    let html = composed();
    let labels = attr_values(&html, "for");
    for tag in ["<input ", "<select ", "<textarea "] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').map(|e| i + e).unwrap();
            let element = &html[i..end];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = attr_values(element, "id");
            assert_eq!(id.len(), 1, "control without id: {element}");
            assert!(labels.contains(&id[0]), "control without label: {element}");
        }
    }
}

#[test]
fn error_pages_are_complete_documents() {
    for html in [
        errors::not_found(&ctx()),
        errors::forbidden(&PageContext::default()),
        errors::server_error(&ctx(), "abc"),
        errors::too_many_requests(&ctx(), None),
    ] {
        let html = html.into_string();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"es-CO\">"));
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.ends_with("</html>"));
    }
}
