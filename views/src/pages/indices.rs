//! IPC / salario mínimo: yearly values per index, the form to record one, the contracts whose
//! adjustment is due, and the adjustment calculation with its confirmation.

use arriendo_events::{AdjustmentIndex, CanonAdjustment, ReliquidacionMonth, signed_pesos};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    Column, Detail, Field, FormErrors, Tone, badge, breadcrumbs, card, checkbox, csrf_field,
    date_field, detail_list, empty_state, error_summary_with, form_actions, labels, number_field,
    page_header, percent_field, select_field, stat_tile, submit_button, table_head, table_wrap,
};
use crate::format;
use crate::layout::{PageContext, page};

pub const INDICES: &[(&str, &str)] = &[("ipc", "IPC"), ("salario_minimo", "Salario mínimo")];

/// One recorded yearly value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub year: i32,
    /// As shown: `5,2 %`.
    pub value: String,
}

/// A contract whose adjustment is due or overdue (from the `ajuste` alerts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAdjustment {
    pub contract_id: String,
    pub contract_number: String,
    pub date: NaiveDate,
    pub days_left: i64,
    /// `danger` | `warning` | `info`.
    pub severity: String,
    pub message: String,
    pub source_phrase: String,
}

impl PendingAdjustment {
    pub fn calculate_href(&self) -> String {
        format!(
            "/indices/ajustes/{}?anio={}&fecha={}",
            self.contract_id,
            self.date.format("%Y"),
            format::date_input(self.date)
        )
    }
}

/// The record form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexForm {
    pub indice: String,
    pub anio: String,
    pub valor: String,
    pub errors: FormErrors,
    /// A value far from the one on file: shown with a checkbox to confirm it.
    pub warning: Option<String>,
    /// The values the form was first shown with ([`seen_snapshot`]), kept through the warning's
    /// second round; empty for a fresh form.
    pub vistos: String,
}

/// The values a page shows, as its form carries them back: `ipc:2025=5,1 %;salario_minimo:2025=9,54 %`.
/// A correction is checked against what its author saw for that year ([`seen_value`]).
pub fn seen_snapshot(ipc: &[IndexRow], salario_minimo: &[IndexRow]) -> String {
    ipc.iter()
        .map(|r| format!("ipc:{}={}", r.year, r.value))
        .chain(
            salario_minimo
                .iter()
                .map(|r| format!("salario_minimo:{}={}", r.year, r.value)),
        )
        .collect::<Vec<_>>()
        .join(";")
}

/// The value shown for `slug` (`ipc`, `salario_minimo`) and `year` in a [`seen_snapshot`]; `None`
/// when the page showed none.
pub fn seen_value<'a>(snapshot: &'a str, slug: &str, year: i32) -> Option<&'a str> {
    let key = format!("{slug}:{year}");
    snapshot
        .split(';')
        .filter_map(|entry| entry.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, value)| value)
}

pub struct IndicesPage<'a> {
    pub ipc: &'a [IndexRow],
    pub salario_minimo: &'a [IndexRow],
    pub pending: &'a [PendingAdjustment],
    pub form: &'a IndexForm,
    pub can_write: bool,
}

fn values_table(caption: &str, rows: &[IndexRow]) -> Markup {
    let cols = [Column::new("Año"), Column::new("Variación").numeric()];
    html! {
        @if rows.is_empty() {
            p.muted { "Sin valores registrados." }
        } @else {
            (table_wrap(caption, table_head(&cols, None, ""), html! {
                tbody {
                    @for r in rows.iter().rev() {
                        tr { th scope="row" { (r.year) } td.num { (r.value) } }
                    }
                }
            }))
        }
    }
}

fn severity_tone(slug: &str) -> Tone {
    match slug {
        "danger" => Tone::Danger,
        "warning" => Tone::Warning,
        _ => Tone::Info,
    }
}

fn pending_table(rows: &[PendingAdjustment], can_write: bool) -> Markup {
    let cols = [
        Column::new("Contrato"),
        Column::new("Fecha de ajuste"),
        Column::new("Plazo"),
        Column::new("Detalle"),
        Column::new("Acción"),
    ];
    html! {
        @if rows.is_empty() {
            (empty_state("No hay contratos pendientes de ajuste."))
        } @else {
            (table_wrap("Contratos pendientes de ajuste", table_head(&cols, None, ""), html! {
                tbody {
                    @for p in rows {
                        tr {
                            th scope="row" { a href={ "/contratos/" (p.contract_id) } { (p.contract_number) } }
                            td.nowrap { (format::date(p.date)) }
                            td.nowrap { (badge(severity_tone(&p.severity), &format::days_left(p.days_left))) }
                            td { (p.message) " " span.muted.small { "(" (p.source_phrase) ")" } }
                            td {
                                @if can_write {
                                    a.btn.btn-secondary.btn-small href=(p.calculate_href()) { "Calcular ajuste" }
                                } @else {
                                    a href=(p.calculate_href()) { "Ver cálculo" }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

pub fn indices_page(ctx: &PageContext, p: &IndicesPage<'_>) -> Markup {
    let e = &p.form.errors;
    page(
        ctx,
        "IPC y salario mínimo",
        html! {
            (page_header("IPC y salario mínimo", Some("Valores anuales publicados y ajustes del canon pendientes"), html! {}))
            div.grid-3 {
                (card(Some("IPC (variación anual)"), values_table("Valores del IPC", p.ipc)))
                (card(Some("Salario mínimo (incremento anual)"), values_table("Valores del salario mínimo", p.salario_minimo)))
                @if p.can_write {
                    (card(Some("Registrar un valor"), html! {
                        form.form method="post" action="/indices" novalidate {
                            (error_summary_with(e, labels(LABELS)))
                            (csrf_field(&ctx.csrf_token))
                            (select_field(&Field::new("indice", "Índice").value(&p.form.indice).required().errors(e), INDICES))
                            (number_field(&Field::new("anio", "Año").value(&p.form.anio).required().errors(e), Some(2000), Some(2100)))
                            (percent_field(&Field::new("valor", "Valor").value(&p.form.valor).required().hint("Por ejemplo 5,2").errors(e)))
                            @let vistos = if p.form.vistos.is_empty() { seen_snapshot(p.ipc, p.salario_minimo) } else { p.form.vistos.clone() };
                            input type="hidden" name="vistos" value=(vistos);
                            @if let Some(w) = &p.form.warning {
                                (warning_box(w))
                                (checkbox(&Field::new("confirmar", "Confirmo el valor escrito").required().errors(e), false))
                            }
                            (submit_button("Registrar valor"))
                        }
                    }))
                }
            }
            section.section {
                h2 { "Contratos pendientes de ajuste" }
                (pending_table(p.pending, p.can_write))
            }
        },
    )
}

/// `IPC + 2 puntos`, `80 % del incremento del salario mínimo`.
pub fn rule_label(index: &AdjustmentIndex) -> String {
    match index {
        AdjustmentIndex::Ipc { points } if points.is_zero() => "IPC".to_string(),
        AdjustmentIndex::Ipc { points } => {
            format!("IPC + {} puntos", format::decimal(points.as_decimal()))
        }
        AdjustmentIndex::SalarioMinimo {
            percentage_of_increase,
        } => format!("{percentage_of_increase} del incremento del salario mínimo"),
    }
}

/// The calculation form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjustForm {
    pub anio: String,
    pub valor: String,
    pub fecha: String,
    pub errors: FormErrors,
    /// An index value far from the one on file (shown above the confirmation).
    pub warning: Option<String>,
}

/// A warning that asks for a confirmation before saving.
fn warning_box(text: &str) -> Markup {
    html! { div.flash.flash-aviso role="alert" { p { strong { "Revise el valor: " } (text) } } }
}

pub struct AdjustmentPage<'a> {
    pub contract_id: &'a str,
    pub contract_number: &'a str,
    /// The rule in force, in words (`None` when the contract has none).
    pub rule: Option<String>,
    pub form: &'a AdjustForm,
    pub preview: Option<&'a CanonAdjustment>,
    /// The months already billed that the adjustment changes (a reliquidación when confirmed).
    pub reliquidacion: &'a [ReliquidacionMonth],
    pub can_write: bool,
}

/// The label of every field of the index and adjustment forms, for the error summary.
const LABELS: &[(&str, &str)] = &[
    ("indice", "Índice"),
    ("anio", "Año"),
    ("valor", "Valor"),
    ("fecha", "Fecha efectiva"),
    ("confirmar", "Confirmación"),
];

/// The reliquidación a change would record (an adjustment, an Otro Sí in force from a billed
/// month): per month, billed before and after. `change` names it ("El ajuste", "OS-2") and
/// `with_label` heads the corrected column ("Con el ajuste", "Con OS-2").
pub fn reliquidacion_table(
    months: &[ReliquidacionMonth],
    change: &str,
    with_label: &str,
) -> Markup {
    let cols = [
        Column::new("Mes"),
        Column::new("Facturado").numeric(),
        Column::new(with_label).numeric(),
        Column::new("Diferencia").numeric(),
    ];
    let total: i64 = months
        .iter()
        .fold(0i64, |sum, m| sum.saturating_add(m.difference()));
    html! {
        h3 { "Reliquidación de meses ya facturados" }
        @if months.is_empty() {
            p { (change) " no cambia ningún mes ya facturado: no habrá reliquidación." }
        } @else {
            p { "Estos meses ya se facturaron con los términos anteriores. Lo facturado no cambia: al confirmar se registra una reliquidación con la diferencia de cada mes." }
            (table_wrap("Reliquidación", table_head(&cols, None, ""), html! {
                tbody {
                    @for m in months {
                        tr {
                            th scope="row" { (format::month_year(m.period.year(), m.period.month())) }
                            td.num.nowrap { (m.previous.to_string()) }
                            td.num.nowrap { (m.corrected.to_string()) }
                            td.num.nowrap { (signed_pesos(m.difference())) }
                        }
                    }
                    tr {
                        th scope="row" { "Total de la reliquidación" }
                        td {} td {}
                        td.num.nowrap { strong { (signed_pesos(total)) } }
                    }
                }
            }))
        }
    }
}

pub fn adjustment_page(ctx: &PageContext, p: &AdjustmentPage<'_>) -> Markup {
    let e = &p.form.errors;
    let title = format!("Ajuste del canon · {}", p.contract_number);
    let action = format!("/indices/ajustes/{}", p.contract_id);
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("IPC", "/indices"), (p.contract_number, &format!("/contratos/{}", p.contract_id)), ("Ajuste", "")]))
            (page_header(&title, p.rule.as_deref().map(|r| format!("Regla pactada: {r}")).as_deref(), html! {}))
            (error_summary_with(e, labels(LABELS)))
            (card(Some("Calcular"), html! {
                form.form method="get" action=(action) novalidate {
                    div.form-grid {
                        (number_field(&Field::new("anio", "Año del ajuste").value(&p.form.anio).required().errors(e), Some(2000), Some(2100)))
                        (percent_field(&Field::new("valor", "Valor del índice").value(&p.form.valor).required().hint("El valor publicado del año anterior (IPC o incremento del salario mínimo).").errors(e)))
                        (date_field(&Field::new("fecha", "Fecha efectiva").value(&p.form.fecha).required().errors(e)))
                    }
                    (form_actions("Calcular", Some("/indices")))
                }
            }))
            @if let Some(a) = p.preview {
                (card(Some("Resultado"), html! {
                    div.grid-4 {
                        (stat_tile("Canon anterior", &a.previous_canon.to_string(), None))
                        (stat_tile("Incremento", &format::percent(a.increase), None))
                        (stat_tile("Canon nuevo", &a.new_canon.to_string(), None))
                    }
                    (detail_list(&[
                        Detail::new("Regla", rule_label(&a.rule)),
                        Detail::new("Valor del índice", a.index_value.to_string()),
                        Detail::new("Año", a.year.to_string()),
                        Detail::new("Fecha efectiva", format::date(a.effective_date)),
                    ]))
                    (reliquidacion_table(p.reliquidacion, "El ajuste", "Con el ajuste"))
                    @if p.can_write {
                        form.form method="post" action=(action) {
                            (csrf_field(&ctx.csrf_token))
                            input type="hidden" name="anio" value=(p.form.anio);
                            input type="hidden" name="valor" value=(p.form.valor);
                            input type="hidden" name="fecha" value=(p.form.fecha);
                            @if let Some(w) = &p.form.warning { (warning_box(w)) }
                            @let confirm = format!("Confirmo el nuevo canon de {} desde el {}", a.new_canon, format::date(a.effective_date));
                            (checkbox(&Field::new("confirmar", &confirm).required().errors(e), false))
                            (submit_button("Confirmar ajuste"))
                        }
                    }
                }))
            }
        },
    )
}
