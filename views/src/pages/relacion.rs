//! `/contratos/relacion-canones`: the rent roll («relación de cánones») — every contract in force
//! with its tenant, local, modality, canon or minimum, share of sales, next adjustment and end date,
//! and the totals per class and modality; with its XLSX and CSV exports.

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{Column, empty_state, page_header, table_head, table_wrap};
use crate::pages::catalogos::modality_label;
use crate::{PageContext, format, page};

/// One contract of the rent roll, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentRollLine {
    pub id: String,
    pub number: String,
    pub kind: String,
    pub tercero: String,
    pub local: Option<String>,
    pub modality: String,
    pub canon: Option<i64>,
    pub percentage: Option<String>,
    pub next_adjustment: Option<NaiveDate>,
    pub end_date: NaiveDate,
}

/// Contracts and canon of one class and modality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentRollSum {
    pub kind: String,
    pub modality: String,
    pub contracts: i64,
    pub canon: i64,
}

pub struct RentRollPage<'a> {
    pub lines: &'a [RentRollLine],
    pub totals: &'a [RentRollSum],
    /// The next page (`?despues=CT-…`), when there are more contracts.
    pub next: Option<String>,
    pub today: NaiveDate,
}

pub fn kind_label(kind: &str) -> &'static str {
    if kind == "proveedor" {
        "Proveedor"
    } else {
        "Cliente"
    }
}

pub fn rent_roll_page(ctx: &PageContext, p: &RentRollPage<'_>) -> Markup {
    let total_contracts: i64 = p.totals.iter().map(|t| t.contracts).sum();
    let total_canon: i64 = p.totals.iter().map(|t| t.canon).sum();
    let cols = [
        Column::new("Contrato"),
        Column::new("Clase"),
        Column::new("Arrendatario / proveedor"),
        Column::new("Local"),
        Column::new("Modalidad"),
        Column::new("Canon o mínimo").numeric(),
        Column::new("% ventas").numeric(),
        Column::new("Próximo ajuste"),
        Column::new("Terminación"),
    ];
    let sum_cols = [
        Column::new("Clase"),
        Column::new("Modalidad"),
        Column::new("Contratos").numeric(),
        Column::new("Cánones y mínimos").numeric(),
    ];
    page(
        ctx,
        "Relación de cánones",
        html! {
            (crate::components::breadcrumbs(&[("Contratos", "/contratos"), ("Relación de cánones", "")]))
            (page_header("Relación de cánones", Some(&format!("Contratos vigentes el {}: canon fijo o mínimo garantizado, porcentaje de ventas, próximo ajuste y terminación.", format::date(p.today))), html! {}))
            p.export-links {
                span.muted { "Exportar la relación completa: " }
                a href="/contratos/relacion-canones/exportar?formato=xlsx" download { "Excel (XLSX)" } " · "
                a href="/contratos/relacion-canones/exportar?formato=csv" download { "CSV" }
            }
            (table_wrap("Totales por clase y modalidad", table_head(&sum_cols, None, ""), html! {
                tbody {
                    @for t in p.totals {
                        tr {
                            td { (kind_label(&t.kind)) }
                            td { (modality_label(&t.modality)) }
                            td.num { (t.contracts) }
                            td.num { (format::money(t.canon)) }
                        }
                    }
                    tr.total-row {
                        th scope="row" colspan="2" { "Total" }
                        td.num { strong { (total_contracts) } }
                        td.num { strong { (format::money(total_canon)) } }
                    }
                }
            }))
            @if p.lines.is_empty() {
                (empty_state("No hay contratos vigentes."))
            } @else {
                (table_wrap("Contratos vigentes", table_head(&cols, None, ""), html! {
                    tbody {
                        @for l in p.lines {
                            tr {
                                td { a href={ "/contratos/" (l.id) } { (l.number) } }
                                td { (kind_label(&l.kind)) }
                                td { (l.tercero) }
                                td { (l.local.as_deref().unwrap_or("—")) }
                                td { (modality_label(&l.modality)) }
                                td.num { (l.canon.map(format::money).unwrap_or_else(|| "—".into())) }
                                td.num { (l.percentage.as_deref().map(|p| format!("{} %", p.replace('.', ","))).unwrap_or_else(|| "—".into())) }
                                td.nowrap { (l.next_adjustment.map(format::date).unwrap_or_else(|| "—".into())) }
                                td.nowrap { (format::date(l.end_date)) }
                            }
                        }
                    }
                }))
            }
            @if let Some(href) = &p.next {
                nav.pagination aria-label="Páginas de la relación" { a.btn.btn-secondary href=(href) rel="next" { "Siguientes →" } }
            }
        },
    )
}
