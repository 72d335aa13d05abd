//! Pieces shared by the catalog pages (terceros, locales) and the lists of pólizas and informes:
//! the contracts of a tercero or a local, and the paging numbers of a list.

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{Column, empty_state, pagination, state_badge, table_head, table_wrap};
use crate::format;

/// One contract in the list of a tercero's or a local's contracts (from `rm_contracts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    pub id: String,
    pub number: String,
    /// `cliente` | `proveedor`.
    pub kind: String,
    pub tercero_name: String,
    pub local_name: Option<String>,
    /// `fijo` | `variable` | `hibrido`.
    pub modality: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `vigente` | `por_iniciar` | `vencido` | `terminado` | `eliminado`.
    pub status: String,
}

/// `Fijo`, `Variable puro`, `Híbrido` for the stored slug.
pub fn modality_label(slug: &str) -> &str {
    match slug {
        "fijo" => "Fijo",
        "variable" => "Variable puro",
        "hibrido" => "Híbrido",
        other => other,
    }
}

/// The contract status in words.
pub fn contract_status_label(slug: &str) -> &str {
    match slug {
        "vigente" => "Vigente",
        "por_iniciar" => "Por iniciar",
        "vencido" => "Vencido",
        "terminado" => "Terminado",
        "eliminado" => "Eliminado",
        other => other,
    }
}

/// The table of contracts on a tercero's or a local's page.
pub fn contracts_table(caption: &str, rows: &[ContractRow]) -> Markup {
    if rows.is_empty() {
        return empty_state("No tiene contratos registrados.");
    }
    let cols = [
        Column::new("Número"),
        Column::new("Arrendatario / proveedor"),
        Column::new("Local"),
        Column::new("Modalidad"),
        Column::new("Inicio"),
        Column::new("Fin"),
        Column::new("Estado"),
    ];
    table_wrap(
        caption,
        table_head(&cols, None, ""),
        html! {
            tbody {
                @for c in rows {
                    tr {
                        th scope="row" { a href={ "/contratos/" (c.id) } { (c.number) } }
                        td { (c.tercero_name) }
                        td { @if let Some(l) = &c.local_name { (l) } @else { span.muted { "—" } } }
                        td { (modality_label(&c.modality)) }
                        td.nowrap { (format::date(c.start_date)) }
                        td.nowrap { (format::date(c.end_date)) }
                        td { (state_badge(contract_status_label(&c.status))) }
                    }
                }
            }
        },
    )
}

/// Where a paginated list stands: the page shown, its size, the total and the raw query string
/// (so sort and page links keep the filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub query: String,
}

impl Paging {
    pub fn bar(&self) -> Markup {
        pagination(self.page, self.per_page, self.total, &self.query)
    }

    /// "12 terceros" style subtitle.
    pub fn count(&self, one: &str, many: &str) -> String {
        format::count_noun(self.total, one, many)
    }
}
