//! `/contratos/{id}`: the terms in force today (with the document behind each changed value),
//! alerts, Otro Sí with their actions, renewals, pólizas with compliance, sales reports with
//! billing, the canon schedule, seguimientos, termination and the full history.

use arriendo_events::{Contrato, OtroSiStatus, RenewalStatus, SalesReportStatus};
use arriendo_projections::ContratoVigente;
use arriendo_projections::billing::Billing;
use arriendo_projections::history::changes_phrase;
use arriendo_projections::polizas::{ComplianceStatus, PolizaStatus, PolizaView};
use arriendo_projections::schedule::ScheduleRow;
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    Field, FormErrors, TimelineEntry, Tone, badge, breadcrumbs, card, csrf_field, date_field,
    empty_state, error_summary_with, labels, link_button, page_header, post_button, state_badge,
    table_wrap, text_field, textarea, timeline,
};
use crate::pages::contrato_terms::vigente_details;
use crate::pages::dashboard::{AlertRow, date_label, tone};
use crate::{PageContext, format, page};

/// Everything the contract page shows.
#[derive(Debug, Clone)]
pub struct ContratoDetail<'a> {
    pub id: &'a str,
    pub contrato: &'a Contrato,
    pub vigente: &'a ContratoVigente,
    pub tercero_name: &'a str,
    pub local_name: Option<&'a str>,
    /// `vigente`, `vencido`…
    pub status: &'a str,
    pub alerts: &'a [AlertRow],
    pub polizas: &'a [PolizaView],
    pub billings: &'a [Billing],
    pub schedule: &'a [ScheduleRow],
    pub history: &'a [TimelineEntry],
    pub today: NaiveDate,
    pub can_write: bool,
    pub is_admin: bool,
    /// Errors of the seguimiento or termination forms, with what was typed.
    pub errors: &'a FormErrors,
    pub note: &'a str,
    /// The page shows the past (time travel); `None` for today as recorded now.
    pub past: Option<&'a PastView>,
    /// The printable version (every event of the history, no forms): who printed it and when.
    pub printed: Option<&'a Printed>,
    /// `Tipo de contrato: BODEGAS`, or empty when the contract has no type.
    pub type_line: &'a str,
    /// What the clause checklist says: `Faltan 2 cláusulas obligatorias: …` or `Completa`.
    pub clauses_line: &'a str,
}

/// Who printed the page and when (Bogotá), as its printed header says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    pub by: String,
    pub at: String,
    /// The landlord, at the top of the page.
    pub company: Option<crate::pages::empresa::CompanyHeader>,
}

/// The link to the signed contract, saved with the terms. Only `http(s)` addresses become links:
/// anything else (a `javascript:` address typed into the form) is shown as text, never followed.
fn signed_document(c: &Contrato) -> Markup {
    let Some(url) = c
        .terms
        .as_ref()
        .and_then(|t| t.signed_document_url.as_deref())
    else {
        return html! {};
    };
    let url = url.trim();
    let followable = {
        let lower = url.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    };
    html! {
        p.signed-document {
            strong { "Documento firmado: " }
            @if followable {
                a href=(url) rel="noopener noreferrer" target="_blank" { "abrir el documento" }
                " " span.muted.small { "(" (url) ")" }
            } @else {
                span { (url) } " " span.muted.small { "(no es un enlace web: cópielo si lo necesita)" }
            }
        }
    }
}

/// Events of the history the page shows before sending the reader to the paged, filtered log.
pub const HISTORY_SHOWN: usize = 20;

fn history_section(d: &ContratoDetail<'_>) -> Markup {
    let shown = match d.printed {
        Some(_) => d.history,
        None => &d.history[..d.history.len().min(HISTORY_SHOWN)],
    };
    let in_log = crate::query::QueryString::from_pairs([("contrato", d.contrato.number())]).href();
    html! {
        (timeline(shown))
        @if d.printed.is_none() {
            @if d.history.len() > shown.len() {
                p.muted { "Se muestran los " (shown.len()) " eventos más recientes de " (d.history.len()) "." }
            }
            p { a href={ "/auditoria" (in_log) } { "Ver el historial completo, con páginas y filtros por tipo, usuario y fechas" } }
            (crate::pages::auditoria::export_links(&format!("/contratos/{}/historial/exportar", d.id), "el historial completo"))
            p { a href=(print_href(d)) { "Versión para imprimir o guardar como PDF" } }
        }
    }
}

/// The printable version of what the page shows (the same day and moment).
fn print_href(d: &ContratoDetail<'_>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(p) = d.past.filter(|p| p.errors.is_empty()) {
        if let Some(day) = p.in_force_on {
            pairs.push(("vigente", format::date_input(day)));
        }
        if let Some(moment) = &p.recorded_up_to {
            pairs.push(("registrado", moment.clone()));
        }
    }
    let query = crate::query::QueryString::from_pairs(pairs);
    if query.is_empty() {
        format!("/contratos/{}/imprimir", d.id)
    } else {
        format!("/contratos/{}/imprimir{}", d.id, query.href())
    }
}

/// What a time-travel view of the contract shows, as the URL asked for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PastView {
    /// `vigente`: the terms, pólizas, billing and alerts as they applied on this day.
    pub in_force_on: Option<NaiveDate>,
    /// `registrado`: only what was recorded up to this moment (Bogotá), as typed back in the form.
    pub recorded_up_to: Option<String>,
    /// The same moment for people: `15/02/2026 10:00:00`.
    pub recorded_up_to_label: Option<String>,
    /// The form's fields as typed, with their errors.
    pub vigente_typed: String,
    pub registrado_typed: String,
    pub errors: FormErrors,
}

/// The banner of a past view, and the form to pick another point in time.
fn time_travel(d: &ContratoDetail<'_>) -> Markup {
    let empty = PastView::default();
    let p = d.past.unwrap_or(&empty);
    let e = &p.errors;
    let action = format!("/contratos/{}", d.id);
    html! {
        @if d.past.is_some_and(|p| p.errors.is_empty()) {
            div.flash.flash-aviso.time-travel role="status" {
                p {
                    strong { "Está viendo el pasado." } " "
                    @if let Some(day) = p.in_force_on { "Términos, pólizas, facturación y alertas en vigor el " strong { (format::date(day)) } ". " }
                    @if let Some(label) = &p.recorded_up_to_label { "Solo lo registrado hasta el " strong { (label) } " (hora de Bogotá): lo que un usuario veía ese día. " }
                    "Nada se puede modificar en esta vista. "
                    a href=(action) { "Volver a hoy" }
                }
            }
        }
        details.section open[d.past.is_some()] {
            summary { "Ver el contrato en otra fecha" }
            form.form.filters method="get" action=(action) novalidate {
                (error_summary_with(e, labels(&[("vigente", "En vigor el"), ("registrado", "Según lo registrado al")])))
                (date_field(&Field::new("vigente", "En vigor el").value(&p.vigente_typed).hint("Los términos tal como regían ese día.").errors(e)))
                (text_field(&Field::new("registrado", "Según lo registrado al").value(&p.registrado_typed).hint("Fecha y hora de Bogotá, por ejemplo 2026-02-15T10:00: solo lo registrado hasta entonces.").errors(e)))
                div.form-actions {
                    button.btn.btn-secondary type="submit" { "Ver" }
                    a.btn.btn-ghost href={ (action) "/comparar" } { "Comparar dos fechas" }
                }
            }
        }
    }
}

fn os_state(s: OtroSiStatus) -> Markup {
    let label = match s {
        OtroSiStatus::Borrador => "Borrador",
        OtroSiStatus::EnRevision => "En revisión",
        OtroSiStatus::Aprobado => "Aprobado",
        OtroSiStatus::Rechazado => "Rechazado",
    };
    state_badge(label)
}

fn otrosi_section(d: &ContratoDetail<'_>, token: &str) -> Markup {
    let c = d.contrato;
    let last = c.otro_si.iter().map(|o| o.number).max();
    let open = c.terminated.is_none() && c.deleted.is_none();
    html! {
        @if c.otro_si.is_empty() {
            (empty_state("Este contrato no tiene Otro Sí."))
        } @else {
            (table_wrap("Otro Sí", html! { thead { tr {
                th scope="col" { "Número" } th scope="col" { "Estado" } th scope="col" { "Vigente desde" }
                th scope="col" { "Cambia" } th scope="col" { "Acciones" } } } },
                html! { tbody { @for o in &c.otro_si {
                    @let base = format!("/contratos/{}/otrosi/{}", d.id, o.number.0);
                    tr {
                        td.nowrap { a href=(base) { (o.number.to_string()) } }
                        td { (os_state(o.status)) }
                        td.nowrap { (format::date(o.effective_from))
                            @if let Some(to) = o.effective_to { " a " (format::date(to)) } }
                        td { (changes_phrase(&o.changes)) @if !o.description.is_empty() { br; span.muted.small { (o.description) } } }
                        td { div.cluster {
                            @if d.can_write && open && o.status == OtroSiStatus::Borrador {
                                (link_button(&format!("{base}/editar"), "Editar", false))
                                (post_button(&format!("{base}/enviar"), token, "Enviar a revisión", "btn-primary", None))
                            }
                            @if d.is_admin && open && o.status == OtroSiStatus::EnRevision {
                                (post_button(&format!("{base}/aprobar"), token, "Aprobar…", "btn-primary", None))
                                (link_button(&base, "Rechazar…", false))
                            }
                            @if d.can_write && open && Some(o.number) == last && o.status != OtroSiStatus::Aprobado {
                                (post_button(&format!("{base}/eliminar"), token, "Eliminar", "btn-danger", Some("¿Eliminar este Otro Sí?")))
                            }
                        } }
                    }
                } } }))
        }
        @if d.can_write && open {
            p { (link_button(&format!("/contratos/{}/otrosi/nuevo", d.id), "Nuevo Otro Sí", true)) }
        }
    }
}

fn renewal_section(d: &ContratoDetail<'_>, token: &str) -> Markup {
    let c = d.contrato;
    let open = c.terminated.is_none() && c.deleted.is_none();
    let last = c
        .renovaciones
        .iter()
        .filter(|r| r.status != RenewalStatus::Anulada)
        .map(|r| r.number)
        .max();
    html! {
        @if c.renovaciones.is_empty() {
            p.muted { "Sin renovaciones automáticas." }
        } @else {
            (table_wrap("Renovaciones", html! { thead { tr {
                th scope="col" { "Número" } th scope="col" { "Estado" } th scope="col" { "Fin anterior" }
                th scope="col" { "Nuevo fin" } th scope="col" { "Propuesta por" } th scope="col" { "Acciones" } } } },
                html! { tbody { @for r in &c.renovaciones {
                    @let base = format!("/contratos/{}/renovaciones/{}", d.id, r.number.0);
                    tr {
                        td { (r.number.to_string()) }
                        td { (state_badge(match r.status { RenewalStatus::Propuesta => "Pendiente", RenewalStatus::Aprobada => "Aprobada", RenewalStatus::Anulada => "Anulada" }))
                            @if let Some(reason) = &r.annulment_reason { br; span.muted.small { (reason) } } }
                        td { (format::date(r.previous_end)) }
                        td { (format::date(r.new_end)) }
                        td { (r.proposed_by) }
                        td { div.cluster {
                            @if d.is_admin && open && r.status == RenewalStatus::Propuesta {
                                (post_button(&format!("{base}/aprobar"), token, "Aprobar…", "btn-primary", None))
                            }
                            @if open && Some(r.number) == last && (d.is_admin || (d.can_write && r.status == RenewalStatus::Propuesta)) {
                                form.inline-form method="post" action={ (base) "/anular" } {
                                    (csrf_field(token))
                                    label.visually-hidden for={ "motivo-" (r.number.0) } { "Motivo de la anulación" }
                                    input.input id={ "motivo-" (r.number.0) } name="motivo" type="text" required placeholder="Motivo";
                                    button.btn.btn-danger type="submit" { "Anular" }
                                }
                            }
                        } }
                    }
                } } }))
        }
        @if d.can_write && open && d.vigente.automatic_extension {
            (post_button(&format!("/contratos/{}/renovaciones", d.id), token, "Proponer renovación automática", "btn-secondary", None))
        }
    }
}

fn poliza_tone(s: PolizaStatus) -> Tone {
    match s {
        PolizaStatus::Vigente => Tone::Ok,
        PolizaStatus::PorVencer => Tone::Warning,
        PolizaStatus::Vencida => Tone::Danger,
        PolizaStatus::Cancelada => Tone::Neutral,
    }
}

fn polizas_section(d: &ContratoDetail<'_>) -> Markup {
    html! {
        @if d.polizas.is_empty() {
            (empty_state("No se han aportado pólizas."))
        } @else {
            (table_wrap("Pólizas", html! { thead { tr {
                th scope="col" { "Tipo" } th scope="col" { "Número" } th scope="col" { "Aseguradora" }
                th.num scope="col" { "Valor asegurado" } th scope="col" { "Vigencia efectiva" }
                th scope="col" { "Estado" } th scope="col" { "Cumplimiento" } } } },
                html! { tbody { @for p in d.polizas {
                    tr {
                        td { (p.kind.to_string()) }
                        td { (p.number) }
                        td { (p.insurer) }
                        td.num.nowrap { (p.insured_value.to_string()) }
                        td.nowrap { (format::date(p.effective_expiry)) br; span.muted.small { (format::days_left(p.days_left)) } }
                        td { (badge(poliza_tone(p.status), p.status.label())) }
                        td {
                            (badge(match p.compliance.status { ComplianceStatus::Cumple => Tone::Ok, ComplianceStatus::NoCumple => Tone::Danger, ComplianceStatus::NoExigida => Tone::Neutral }, p.compliance.status.label()))
                            " " span.source-tag { "según " (p.compliance.document.short()) }
                            @for r in &p.compliance.reasons { br; span.muted.small { (r) } }
                        }
                    }
                } } }))
        }
        div.cluster {
            a href={ "/polizas?contrato=" (d.id) } { "Ver las pólizas del contrato" }
            @if d.can_write { (link_button(&format!("/contratos/{}/polizas/nueva", d.id), "Registrar póliza", false)) }
        }
    }
}

fn ventas_section(d: &ContratoDetail<'_>) -> Markup {
    let reports = &d.contrato.informes_ventas;
    html! {
        @if reports.is_empty() {
            p.muted { "Sin informes de ventas." }
        } @else {
            (table_wrap("Informes de ventas", html! { thead { tr {
                th scope="col" { "Mes" } th scope="col" { "Estado" } th scope="col" { "Plazo" }
                th.num scope="col" { "Ventas netas" } th.num scope="col" { "Facturación" } } } },
                html! { tbody { @for r in reports.iter().rev() {
                    @let bill = d.billings.iter().find(|b| b.period == r.period);
                    tr {
                        td.nowrap { (format::month_year(r.period.year(), r.period.month())) }
                        td { @match r.status {
                            SalesReportStatus::Pendiente => { @if r.is_overdue(d.today) { (badge(Tone::Danger, "Atrasado")) } @else { (badge(Tone::Warning, "Pendiente")) } }
                            SalesReportStatus::Entregado { date, .. } => { (badge(Tone::Ok, "Entregado")) " " span.muted.small { (format::date(date)) } }
                        } }
                        td.nowrap { (format::date(r.deadline)) }
                        td.num.nowrap { @if let Some(n) = r.net_sales() { (n.to_string()) } }
                        td.num.nowrap { @if let Some(b) = bill { (b.total.to_string()) br; span.muted.small { (b.percentage.to_string()) " · según " (b.source.short()) } } }
                    }
                } } }))
        }
        p { a href={ "/informes-ventas?contrato=" (d.id) } { "Ver los informes de ventas" } }
    }
}

fn schedule_section(rows: &[ScheduleRow], today: NaiveDate) -> Markup {
    let this = arriendo_events::YearMonth::of(today);
    html! {
        details.chart-data {
            summary { "Ver el calendario de cánones (" (rows.len()) " meses)" }
            (table_wrap("Calendario de cánones", html! { thead { tr {
                th scope="col" { "Mes" } th.num scope="col" { "Valor" } th scope="col" { "Base" } th scope="col" { "Documento" } } } },
                html! { tbody { @for r in rows {
                    tr class=[(r.period == this).then_some("is-current")] {
                        td.nowrap { (format::month_year(r.period.year(), r.period.month())) }
                        td.num.nowrap { @if let Some(a) = r.amount { (a.to_string()) } @else { span.muted { "según ventas" } }
                            @if r.projected { " " span.muted.small { "(estimado)" } } }
                        td { (r.basis) }
                        td { span.source-tag { (r.source.short()) } }
                    }
                } } }))
        }
    }
}

fn seguimientos_section(d: &ContratoDetail<'_>, token: &str) -> Markup {
    let c = d.contrato;
    html! {
        @if c.seguimientos.is_empty() {
            p.muted { "Sin notas de seguimiento." }
        } @else {
            ul.alert-list { @for (i, s) in c.seguimientos.iter().enumerate().rev() {
                li class={ "alert-entry" @if !s.is_active() { " is-retracted" } } {
                    div.alert-entry-main {
                        @if s.is_active() { span { (s.note) } } @else { del { (s.note) } }
                    }
                    div.alert-entry-meta {
                        span.muted.small {
                            "Nota " (i + 1) " · " (format::date(s.date)) " · " (s.author)
                            @if let Some(by) = &s.corrected_by { " · corregida por " (by) }
                        }
                        @if let Some(day) = s.follow_up.filter(|_| s.is_active()) {
                            (badge(if day <= d.today { Tone::Danger } else { Tone::Warning }, &format!("Revisar el {}", format::date(day))))
                        }
                        @if let Some(r) = &s.retracted {
                            span.small { (badge(Tone::Neutral, "Retirada")) " por " (r.by) ": " (r.reason) }
                        }
                    }
                    @if d.can_write && c.deleted.is_none() && s.is_active() {
                        details.note-actions {
                            summary.small { "Corregir o retirar" }
                            form.form method="post" action={ "/contratos/" (d.id) "/seguimientos/" (i + 1) "/corregir" } {
                                (csrf_field(token))
                                (textarea(&Field::new(&format!("nota_{}", i + 1), "Texto corregido").value(&s.note).required(), 2))
                                button.btn.btn-secondary.btn-small type="submit" { "Guardar corrección" }
                            }
                            form.form method="post" action={ "/contratos/" (d.id) "/seguimientos/" (i + 1) "/retirar" } {
                                (csrf_field(token))
                                (text_field(&Field::new(&format!("motivo_{}", i + 1), "Motivo del retiro").required()))
                                button.btn.btn-ghost.btn-small type="submit" { "Retirar la nota" }
                            }
                        }
                    }
                }
            } }
        }
        @if d.can_write && c.deleted.is_none() {
            form.form method="post" action={ "/contratos/" (d.id) "/seguimientos" } {
                (csrf_field(token))
                (textarea(&Field::new("nota", "Nueva nota de seguimiento").value(d.note).required().errors(d.errors), 2))
                (date_field(&Field::new("seguimiento_fecha", "Volver a revisar el").hint("Opcional: ese día la nota aparece como alerta de seguimiento.").errors(d.errors)))
                button.btn.btn-secondary type="submit" { "Agregar nota" }
            }
        }
    }
}

fn termination_section(d: &ContratoDetail<'_>, token: &str) -> Markup {
    let c = d.contrato;
    html! {
        @if let Some(t) = &c.terminated {
            p { (badge(Tone::Danger, "Terminado")) " el " (format::date(t.date)) " por " (t.by) ": " (t.reason) }
        } @else if d.can_write && c.deleted.is_none() {
            details {
                summary { "Terminar el contrato…" }
                form.form method="post" action={ "/contratos/" (d.id) "/terminar" } {
                    (csrf_field(token))
                    div.form-grid {
                        (date_field(&Field::new("fecha_terminacion", "Fecha de terminación").value(&format::date_input(d.today)).required().errors(d.errors)))
                    }
                    (textarea(&Field::new("motivo", "Motivo").required().errors(d.errors), 2))
                    button.btn.btn-danger type="submit" { "Terminar contrato" }
                }
            }
        } @else {
            p.muted { "Sin terminación registrada." }
        }
        @if let Some(reason) = &c.deleted {
            p { (badge(Tone::Danger, "Eliminado")) " " (reason) }
        } @else if d.is_admin {
            details {
                summary { "Eliminar el contrato… (administrador)" }
                form.form method="post" action={ "/contratos/" (d.id) "/eliminar" } {
                    (csrf_field(token))
                    (textarea(&Field::new("motivo_eliminacion", "Motivo de la eliminación").required(), 2))
                    button.btn.btn-danger type="submit" { "Eliminar contrato" }
                }
            }
        }
    }
}

/// The contract page.
pub fn contrato_page(ctx: &PageContext, d: &ContratoDetail<'_>) -> Markup {
    let token = ctx.csrf_token.as_str();
    let number = d.contrato.number();
    let actions = html! {
        @if d.can_write && d.contrato.terminated.is_none() && d.contrato.deleted.is_none() {
            (link_button(&format!("/contratos/{}/editar", d.id), "Editar", false))
            (link_button(&format!("/contratos/{}/otrosi/nuevo", d.id), "Nuevo Otro Sí", true))
        }
    };
    let subtitle = format!("{} · {}", d.tercero_name, d.vigente.modality.value.label());
    let terms_title = match d.past.and_then(|p| p.in_force_on) {
        Some(day) => format!("Términos vigentes el {}", format::date(day)),
        None => "Términos vigentes hoy".to_string(),
    };
    let body = html! {
        (breadcrumbs(&[("Contratos", "/contratos"), (number, "")]))
        (page_header(&format!("Contrato {number}"), Some(&subtitle), actions))
        @if let Some(printed) = d.printed {
            div.print-header {
                (crate::pages::empresa::print_header(printed.company.as_ref()))
                p { strong { "Arriendo · Contrato " (number) } }
                p { (terms_title) @if let Some(label) = d.past.and_then(|p| p.recorded_up_to_label.as_ref()) { ", según lo registrado al " (label) " (hora de Bogotá)" } "." }
                p { "Impreso el " (printed.at) " (hora de Bogotá) por " (printed.by) ". Historial completo al final." }
                p.muted.screen-only { "Use «Imprimir» del navegador (Ctrl+P) y elija «Guardar como PDF» para obtener el documento." }
            }
        } @else {
            (time_travel(d))
        }
        p { (state_badge(crate::pages::catalogos::contract_status_label(d.status))) " "
            span.muted { (if d.vigente.kind == arriendo_events::ContractKind::Proveedor { "Contrato de proveedor" } else { "Contrato de cliente" }) } }
        @if !d.alerts.is_empty() {
            (card(Some("Alertas"), html! { ul.alert-list { @for a in d.alerts {
                @let action = a.action.as_ref().map(|x| (x.label.clone(), x.href.clone()));
                @let handle = crate::pages::dashboard::handle_href(a).filter(|_| d.can_write && d.printed.is_none());
                li class={ "alert-entry tone-" (tone(a.severity).class()) } {
                    div.alert-entry-main { strong { (a.kind.label()) } span.alert-detail { (a.message) } }
                    div.alert-entry-meta {
                        span.alert-date { (date_label(a.kind)) " " (format::date(a.trigger_date)) }
                        (badge(tone(a.severity), &format::days_left(a.days_left)))
                        span.source-tag { "según " (a.source) }
                    }
                    @if let Some(h) = &a.handled { p.muted.small { (h.sentence()) } }
                    (crate::components::alert_actions(action.as_ref().filter(|_| d.printed.is_none()), handle.as_deref()))
                }
            } } }))
        }
        div.grid-2.section {
            (card(Some(&terms_title), html! {
                (vigente_details(d.vigente, d.tercero_name, d.local_name, true))
                (signed_document(d.contrato))
                p #tipo-clausulas {
                    @if !d.type_line.is_empty() { (d.type_line) br; }
                    "Cláusulas: " (d.clauses_line) " · "
                    a href={ "/contratos/" (d.id) "/clausulas" } { "Lista de cláusulas y su historial" }
                }
            }))
            div.stack {
                div #renovaciones { (card(Some("Renovaciones automáticas"), renewal_section(d, token))) }
                div #seguimiento { (card(Some("Seguimiento"), seguimientos_section(d, token))) }
            }
        }
        div.section { (card(Some("Otro Sí"), otrosi_section(d, token))) }
        div.section { (card(Some("Pólizas"), polizas_section(d))) }
        div.section id="documentos" { (card(Some("Documentos"), crate::pages::documentos::section(d.id, d.contrato, d.can_write && d.printed.is_none(), token))) }
        @if d.vigente.modality.value.is_sales_based() || !d.contrato.informes_ventas.is_empty() {
            div.section.print-page-break { (card(Some("Informes de ventas y facturación"), ventas_section(d))) }
        }
        div.section.print-page-break { (card(Some("Calendario de cánones"), schedule_section(d.schedule, d.today))) }
        div.section #terminacion { (card(Some("Terminación"), termination_section(d, token))) }
        div.section.print-page-break { (card(Some("Historial"), history_section(d))) }
    };
    page(ctx, &format!("Contrato {number}"), body)
}

#[cfg(test)]
mod tests;
