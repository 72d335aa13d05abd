//! `/contratos`: search (number, tenant, NIT, premises), filters (modalidad, estado, clase),
//! sortable columns and pagination. Rows come from `rm_contracts` (columns only, no JSON).

use arriendo_events::YearMonth;
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    Column, Field, Sort, SortDir, badge, empty_state, link_button, page_header, pagination,
    select_field, state_badge, table_head, table_wrap, text_field,
};
use crate::pages::catalogos::{contract_status_label, modality_label};
use crate::query::QueryString;
use crate::{PageContext, format, page};

/// The sort keys the list accepts (each maps to one SQL column in the handler).
pub const SORT_KEYS: &[&str] = &["numero", "arrendatario", "local", "inicio", "fin", "canon"];
/// Rows per page.
pub const PER_PAGE: u64 = 25;

/// The filters of the list, from the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFilters {
    pub q: String,
    /// `fijo` | `variable` | `hibrido`.
    pub modalidad: Option<String>,
    /// `vigente` | `por_iniciar` | `vencido` | `terminado`.
    pub estado: Option<String>,
    /// `cliente` | `proveedor`.
    pub clase: Option<String>,
    /// The id of a tipo de contrato or de servicio (only a well-formed uuid is kept).
    pub tipo: Option<String>,
    /// `vence=AAAA-MM`: the contracts not terminated whose end falls in that month (a bar of the
    /// dashboard's chart).
    pub vence: Option<YearMonth>,
    pub sort: Sort,
    pub page: u64,
}

impl ContractFilters {
    pub fn from_query(query: &str) -> ContractFilters {
        let q = QueryString::parse(query);
        let pick = |key: &str, allowed: &[&str]| {
            q.get(key)
                .filter(|v| allowed.contains(v))
                .map(str::to_string)
        };
        ContractFilters {
            q: q.get("q").unwrap_or("").trim().chars().take(100).collect(),
            modalidad: pick("modalidad", &["fijo", "variable", "hibrido"]),
            estado: pick(
                "estado",
                &["vigente", "por_iniciar", "vencido", "terminado"],
            ),
            clase: pick("clase", &["cliente", "proveedor"]),
            tipo: q
                .get("tipo")
                .filter(|t| looks_like_uuid(t))
                .map(str::to_string),
            vence: q.get("vence").and_then(crate::query::month_param),
            sort: Sort::from_query(query, SORT_KEYS, ("numero", SortDir::Asc)),
            page: crate::components::page_from_query(query),
        }
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal: the shape of a type's id.
fn looks_like_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractListRow {
    pub id: String,
    pub number: String,
    pub kind: String,
    pub tercero_name: String,
    pub tercero_nit: String,
    pub local_name: Option<String>,
    pub modality: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Fixed canon or híbrido minimum in force today.
    pub canon: Option<i64>,
    /// Share of sales in force today, decimal text (`5.5`).
    pub percentage: Option<String>,
    pub status: String,
    pub alert_count: i64,
    /// The tipo de contrato or de servicio, when it has one.
    pub type_id: Option<String>,
}

/// The list page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractList {
    pub filters: ContractFilters,
    pub rows: Vec<ContractListRow>,
    pub total: u64,
    pub can_write: bool,
}

fn percent_text(p: &str) -> String {
    format!("{} %", p.replace('.', ","))
}

/// The list of contracts.
pub fn contracts_page(ctx: &PageContext, list: &ContractList, raw_query: &str) -> Markup {
    let f = &list.filters;
    let cols = [
        Column::new("Número").sortable("numero"),
        Column::new("Arrendatario / proveedor").sortable("arrendatario"),
        Column::new("Local").sortable("local"),
        Column::new("Modalidad"),
        Column::new("Canon / %").sortable("canon").numeric(),
        Column::new("Inicio").sortable("inicio"),
        Column::new("Fin").sortable("fin"),
        Column::new("Estado"),
        Column::new("Alertas").numeric(),
    ];
    let actions = html! {
        (link_button("/contratos/relacion-canones", "Relación de cánones", false))
        @if list.can_write { (link_button("/contratos/nuevo", "Nuevo contrato", true)) }
    };
    let body = html! {
        (page_header("Contratos", Some(&format::count_noun(list.total, "contrato", "contratos")), actions))
        (crate::components::list_export_links("/contratos/exportar", raw_query))
        form.filters method="get" action="/contratos" role="search" aria-label="Buscar contratos" {
            (text_field(&Field::new("q", "Buscar").value(&f.q).input_type("search")
                .placeholder("Número, arrendatario, NIT o local")))
            (select_field(&Field::new("modalidad", "Modalidad").value(f.modalidad.as_deref().unwrap_or("")).placeholder("Todas"),
                &[("fijo", "Fijo"), ("variable", "Variable puro"), ("hibrido", "Híbrido")]))
            (select_field(&Field::new("estado", "Estado").value(f.estado.as_deref().unwrap_or("")).placeholder("Todos"),
                &[("vigente", "Vigente"), ("por_iniciar", "Por iniciar"), ("vencido", "Vencido"), ("terminado", "Terminado")]))
            (select_field(&Field::new("clase", "Clase").value(f.clase.as_deref().unwrap_or("")).placeholder("Clientes y proveedores"),
                &[("cliente", "Clientes"), ("proveedor", "Proveedores")]))
            @if let Some(t) = &f.tipo { input type="hidden" name="tipo" value=(t); }
            @if let Some(m) = f.vence {
                input type="hidden" name="vence" value=(crate::query::month_value(m));
            }
            div.form-actions {
                button.btn.btn-primary type="submit" { "Buscar" }
                a.btn.btn-secondary href="/contratos" { "Limpiar" }
            }
        }
        @if let Some(m) = f.vence {
            p.filter-note {
                "Contratos sin terminar cuyo fin cae en " (format::month_long(m.year(), m.month())) ". "
                a href={ "/contratos" (QueryString::parse(raw_query).without("vence").without(crate::components::PAGE_PARAM).href()) } { "Quitar el mes" }
            }
        }
        @if list.rows.is_empty() {
            (empty_state("No hay contratos con esos filtros."))
        } @else {
            (table_wrap("Contratos", table_head(&cols, Some(&f.sort), raw_query), html! {
                tbody {
                    @for r in &list.rows {
                        tr {
                            td.nowrap { a href={ "/contratos/" (r.id) } { (r.number) } }
                            td { (r.tercero_name) br; span.muted.small { "NIT " (r.tercero_nit) } }
                            td { @if let Some(l) = &r.local_name { (l) } @else { span.muted { "—" } } }
                            td { (modality_label(&r.modality)) br; span.muted.small { (if r.kind == "proveedor" { "Proveedor" } else { "Cliente" }) } }
                            td.num.nowrap {
                                @if let Some(c) = r.canon { (format::money(c)) }
                                @if let Some(p) = &r.percentage { @if r.canon.is_some() { br; } (percent_text(p)) }
                            }
                            td.nowrap { (format::date(r.start_date)) }
                            td.nowrap { (format::date(r.end_date)) }
                            td { (state_badge(contract_status_label(&r.status))) }
                            td.num { @if r.alert_count > 0 { (badge(crate::components::Tone::Warning, &r.alert_count.to_string())) } @else { "0" } }
                        }
                    }
                }
            }))
        }
        (pagination(f.page, PER_PAGE, list.total, raw_query))
    };
    page(ctx, "Contratos", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_whitelisted() {
        let f = ContractFilters::from_query(
            "q=caf%C3%A9&modalidad=hibrido&estado=x&clase=cliente&orden=fin&dir=desc&pagina=2",
        );
        assert_eq!(f.q, "café");
        assert_eq!(f.modalidad.as_deref(), Some("hibrido"));
        assert_eq!(f.estado, None);
        assert_eq!(f.sort.key, "fin");
        assert_eq!(f.sort.dir, SortDir::Desc);
        assert_eq!(f.page, 2);
        let f = ContractFilters::from_query("orden=state;drop");
        assert_eq!(f.sort.key, "numero");
    }

    #[test]
    fn renders_rows_and_links() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let list = ContractList {
            filters: ContractFilters::from_query("q=andino"),
            rows: vec![ContractListRow {
                id: "abc".into(),
                number: "CT-001".into(),
                kind: "cliente".into(),
                tercero_name: "Café Andino S.A.S.".into(),
                tercero_nit: "900123456-7".into(),
                local_name: Some("Local 12".into()),
                modality: "hibrido".into(),
                start_date: d,
                end_date: d,
                canon: Some(12_500_000),
                percentage: Some("5.5".into()),
                status: "vigente".into(),
                alert_count: 2,
                type_id: None,
            }],
            total: 1,
            can_write: true,
        };
        let html = contracts_page(&PageContext::default(), &list, "q=andino").into_string();
        assert!(html.contains("href=\"/contratos/abc\">CT-001</a>"));
        assert!(html.contains("$ 12.500.000"));
        assert!(html.contains("5,5 %"));
        assert!(html.contains("Híbrido"));
        assert!(html.contains("value=\"andino\""));
        assert!(html.contains("href=\"/contratos/nuevo\""));
        assert!(html.contains("Mostrando 1–1 de 1"));
    }
}
