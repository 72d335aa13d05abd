//! Renovaciones automáticas: every RA-n of every contract, filtered by state, with a link to the
//! contracts whose automatic extension is due and has no approved renewal yet.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::catalogos::Paging;
use crate::components::{
    Column, Field, Tone, badge, empty_state, page_header, select_field, table_head, table_wrap,
};
use crate::format;
use crate::layout::{PageContext, page};

/// One renewal (from `rm_renewals`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalRow {
    pub contract_id: String,
    pub contract_number: String,
    pub tercero_name: String,
    /// `RA-1`, `RA-2`…
    pub number: String,
    /// propuesta | aprobada | anulada
    pub status: String,
    pub previous_end: NaiveDate,
    pub new_end: NaiveDate,
    pub proposed_by: String,
    pub approved_by: Option<String>,
    pub annulment_reason: Option<String>,
}

/// The list page's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalList {
    pub rows: Vec<RenewalRow>,
    /// The `estado` filter as typed (empty: all).
    pub estado: String,
    pub paging: Paging,
}

pub const ESTADOS: &[(&str, &str)] = &[
    ("propuesta", "Propuestas (por aprobar)"),
    ("aprobada", "Aprobadas"),
    ("anulada", "Anuladas"),
];

fn status_badge(status: &str) -> Markup {
    let (tone, label) = match status {
        "propuesta" => (Tone::Warning, "Propuesta"),
        "aprobada" => (Tone::Ok, "Aprobada"),
        "anulada" => (Tone::Neutral, "Anulada"),
        other => (Tone::Neutral, other),
    };
    badge(tone, label)
}

pub fn list_page(ctx: &PageContext, list: &RenewalList) -> Markup {
    let cols = [
        Column::new("Contrato"),
        Column::new("Renovación"),
        Column::new("Estado"),
        Column::new("Fin anterior"),
        Column::new("Nuevo fin"),
        Column::new("Propuesta por"),
        Column::new("Aprobada por"),
    ];
    page(
        ctx,
        "Renovaciones automáticas",
        html! {
            (page_header(
                "Renovaciones automáticas",
                Some(&list.paging.count("renovación", "renovaciones")),
                html! {},
            ))
            p {
                "Se proponen y aprueban desde la página de cada contrato. Los contratos con prórroga automática "
                "que vencen pronto y aún no tienen renovación aprobada están en "
                a href="/alertas?tipo=renovacion-automatica" { "la alerta «Renovación automática»" } "."
            }
            form.filters method="get" action="/renovaciones" role="search" {
                (select_field(&Field::new("estado", "Estado").value(&list.estado).placeholder("Todas"), ESTADOS))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            @if list.rows.is_empty() {
                (empty_state("No hay renovaciones con ese filtro."))
            } @else {
                (table_wrap("Renovaciones automáticas", table_head(&cols, None, &list.paging.query), html! {
                    tbody {
                        @for r in &list.rows {
                            tr {
                                td { a href={ "/contratos/" (r.contract_id) } { (r.contract_number) } br; span.muted.small { (r.tercero_name) } }
                                th scope="row" { (r.number) }
                                td {
                                    (status_badge(&r.status))
                                    @if let Some(reason) = &r.annulment_reason { br; span.muted.small { (reason) } }
                                }
                                td.nowrap { (format::date(r.previous_end)) }
                                td.nowrap { (format::date(r.new_end)) }
                                td { (r.proposed_by) }
                                td { (r.approved_by.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }))
                (list.paging.bar())
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str) -> RenewalRow {
        RenewalRow {
            contract_id: "c1".into(),
            contract_number: "CT-2032".into(),
            tercero_name: "Homecenter Sodimac".into(),
            number: "RA-1".into(),
            status: status.into(),
            previous_end: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            new_end: NaiveDate::from_ymd_opt(2027, 12, 8).unwrap(),
            proposed_by: "gestora".into(),
            approved_by: (status == "aprobada").then(|| "admin".to_string()),
            annulment_reason: (status == "anulada").then(|| "Registrada por error".to_string()),
        }
    }

    #[test]
    fn lists_each_renewal_with_its_dates_and_state() {
        let list = RenewalList {
            rows: vec![row("aprobada"), row("anulada")],
            estado: String::new(),
            paging: Paging {
                page: 1,
                per_page: 25,
                total: 2,
                query: String::new(),
            },
        };
        let html = list_page(&PageContext::default(), &list).into_string();
        assert!(html.contains("2 renovaciones"));
        assert!(html.contains("href=\"/contratos/c1\""));
        assert!(html.contains("08/12/2026") && html.contains("08/12/2027"));
        assert!(html.contains("Aprobada") && html.contains("Anulada"));
        assert!(html.contains("Registrada por error"));
        assert!(html.contains("/alertas?tipo=renovacion-automatica"));
    }

    #[test]
    fn an_empty_filter_says_so() {
        let list = RenewalList {
            rows: vec![],
            estado: "propuesta".into(),
            paging: Paging {
                page: 1,
                per_page: 25,
                total: 0,
                query: "estado=propuesta".into(),
            },
        };
        let html = list_page(&PageContext::default(), &list).into_string();
        assert!(html.contains("No hay renovaciones con ese filtro."));
        assert!(html.contains("value=\"propuesta\" selected"));
    }
}
