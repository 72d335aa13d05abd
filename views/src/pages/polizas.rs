//! Pólizas: the list of every policy (filters, sorted by effective expiry) and the detail page
//! with status (colchón applied), compliance with its document's requirement, seguimientos and
//! the actions (edit, renew, cancel, add a seguimiento).

use arriendo_events::{Contrato, Money, Poliza};
use arriendo_projections::polizas::{ComplianceStatus, PolizaStatus, PolizaView};
use chrono::NaiveDate;
use maud::{Markup, html};

use super::catalogos::Paging;
use super::poliza_form::{KINDS, requirement_extras, state_label};
use crate::components::{
    Column, Detail, Field, FormErrors, Tone, badge, breadcrumbs, card, csrf_field, date_field,
    detail_list, empty_state, error_summary_with, labels, link_button, page_header, select_field,
    submit_button, table_head, table_wrap, text_field, textarea,
};
use crate::format;
use crate::layout::{PageContext, page};

/// The label of every field of the póliza page's actions (renew, follow up, cancel), for the error
/// summary.
const ACTION_LABELS: &[(&str, &str)] = &[
    ("renovar_desde", "Nueva vigencia desde"),
    ("renovar_hasta", "Nueva vigencia hasta"),
    ("seguimiento_fecha", "Fecha del seguimiento"),
    ("seguimiento_nota", "Nota del seguimiento"),
    ("seguimiento_revisar", "Volver a revisar el"),
    ("cancelar_fecha", "Fecha de cancelación"),
    ("cancelar_motivo", "Motivo de la cancelación"),
];

/// One row of the list (from `rm_polizas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolizaRow {
    pub id: String,
    pub contract_id: String,
    pub contract_number: String,
    pub tercero_name: String,
    /// As displayed: `RCE`, `Cumplimiento`…
    pub kind: String,
    pub number: String,
    pub insurer: String,
    pub insured_value: i64,
    pub valid_to: NaiveDate,
    pub effective_expiry: NaiveDate,
    /// `vigente` | `por_vencer` | `vencida` | `cancelada`.
    pub status: String,
    /// `cumple` | `no_cumple` | `no_exigida`.
    pub compliance: String,
    /// `contrato` | `OS-n` | `RA-n`.
    pub required_by: String,
}

/// The filters as given in the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolizaFilters {
    /// What was typed in the search box: the póliza's number, or its contract's number, tenant, NIT
    /// or local.
    pub q: String,
    pub estado: String,
    pub cumplimiento: String,
    pub contrato: String,
    pub tipo: String,
    /// `AAAA-MM`: the pólizas of open contracts, not cancelled, whose effective expiry falls in that
    /// month (a bar of the dashboard's chart); anything else is no filter.
    pub vence: String,
    /// `cliente` | `proveedor`: the contract's kind.
    pub clase: String,
}

impl PolizaFilters {
    /// The month of the `vence` filter, when it is a month.
    pub fn month(&self) -> Option<arriendo_events::YearMonth> {
        crate::query::month_param(&self.vence)
    }

    /// The filters as a query string, for the export links.
    pub fn query(&self) -> crate::query::QueryString {
        crate::query::QueryString::from_pairs(
            [
                ("q", self.q.as_str()),
                ("estado", self.estado.as_str()),
                ("cumplimiento", self.cumplimiento.as_str()),
                ("contrato", self.contrato.as_str()),
                ("tipo", self.tipo.as_str()),
                ("vence", self.vence.as_str()),
                ("clase", self.clase.as_str()),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty()),
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolizaList {
    pub rows: Vec<PolizaRow>,
    pub filters: PolizaFilters,
    /// The number of the contract in the `contrato` filter, when there is one.
    pub contract_number: Option<String>,
    pub paging: Paging,
    pub can_write: bool,
}

const ESTADOS: &[(&str, &str)] = &[
    ("vigente", "Vigente"),
    ("por_vencer", "Por vencer"),
    ("vencida", "Vencida"),
    ("cancelada", "Cancelada"),
];

const CUMPLIMIENTO: &[(&str, &str)] = &[("cumple", "Cumple"), ("no_cumple", "No cumple")];

/// The label of a stored status slug (`por_vencer` or `por-vencer`).
pub fn status_label(slug: &str) -> &str {
    match slug {
        "vigente" => "Vigente",
        "por_vencer" | "por-vencer" => "Por vencer",
        "vencida" => "Vencida",
        "cancelada" => "Cancelada",
        other => other,
    }
}

pub fn compliance_label(slug: &str) -> &str {
    match slug {
        "cumple" => "Cumple",
        "no_cumple" | "no-cumple" => "No cumple",
        "no_exigida" | "no-exigida" => "No exigida",
        other => other,
    }
}

fn status_badge(slug: &str) -> Markup {
    let label = status_label(slug);
    badge(Tone::for_state(label), label)
}

fn compliance_badge(slug: &str) -> Markup {
    let label = compliance_label(slug);
    badge(Tone::for_state(label), label)
}

pub fn list_page(ctx: &PageContext, list: &PolizaList) -> Markup {
    let f = &list.filters;
    let subtitle = match &list.contract_number {
        Some(n) => format!("{} · contrato {n}", list.paging.count("póliza", "pólizas")),
        None => list.paging.count("póliza", "pólizas"),
    };
    let actions = match (&list.contract_number, list.can_write) {
        (Some(_), true) => link_button(
            &format!("/contratos/{}/polizas/nueva", f.contrato),
            "Registrar póliza",
            true,
        ),
        _ => html! {},
    };
    let cols = [
        Column::new("Contrato"),
        Column::new("Tipo"),
        Column::new("Número"),
        Column::new("Aseguradora"),
        Column::new("Valor asegurado").numeric(),
        Column::new("Vence (efectivo)"),
        Column::new("Estado"),
        Column::new("Cumplimiento"),
    ];
    page(
        ctx,
        "Pólizas",
        html! {
            (page_header("Pólizas", Some(&subtitle), actions))
            (crate::components::list_export_links("/polizas/exportar", &f.query().encoded()))
            form.filters method="get" action="/polizas" role="search" {
                @if !f.contrato.is_empty() {
                    input type="hidden" name="contrato" value=(f.contrato);
                }
                @for (name, value) in [("vence", &f.vence), ("clase", &f.clase)] {
                    @if !value.is_empty() { input type="hidden" name=(name) value=(value); }
                }
                (text_field(&Field::new("q", "Buscar").value(&f.q).input_type("search").placeholder("Número, contrato, NIT o local")))
                (select_field(&Field::new("estado", "Estado").value(&f.estado).placeholder("Todos"), ESTADOS))
                (select_field(&Field::new("cumplimiento", "Cumplimiento").value(&f.cumplimiento).placeholder("Todos"), CUMPLIMIENTO))
                (select_field(&Field::new("tipo", "Tipo").value(&f.tipo).placeholder("Todos"), KINDS))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            @if let Some(n) = &list.contract_number {
                p.cluster {
                    "Solo el contrato " a href={ "/contratos/" (f.contrato) } { (n) } ". "
                    a href="/polizas" { "Ver todas las pólizas" }
                }
            }
            @if let Some(m) = f.month() {
                p.filter-note {
                    "Pólizas de contratos sin terminar que vencen en " (format::month_long(m.year(), m.month())) ". "
                    a href={ "/polizas" (f.query().without("vence").href()) } { "Quitar el mes" }
                }
            }
            @if list.rows.is_empty() {
                (empty_state("No hay pólizas con esos filtros."))
            } @else {
                (table_wrap("Pólizas", table_head(&cols, None, &list.paging.query), html! {
                    tbody {
                        @for p in &list.rows {
                            tr {
                                td { a href={ "/contratos/" (p.contract_id) } { (p.contract_number) } br; span.muted.small { (p.tercero_name) } }
                                td { (p.kind) }
                                th scope="row" { a href={ "/polizas/" (p.id) } { (p.number) } }
                                td { (p.insurer) }
                                td.num.nowrap { (format::money(p.insured_value)) }
                                td.nowrap { (format::date(p.effective_expiry)) }
                                td { (status_badge(&p.status)) }
                                td { (compliance_badge(&p.compliance)) }
                            }
                        }
                    }
                }))
                (list.paging.bar())
            }
        },
    )
}

/// The values and errors of the detail page's small forms (renew, cancel, seguimiento).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolizaActions {
    pub renovar_desde: String,
    pub renovar_hasta: String,
    pub cancelar_fecha: String,
    pub cancelar_motivo: String,
    pub seguimiento_fecha: String,
    pub seguimiento_nota: String,
    /// The follow-up date typed («Volver a revisar el»).
    pub seguimiento_revisar: String,
    pub errors: FormErrors,
}

/// Everything the detail page shows.
pub struct PolizaDetail<'a> {
    pub contract_id: &'a str,
    pub contrato: &'a Contrato,
    pub poliza: &'a Poliza,
    /// Status and compliance, computed for today.
    pub view: &'a PolizaView,
    pub actions: &'a PolizaActions,
    pub can_write: bool,
}

fn status_tone(status: PolizaStatus) -> Tone {
    match status {
        PolizaStatus::Vigente => Tone::Ok,
        PolizaStatus::PorVencer => Tone::Warning,
        PolizaStatus::Vencida => Tone::Danger,
        PolizaStatus::Cancelada => Tone::Neutral,
    }
}

fn compliance_tone(status: ComplianceStatus) -> Tone {
    match status {
        ComplianceStatus::Cumple => Tone::Ok,
        ComplianceStatus::NoCumple => Tone::Danger,
        ComplianceStatus::NoExigida => Tone::Neutral,
    }
}

fn money_or_dash(value: Option<Money>) -> String {
    value.map(|m| m.to_string()).unwrap_or_default()
}

fn compliance_card(view: &PolizaView) -> Markup {
    let c = &view.compliance;
    card(
        Some("Cumplimiento"),
        html! {
            p {
                (badge(compliance_tone(c.status), c.status.label()))
                " frente a lo exigido por " strong { (c.document.short()) }
            }
            @if !c.reasons.is_empty() {
                @if c.status == ComplianceStatus::NoCumple {
                    p { "No cumple porque:" }
                }
                ul.compliance-reasons {
                    @for r in &c.reasons { li { (r) } }
                }
            }
            @if let Some(req) = &c.requirement {
                (detail_list(&[
                    Detail::new("Valor mínimo exigido", req.minimum_insured.to_string()),
                    Detail::new("Meses de cobertura", req.months_of_cover.to_string()),
                    Detail::new("Debe cubrir hasta", c.required_until.map(format::date).unwrap_or_default()),
                    Detail::new("Sublímites y coberturas exigidos", requirement_extras(req)),
                ]))
            }
        },
    )
}

fn sublimits_card(poliza: &Poliza) -> Markup {
    let d = &poliza.data;
    html! {
        @if let Some(s) = &d.rce_sublimits {
            (card(Some("Sublímites RCE"), html! {
                dl.details {
                    @for (label, v) in s.entries() {
                        div.detail-row { dt { (label) } dd { @let t = money_or_dash(v); @if t.is_empty() { span.muted { "—" } } @else { (t) } } }
                    }
                }
            }))
        }
        @if let Some(c) = &d.cumplimiento_cover {
            (card(Some("Coberturas"), html! {
                dl.details {
                    @for (label, v) in c.entries() {
                        div.detail-row { dt { (label) } dd { @let t = money_or_dash(v); @if t.is_empty() { span.muted { "—" } } @else { (t) } } }
                    }
                }
            }))
        }
    }
}

fn action_forms(ctx: &PageContext, id: &str, a: &PolizaActions) -> Markup {
    let e = &a.errors;
    html! {
        div.grid-3.section {
            (card(Some("Renovar vigencia"), html! {
                form.form method="post" action={ "/polizas/" (id) "/renovar" } novalidate {
                    (csrf_field(&ctx.csrf_token))
                    (date_field(&Field::new("renovar_desde", "Nueva vigencia desde").value(&a.renovar_desde).required().errors(e)))
                    (date_field(&Field::new("renovar_hasta", "Nueva vigencia hasta").value(&a.renovar_hasta).required().errors(e)))
                    (submit_button("Renovar"))
                }
            }))
            (card(Some("Agregar seguimiento"), html! {
                form.form method="post" action={ "/polizas/" (id) "/seguimientos" } novalidate {
                    (csrf_field(&ctx.csrf_token))
                    (date_field(&Field::new("seguimiento_fecha", "Fecha").value(&a.seguimiento_fecha).required().errors(e)))
                    (textarea(&Field::new("seguimiento_nota", "Nota").value(&a.seguimiento_nota).required().errors(e), 3))
                    (date_field(&Field::new("seguimiento_revisar", "Volver a revisar el").value(&a.seguimiento_revisar).hint("Opcional: ese día la nota aparece como alerta de seguimiento.").errors(e)))
                    (submit_button("Agregar seguimiento"))
                }
            }))
            (card(Some("Cancelar póliza"), html! {
                form.form method="post" action={ "/polizas/" (id) "/cancelar" } data-confirm="¿Cancelar esta póliza?" novalidate {
                    (csrf_field(&ctx.csrf_token))
                    (date_field(&Field::new("cancelar_fecha", "Fecha de cancelación").value(&a.cancelar_fecha).required().errors(e)))
                    (text_field(&Field::new("cancelar_motivo", "Motivo").value(&a.cancelar_motivo).required().errors(e)))
                    button.btn.btn-danger type="submit" { "Cancelar póliza" }
                }
            }))
        }
    }
}

pub fn detail_page(ctx: &PageContext, d: &PolizaDetail<'_>) -> Markup {
    let p = d.poliza;
    let v = d.view;
    let number = d.contrato.number();
    let title = format!("Póliza {} · {}", p.data.number, p.data.kind);
    let id = p.id.to_string();
    let editable = d.can_write && p.cancelled.is_none();
    let actions = if editable {
        link_button(&format!("/polizas/{id}/editar"), "Editar", false)
    } else {
        html! {}
    };
    let colchon = if p.data.colchon_months == 0 {
        "Sin colchón".to_string()
    } else {
        format!("{} meses", p.data.colchon_months)
    };
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Pólizas", "/polizas"), (number, &format!("/contratos/{}", d.contract_id)), (&p.data.number, "")]))
            (page_header(&title, Some(&format!("Contrato {number} · {}", p.data.insurer)), actions))
            (error_summary_with(&d.actions.errors, labels(ACTION_LABELS)))
            div.grid-2 {
                (card(Some("Estado"), html! {
                    p {
                        (badge(status_tone(v.status), v.status.label()))
                        " "
                        @if v.status != PolizaStatus::Cancelada {
                            span { "vencimiento efectivo " (format::date(v.effective_expiry)) " (" (format::days_left(v.days_left)) ")" }
                        }
                    }
                    @if let Some(c) = &p.cancelled {
                        p { "Cancelada el " (format::date(c.date)) " por " (c.by) ": " (c.reason) }
                    }
                    (detail_list(&[
                        Detail::new("Contrato", html! { a href={ "/contratos/" (d.contract_id) } { (number) } }),
                        Detail::new("Tipo", p.data.kind.to_string()),
                        Detail::new("Número", p.data.number.as_str()),
                        Detail::new("Aseguradora", p.data.insurer.as_str()),
                        Detail::new("Valor asegurado", p.data.insured_value.to_string()),
                        Detail::new("Vigencia", format!("{} a {}", format::date(p.data.validity.from()), format::date(p.data.validity.to()))),
                        Detail::new("Colchón", colchon),
                        Detail::new("Vencimiento efectivo", format::date(v.effective_expiry)),
                        Detail::new("Estado de la póliza", state_label(p.data.state)),
                        Detail::new("Exigida por", v.compliance.document.short()),
                    ]))
                }))
                (compliance_card(v))
            }
            (sublimits_card(p))
            (card(Some("Seguimientos"), html! {
                @if p.seguimientos.is_empty() {
                    p.muted { "Sin seguimientos." }
                } @else {
                    ol.timeline {
                        @for (i, s) in p.seguimientos.iter().enumerate().rev() {
                            li.timeline-entry {
                                span.timeline-dot aria-hidden="true" {}
                                div.timeline-body {
                                    p.timeline-sentence {
                                        @if s.is_active() { (s.note) } @else { del { (s.note) } }
                                    }
                                    p.timeline-meta {
                                        "Nota " (i + 1) " · " (format::date(s.date)) " · " (s.author)
                                        @if let Some(by) = &s.corrected_by { " · corregida por " (by) }
                                        @if let Some(r) = &s.retracted { " · retirada por " (r.by) ": " (r.reason) }
                                        @if let Some(day) = s.follow_up.filter(|_| s.is_active()) { " · revisar el " (format::date(day)) }
                                    }
                                    @if editable && s.is_active() {
                                        details.note-actions {
                                            summary.small { "Corregir o retirar" }
                                            form.form method="post" action={ "/polizas/" (id) "/seguimientos/" (i + 1) "/corregir" } {
                                                (crate::components::csrf_field(&ctx.csrf_token))
                                                (textarea(&Field::new(&format!("nota_{}", i + 1), "Texto corregido").value(&s.note).required(), 2))
                                                button.btn.btn-secondary.btn-small type="submit" { "Guardar corrección" }
                                            }
                                            form.form method="post" action={ "/polizas/" (id) "/seguimientos/" (i + 1) "/retirar" } {
                                                (crate::components::csrf_field(&ctx.csrf_token))
                                                (crate::components::text_field(&Field::new(&format!("motivo_{}", i + 1), "Motivo del retiro").required()))
                                                button.btn.btn-ghost.btn-small type="submit" { "Retirar la nota" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            @if editable {
                (action_forms(ctx, &id, d.actions))
            }
        },
    )
}
