//! The full list of alerts (`/alertas`) and what it shares with the dashboard: the filters in the
//! query string, an alert as stored in `rm_alerts`, its tone, date label and the link to postpone it.

use arriendo_events::AlertDecision;
use arriendo_projections::{Alert, AlertAction, AlertKind, Severity};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    Column, Field, Tone, alert_actions, badge, empty_state, page_header, pagination, select_field,
    table_head, table_wrap,
};
use crate::query::QueryString;
use crate::{PageContext, format, page};

/// The filters of the dashboard and of the alert list (query string: `clase`, `tipo`, `severidad`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFilters {
    /// `cliente` | `proveedor`.
    pub clase: Option<String>,
    pub tipo: Option<AlertKind>,
    pub severidad: Option<Severity>,
    /// Include the alerts acknowledged or postponed (`atendidas=si`; the list only).
    pub atendidas: bool,
}

impl AlertFilters {
    /// Reads the filters from a raw query string; unknown values are ignored.
    pub fn from_query(query: &str) -> AlertFilters {
        let q = QueryString::parse(query);
        AlertFilters {
            clase: q
                .get("clase")
                .filter(|c| matches!(*c, "cliente" | "proveedor"))
                .map(str::to_string),
            tipo: q.get("tipo").and_then(AlertKind::from_slug),
            severidad: q.get("severidad").and_then(Severity::from_slug),
            atendidas: q.get("atendidas") == Some("si"),
        }
    }

    /// The query string of these filters (without `?`), to keep them in links.
    pub fn query(&self) -> QueryString {
        let mut q = QueryString::default();
        if let Some(c) = &self.clase {
            q = q.with("clase", c);
        }
        if let Some(t) = self.tipo {
            q = q.with("tipo", t.slug());
        }
        if let Some(s) = self.severidad {
            q = q.with("severidad", s.slug());
        }
        if self.atendidas {
            q = q.with("atendidas", "si");
        }
        q
    }
}

/// One alert, as stored in `rm_alerts` (joined with the contract's tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub kind: AlertKind,
    pub severity: Severity,
    /// `None` for the Respaldo alert.
    pub contract_id: Option<String>,
    pub contract_number: String,
    pub tercero_name: String,
    pub trigger_date: NaiveDate,
    pub days_left: i64,
    /// `OS-2`, `Contrato`, `Sistema`.
    pub source: String,
    pub message: String,
    /// What the alert is about within its kind and contract (see `Alert::subject`).
    pub subject: String,
    /// Where it is resolved.
    pub action: Option<AlertAction>,
    /// Set aside: postponed or acknowledged, by whom and why.
    pub handled: Option<Handled>,
}

/// An alert set aside, as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    /// `None`: acknowledged (while its date stays); `Some`: postponed until that day.
    pub until: Option<NaiveDate>,
    pub by: String,
    pub note: String,
}

impl Handled {
    /// «Pospuesta hasta el 20/03/2026 por gus: …» / «Atendida por gus: …».
    pub fn sentence(&self) -> String {
        match self.until {
            Some(day) => format!(
                "Pospuesta hasta el {} por {}: «{}»",
                format::date(day),
                self.by,
                self.note
            ),
            None => format!("Marcada como atendida por {}: «{}»", self.by, self.note),
        }
    }
}

impl AlertRow {
    /// A computed alert (the contract page at a past date, the backup's), named with `tercero`.
    pub fn from_alert(a: Alert, contract_id: Option<String>, tercero: &str) -> AlertRow {
        AlertRow {
            kind: a.kind,
            severity: a.severity,
            contract_id,
            contract_number: a.contract_number.unwrap_or_default(),
            tercero_name: tercero.to_string(),
            trigger_date: a.trigger_date,
            days_left: a.days_left,
            source: a.source.short(),
            message: a.message,
            subject: a.subject,
            action: a.action,
            handled: a.handled.map(|h| Handled {
                until: match h.decision {
                    AlertDecision::Postponed { until } => Some(until),
                    AlertDecision::Acknowledged { .. } => None,
                },
                by: h.by,
                note: h.note,
            }),
        }
    }
}

/// The tone of an alert severity.
pub fn tone(severity: Severity) -> Tone {
    match severity {
        Severity::Danger => Tone::Danger,
        Severity::Warning => Tone::Warning,
        Severity::Info => Tone::Info,
    }
}

/// What the trigger date is, per kind: `Vence`, `Límite de preaviso`…
pub fn date_label(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Vencimiento => "Vence",
        AlertKind::Preaviso => "Límite de preaviso",
        AlertKind::PolizaCritica => "Vigencia efectiva hasta",
        AlertKind::PolizaNoAportada => "Exigible desde",
        AlertKind::Ajuste => "Ajuste",
        AlertKind::TerminacionAnticipada => "Fin",
        AlertKind::RenovacionAutomatica => "Fin",
        AlertKind::InformeVentas => "Plazo",
        AlertKind::Seguimiento => "Revisar el",
        AlertKind::ClausulasFaltantes => "Vigente desde",
        AlertKind::ContratoVencido => "Venció",
        AlertKind::Respaldo => "Último respaldo exitoso",
    }
}

/// The page to postpone an alert or mark it handled (contract alerts only).
pub fn handle_href(row: &AlertRow) -> Option<String> {
    let id = row.contract_id.as_ref()?;
    let q = QueryString::default()
        .with("contrato", id)
        .with("tipo", row.kind.slug())
        .with("asunto", &row.subject);
    Some(format!("/alertas/atender?{}", q.encoded()))
}

/// The Respaldo alert when no backup ever succeeded: it has no date.
pub(crate) fn never_backed_up(row: &AlertRow) -> bool {
    row.kind == AlertKind::Respaldo
        && row.message == arriendo_projections::alerts::NO_BACKUP_MESSAGE
}

/// A backup's date is how long ago it was, never «vence…»: `hoy`, `hace 3 días`, `sin respaldos`.
pub(crate) fn backup_age(row: &AlertRow) -> Option<String> {
    if row.kind != AlertKind::Respaldo {
        return None;
    }
    Some(if never_backed_up(row) {
        "sin respaldos".to_string()
    } else if row.days_left >= 0 {
        "hoy".to_string()
    } else {
        format::days_left(row.days_left)
    })
}

pub(crate) fn filter_form(action: &str, filters: &AlertFilters, with_kind: bool) -> Markup {
    let clase = filters.clase.clone().unwrap_or_default();
    let tipo = filters.tipo.map(|t| t.slug()).unwrap_or_default();
    let severidad = filters.severidad.map(|s| s.slug()).unwrap_or_default();
    let kinds: Vec<(&str, &str)> = AlertKind::ALL
        .iter()
        .map(|k| (k.slug(), k.label()))
        .collect();
    html! {
        form.filters method="get" action=(action) role="search" aria-label="Filtrar alertas" {
            (select_field(&Field::new("clase", "Contratos").value(&clase).placeholder("Clientes y proveedores"),
                &[("cliente", "Clientes"), ("proveedor", "Proveedores")]))
            @if with_kind {
                (select_field(&Field::new("tipo", "Tipo de alerta").value(tipo).placeholder("Todos los tipos"), &kinds))
            }
            (select_field(&Field::new("severidad", "Severidad").value(severidad).placeholder("Todas"),
                &[("danger", "Crítica"), ("warning", "Advertencia"), ("info", "Información")]))
            div.form-actions {
                button.btn.btn-primary type="submit" { "Filtrar" }
                a.btn.btn-secondary href=(action) { "Quitar filtros" }
            }
        }
    }
}

/// The full, filtered, paginated list of alerts (`/alertas`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertList {
    pub filters: AlertFilters,
    pub rows: Vec<AlertRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub can_write: bool,
}

/// `/alertas?tipo=…&severidad=…&clase=…&pagina=n`.
pub fn alerts_page(ctx: &PageContext, list: &AlertList) -> Markup {
    let title = list.filters.tipo.map_or("Todas las alertas", |k| k.label());
    let query = list.filters.query().encoded();
    let cols = [
        Column::new("Severidad"),
        Column::new("Tipo"),
        Column::new("Contrato"),
        Column::new("Fecha"),
        Column::new("Días"),
        Column::new("Documento"),
        Column::new("Detalle"),
    ];
    let body = html! {
        nav.breadcrumbs aria-label="Ruta" { ol { li { a href="/" { "Panel" } } li { span aria-current="page" { "Alertas" } } } }
        (page_header(title, Some(&format!("{} en total", format::thousands(list.total))), html! {}))
        (filter_form("/alertas", &list.filters, true))
        p.small {
            @if list.filters.atendidas {
                "Incluye las alertas pospuestas y las marcadas como atendidas. "
                a href={ "/alertas" (list.filters.query().without("atendidas").href()) } { "Ver solo las pendientes" }
            } @else {
                "Las alertas pospuestas o marcadas como atendidas no se listan. "
                a href={ "/alertas" (list.filters.query().with("atendidas", "si").href()) } { "Incluirlas" }
            }
        }
        (crate::components::list_export_links("/alertas/exportar", &query))
        @if list.rows.is_empty() {
            (empty_state("No hay alertas con esos filtros."))
        } @else {
            (table_wrap("Alertas", table_head(&cols, None, ""), html! {
                tbody {
                    @for r in &list.rows {
                        tr {
                            td { (badge(tone(r.severity), r.severity.label())) }
                            td { (r.kind.label()) }
                            td {
                                @if let Some(id) = &r.contract_id {
                                    a href={ "/contratos/" (id) } { (r.contract_number) }
                                    @if !r.tercero_name.is_empty() { br; span.muted.small { (r.tercero_name) } }
                                } @else { a href="/respaldos" { "Respaldos" } }
                            }
                            td.nowrap {
                                @if never_backed_up(r) { "—" } @else { (date_label(r.kind)) " " (format::date(r.trigger_date)) }
                            }
                            td.nowrap { (backup_age(r).unwrap_or_else(|| format::days_left(r.days_left))) }
                            td { span.source-tag { (r.source) } }
                            td {
                                (r.message)
                                @if let Some(h) = &r.handled { br; span.muted.small { (h.sentence()) } }
                                @let action = r.action.as_ref().map(|a| (a.label.clone(), a.href.clone()));
                                (alert_actions(action.as_ref(), handle_href(r).filter(|_| list.can_write).as_deref()))
                            }
                        }
                    }
                }
            }))
        }
        (pagination(list.page, list.per_page, list.total, &query))
    };
    page(ctx, title, body)
}
