//! Informes de ventas: the list (filters, sorted by deadline), the register form, and the detail
//! of one month with the deliver / pending actions and the billing computed (facturación por
//! ventas), shown as a result page.

use arriendo_events::{SalesReport, SalesReportStatus};
use arriendo_projections::billing::{Billing, headline};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::catalogos::Paging;
use crate::components::{
    Column, Detail, Field, FormErrors, Tone, badge, breadcrumbs, card, checkbox, csrf_field,
    date_field, detail_list, empty_state, error_summary_with, form_actions, labels, link_button,
    money_field, number_field, page_header, post_button, required_note, select_field, stat_tile,
    submit_button, table_head, table_wrap,
};
use crate::format;
use crate::layout::{PageContext, page};

/// One row of the list (from `rm_sales_reports`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesRow {
    pub contract_id: String,
    pub contract_number: String,
    pub tercero_name: String,
    pub year: i32,
    pub month: u32,
    /// `pendiente` | `entregado`.
    pub status: String,
    pub deadline: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    pub gross_sales: Option<i64>,
    pub returns: Option<i64>,
    pub billed: Option<i64>,
    pub overdue: bool,
}

impl SalesRow {
    pub fn href(&self) -> String {
        report_href(&self.contract_id, self.year, self.month)
    }
}

/// `/contratos/{id}/informes-ventas/{year}/{month}`.
pub fn report_href(contract_id: &str, year: i32, month: u32) -> String {
    format!("/contratos/{contract_id}/informes-ventas/{year}/{month}")
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesFilters {
    pub estado: String,
    /// `si` to show only overdue ones.
    pub vencido: String,
    pub contrato: String,
    pub mes: String,
    pub anio: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesList {
    pub rows: Vec<SalesRow>,
    pub filters: SalesFilters,
    pub contract_number: Option<String>,
    pub paging: Paging,
    pub can_write: bool,
}

const ESTADOS: &[(&str, &str)] = &[("pendiente", "Pendiente"), ("entregado", "Entregado")];
const VENCIDO: &[(&str, &str)] = &[("si", "Solo vencidos")];

fn month_options() -> Vec<(String, String)> {
    (1..=12)
        .map(|m| (m.to_string(), capitalize(format::month_name(m))))
        .collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Marzo de 2026`.
pub fn period_label(year: i32, month: u32) -> String {
    capitalize(&format::month_year(year, month))
}

fn status_badge(status: &str, overdue: bool) -> Markup {
    match status {
        "entregado" => badge(Tone::Ok, "Entregado"),
        _ if overdue => {
            html! { (badge(Tone::Warning, "Pendiente")) " " (badge(Tone::Danger, "Vencido")) }
        }
        _ => badge(Tone::Warning, "Pendiente"),
    }
}

pub fn list_page(ctx: &PageContext, list: &SalesList) -> Markup {
    let f = &list.filters;
    let months = month_options();
    let months: Vec<(&str, &str)> = months
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str()))
        .collect();
    let subtitle = match &list.contract_number {
        Some(n) => format!(
            "{} · contrato {n}",
            list.paging.count("informe", "informes")
        ),
        None => list.paging.count("informe", "informes"),
    };
    let actions = match (&list.contract_number, list.can_write) {
        (Some(_), true) => link_button(
            &format!("/contratos/{}/informes-ventas/nuevo", f.contrato),
            "Registrar informe",
            true,
        ),
        _ => html! {},
    };
    let cols = [
        Column::new("Contrato"),
        Column::new("Periodo"),
        Column::new("Plazo"),
        Column::new("Estado"),
        Column::new("Entregado"),
        Column::new("Ventas brutas").numeric(),
        Column::new("Facturación").numeric(),
    ];
    page(
        ctx,
        "Informes de ventas",
        html! {
            (page_header("Informes de ventas", Some(&subtitle), actions))
            (crate::components::list_export_links("/informes-ventas/exportar", &crate::query::QueryString::from_pairs([("estado", f.estado.as_str()), ("vencido", f.vencido.as_str()), ("contrato", f.contrato.as_str()), ("mes", f.mes.as_str()), ("anio", f.anio.as_str())].into_iter().filter(|(_, v)| !v.is_empty())).encoded()))
            form.filters method="get" action="/informes-ventas" role="search" {
                @if !f.contrato.is_empty() {
                    input type="hidden" name="contrato" value=(f.contrato);
                }
                (select_field(&Field::new("estado", "Estado").value(&f.estado).placeholder("Todos"), ESTADOS))
                (select_field(&Field::new("vencido", "Vencidos").value(&f.vencido).placeholder("Todos"), VENCIDO))
                (select_field(&Field::new("mes", "Mes").value(&f.mes).placeholder("Todos"), &months))
                (number_field(&Field::new("anio", "Año").value(&f.anio), Some(2000), Some(2100)))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            @if let Some(n) = &list.contract_number {
                p.cluster {
                    "Solo el contrato " a href={ "/contratos/" (f.contrato) } { (n) } ". "
                    a href="/informes-ventas" { "Ver todos los informes" }
                }
            }
            @if list.rows.is_empty() {
                (empty_state("No hay informes de ventas con esos filtros."))
            } @else {
                (table_wrap("Informes de ventas", table_head(&cols, None, &list.paging.query), html! {
                    tbody {
                        @for r in &list.rows {
                            tr {
                                td { a href={ "/contratos/" (r.contract_id) } { (r.contract_number) } br; span.muted.small { (r.tercero_name) } }
                                th scope="row" { a href=(r.href()) { (period_label(r.year, r.month)) } }
                                td.nowrap { (format::date(r.deadline)) }
                                td { (status_badge(&r.status, r.overdue)) }
                                td.nowrap { @if let Some(d) = r.delivered_on { (format::date(d)) } @else { span.muted { "—" } } }
                                td.num.nowrap { @if let Some(v) = r.gross_sales { (format::money(v)) } @else { span.muted { "—" } } }
                                td.num.nowrap { @if let Some(v) = r.billed { (format::money(v)) } @else { span.muted { "—" } } }
                            }
                        }
                    }
                }))
                (list.paging.bar())
            }
        },
    )
}

/// The register form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewReportForm {
    pub anio: String,
    pub mes: String,
    pub plazo: String,
    /// The months that can get a report, in words: `de diciembre de 2026 a noviembre de 2029`.
    pub term: Option<String>,
    pub errors: FormErrors,
}

pub fn new_page(
    ctx: &PageContext,
    contract_id: &str,
    contract_number: &str,
    form: &NewReportForm,
) -> Markup {
    let months = month_options();
    let months: Vec<(&str, &str)> = months
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str()))
        .collect();
    let e = &form.errors;
    let title = format!("Registrar informe de ventas · {contract_number}");
    let month_hint = form
        .term
        .as_ref()
        .map(|t| format!("Solo meses dentro de la vigencia del contrato: {t}."));
    let mut mes = Field::new("mes", "Mes")
        .value(&form.mes)
        .placeholder("Seleccione…")
        .required()
        .errors(e);
    if let Some(hint) = month_hint.as_deref() {
        mes = mes.hint(hint);
    }
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Informes de ventas", "/informes-ventas"), (contract_number, &format!("/contratos/{contract_id}")), ("Registrar", "")]))
            (page_header(&title, None, html! {}))
            form.form method="post" action={ "/contratos/" (contract_id) "/informes-ventas/nuevo" } novalidate {
                (error_summary_with(e, labels(LABELS)))
                (csrf_field(&ctx.csrf_token))
                (required_note())
                div.form-grid {
                    (select_field(&mes, &months))
                    (number_field(&Field::new("anio", "Año").value(&form.anio).required().errors(e), Some(2000), Some(2100)))
                    (date_field(&Field::new("plazo", "Plazo de entrega").value(&form.plazo).hint("Si lo deja vacío, es el día de entrega pactado del mes siguiente.").errors(e)))
                }
                (form_actions("Registrar informe", Some(&format!("/informes-ventas?contrato={contract_id}"))))
            }
        },
    )
}

/// The label of every field of the register and deliver forms, for the error summary.
const LABELS: &[(&str, &str)] = &[
    ("mes", "Mes"),
    ("anio", "Año"),
    ("plazo", "Plazo de entrega"),
    ("fecha", "Fecha de entrega"),
    ("ventas_brutas", "Ventas brutas"),
    ("devoluciones", "Devoluciones"),
    ("confirmar", "Confirmación"),
];

/// The deliver form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliverForm {
    pub fecha: String,
    pub ventas_brutas: String,
    pub devoluciones: String,
    pub errors: FormErrors,
    /// The report's version the page showed (hidden field): a correction made meanwhile wins.
    pub version: String,
    /// What to confirm before saving (future date, unfinished month, implausible sales).
    pub warnings: Vec<String>,
}

pub struct SalesDetail<'a> {
    pub contract_id: &'a str,
    pub contract_number: &'a str,
    pub report: &'a SalesReport,
    /// The billing when delivered, or why it cannot be computed.
    pub billing: Option<Result<Billing, String>>,
    pub deliver: &'a DeliverForm,
    pub today: NaiveDate,
    pub can_write: bool,
}

/// `$ 150.000.000 × 8 % = $ 12.000.000`, with the exact product and its rounding when the
/// product has cents (`$ 1.000.010 × 5 % = $ 50.000,5 → $ 50.001`).
fn value_phrase(billing: &Billing) -> String {
    let exact = billing
        .net_sales
        .to_decimal()
        .checked_mul(billing.percentage.fraction());
    let product = format!("{} × {}", billing.net_sales, billing.percentage);
    match exact {
        Some(exact) if exact.normalize() != billing.value.to_decimal() => format!(
            "{product} = $ {} → {} (redondeado al peso)",
            format::decimal(exact),
            billing.value
        ),
        _ => format!("{product} = {}", billing.value),
    }
}

/// How the total is formed, in words, one line per step.
fn formation(billing: &Billing) -> Vec<String> {
    let mut lines = vec![format!("Ventas × porcentaje: {}.", value_phrase(billing))];
    match billing.minimum {
        Some(minimum) => {
            let named = if billing.grace {
                "Mínimo garantizado (canon del periodo de gracia)"
            } else {
                "Mínimo garantizado"
            };
            lines.insert(0, format!("{named}: {minimum}."));
            if billing.excess.is_zero() {
                lines.push(format!(
                    "Excedente: $ 0, porque el valor {} no supera el mínimo {minimum}.",
                    billing.value
                ));
                lines.push(format!(
                    "Total a facturar: el mínimo garantizado, {}.",
                    billing.billed
                ));
            } else {
                lines.push(format!(
                    "Excedente: {} − {minimum} = {}.",
                    billing.value, billing.excess
                ));
                lines.push(format!(
                    "Total a facturar: mínimo {minimum} + excedente {} = {}.",
                    billing.excess, billing.billed
                ));
            }
        }
        None => lines.push(format!(
            "Total a facturar: todo el valor, {}.",
            billing.billed
        )),
    }
    lines
}

fn billing_card(billing: &Billing) -> Markup {
    let hibrido = billing.minimum.is_some();
    let reliquidacion_labels: Vec<String> = billing
        .reliquidaciones
        .iter()
        .map(|r| format!("Reliquidación por {}", r.cause))
        .collect();
    let mut rows = vec![
        Detail::new("Ventas brutas", billing.gross_sales.to_string()),
        Detail::new("Devoluciones", billing.returns.to_string()),
        Detail::new(
            "Base neta (ventas − devoluciones)",
            billing.net_sales.to_string(),
        ),
        Detail::new("Porcentaje sobre ventas", billing.percentage.to_string()),
        Detail::new("Valor (base × porcentaje)", billing.value.to_string()),
    ];
    if let Some(minimum) = billing.minimum {
        rows.push(Detail::new("Canon mínimo garantizado", minimum.to_string()));
        rows.push(Detail::new(
            "Excedente sobre el mínimo",
            billing.excess.to_string(),
        ));
    }
    rows.push(Detail::new(
        "Facturado al entregar",
        html! { strong { (billing.billed.to_string()) } },
    ));
    for (r, label) in billing.reliquidaciones.iter().zip(&reliquidacion_labels) {
        rows.push(Detail::new(
            label,
            format!(
                "{} (el mes queda en {})",
                arriendo_events::signed_pesos(r.difference),
                r.corrected
            ),
        ));
    }
    if !billing.reliquidaciones.is_empty() {
        rows.push(Detail::new(
            "Total del mes",
            html! { strong { (billing.total.to_string()) } },
        ));
    }
    rows.push(Detail::new(
        "Porcentaje y mínimo fijados por",
        format!("{} ({})", billing.source.short(), billing.source.phrase()),
    ));
    let explanation = if !hibrido {
        "Variable puro: se factura todo el valor.".to_string()
    } else if billing.excess.is_zero() {
        "Híbrido: el valor no supera el mínimo, se factura el mínimo.".to_string()
    } else {
        format!(
            "Híbrido: se factura el mínimo {} más el excedente {}.",
            billing.minimum.map(|m| m.to_string()).unwrap_or_default(),
            billing.excess
        )
    };
    card(
        Some("Facturación por ventas"),
        html! {
            p.lead { strong { (capitalize(&headline(billing))) } }
            div.grid-4 {
                (stat_tile("Base neta", &billing.net_sales.to_string(), None))
                (stat_tile("Porcentaje", &billing.percentage.to_string(), None))
                @if let Some(m) = billing.minimum { (stat_tile("Mínimo", &m.to_string(), None)) }
                @if hibrido { (stat_tile("Excedente", &billing.excess.to_string(), None)) }
                (stat_tile("Total a facturar", &billing.total.to_string(), None))
            }
            p.section { (explanation) }
            @if billing.grace {
                p { "Mes en periodo de gracia: el canon fijo y el mínimo garantizado son el canon del periodo de gracia; el porcentaje de las ventas se sigue cobrando." }
            }
            h3 { "Cómo se forma el total" }
            ol { @for line in formation(billing) { li { (line) } } }
            p.muted.small { "Redondeo: el valor de ventas × porcentaje se redondea una sola vez al peso, la mitad hacia arriba ($ 50.000,5 → $ 50.001; $ 50.000,4 → $ 50.000). El mínimo y el excedente ya son pesos enteros." }
            @if !billing.reliquidaciones.is_empty() {
                p { "Lo facturado al entregar el informe no cambia: cada reliquidación registra la diferencia que un ajuste posterior causó en este mes." }
            }
            (detail_list(&rows))
        },
    )
}

pub fn detail_page(ctx: &PageContext, d: &SalesDetail<'_>) -> Markup {
    let r = d.report;
    let (year, month) = (r.period.year(), r.period.month());
    let period = period_label(year, month);
    let title = format!("Informe de ventas de {period}");
    let href = report_href(d.contract_id, year, month);
    let overdue = r.is_overdue(d.today);
    let e = &d.deliver.errors;
    let delivered = match r.status {
        SalesReportStatus::Entregado { date, .. } => Some(date),
        SalesReportStatus::Pendiente => None,
    };
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Informes de ventas", "/informes-ventas"), (d.contract_number, &format!("/contratos/{}", d.contract_id)), (&period, "")]))
            (page_header(&title, Some(&format!("Contrato {}", d.contract_number)), html! {}))
            (card(Some("Estado"), detail_list(&[
                Detail::new("Contrato", html! { a href={ "/contratos/" (d.contract_id) } { (d.contract_number) } }),
                Detail::new("Periodo", period.as_str()),
                Detail::new("Plazo de entrega", format!("{} ({})", format::date(r.deadline), format::days_left((r.deadline - d.today).num_days()))),
                Detail::new("Estado", status_badge(if delivered.is_some() { "entregado" } else { "pendiente" }, overdue)),
                Detail::new("Fecha de entrega", delivered.map(format::date).unwrap_or_default()),
            ])))
            @match &d.billing {
                Some(Ok(billing)) => {
                    (billing_card(billing))
                    p.export-links {
                        a href={ (href) "/calculo" } download { "Exportar el cálculo (XLSX)" }
                        span.muted { " · Para imprimirlo o guardarlo en PDF, use «Imprimir» del navegador (Ctrl+P): los formularios no salen en papel." }
                    }
                }
                Some(Err(why)) => (card(Some("Facturación por ventas"), html! { p { (why) } })),
                None => {}
            }
            @if d.can_write {
                div.grid-2.section {
                    (card(Some(if delivered.is_some() { "Corregir la entrega" } else { "Marcar como entregado" }), html! {
                        form.form method="post" action={ (href) "/entregar" } novalidate {
                            (error_summary_with(e, labels(LABELS)))
                            (csrf_field(&ctx.csrf_token))
                            input type="hidden" name="version" value=(d.deliver.version);
                            (date_field(&Field::new("fecha", "Fecha de entrega").value(&d.deliver.fecha).required().errors(e)))
                            (money_field(&Field::new("ventas_brutas", "Ventas brutas").value(&d.deliver.ventas_brutas).required().errors(e)))
                            (money_field(&Field::new("devoluciones", "Devoluciones").value(&d.deliver.devoluciones).hint("0 si no hubo.").errors(e)))
                            @if !d.deliver.warnings.is_empty() {
                                div.flash.flash-aviso role="alert" {
                                    p { strong { "Revise antes de guardar:" } }
                                    ul { @for w in &d.deliver.warnings { li { (w) } } }
                                }
                                (checkbox(&Field::new("confirmar", "Los datos son correctos: guardar de todos modos").required(), false))
                            }
                            (submit_button("Guardar y calcular"))
                        }
                    }))
                    @if delivered.is_some() {
                        (card(Some("Volver a pendiente"), html! {
                            p { "Si el informe se registró como entregado por error, márquelo de nuevo como pendiente." }
                            (post_button(&format!("{href}/pendiente"), &ctx.csrf_token, "Marcar como pendiente", "btn-secondary", Some("¿Marcar el informe como pendiente?")))
                        }))
                    }
                }
            }
        },
    )
}
