//! The dashboard (`/`) and the full list of alerts (`/alertas`): counts of contracts in force,
//! one card per alert kind with its most urgent entries, the 12-month chart and the last backup.
//! Everything here is plain data read from the read models (`rm_contracts`, `rm_alerts`).

use arriendo_events::{AlertDecision, YearMonth};
use arriendo_projections::{Alert, AlertAction, AlertKind, Severity};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    AlertCard, AlertEntry, ChartMonth, Column, Field, Tone, alert_actions, alert_card, badge, card,
    chart, empty_state, month_chart_linked, page_header, pagination, select_field, stat_tile,
    table_head, table_wrap,
};
use crate::pages::tareas::MyTasks;
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

/// One kind's card: its total count (with the filters), its worst severity and its first entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSummary {
    pub kind: AlertKind,
    pub count: u64,
    pub worst: Option<Severity>,
    pub entries: Vec<AlertRow>,
}

/// Contracts in force today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InForceCounts {
    pub total: u64,
    pub fijo: u64,
    pub variable: u64,
    pub hibrido: u64,
    pub cliente: u64,
    pub proveedor: u64,
}

/// The last backup run, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// `31/12/2025 02:00`, Bogotá time.
    pub started_at: String,
    /// `exitoso`, `fallido`, `en curso`, `interrumpido`.
    pub status: String,
    pub ok: bool,
    pub detail: Option<String>,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub counts: InForceCounts,
    pub filters: AlertFilters,
    pub cards: Vec<KindSummary>,
    /// (month, contracts ending, pólizas expiring), 12 months from this one.
    pub chart: Vec<(YearMonth, u32, u32)>,
    pub last_backup: Option<BackupSummary>,
    /// The Respaldo alert, when the backups are late or failed.
    pub backup_alert: Option<AlertRow>,
    /// Gestores and administradores may postpone alerts or mark them handled.
    pub can_write: bool,
    /// What the signed-in user must do today and this week, above everything else.
    pub tasks: MyTasks,
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

fn entry(row: &AlertRow, can_write: bool) -> AlertEntry {
    AlertEntry {
        action: row
            .action
            .as_ref()
            .map(|a| (a.label.clone(), a.href.clone())),
        handle_href: handle_href(row).filter(|_| can_write),
        contract: if row.contract_number.is_empty() {
            "Respaldos".to_string()
        } else {
            row.contract_number.clone()
        },
        href: row
            .contract_id
            .as_ref()
            .map_or_else(|| "/respaldos".to_string(), |id| format!("/contratos/{id}")),
        detail: if row.tercero_name.is_empty() {
            row.message.clone()
        } else {
            format!("{} · {}", row.tercero_name, row.message)
        },
        date_label: if never_backed_up(row) {
            String::new()
        } else {
            date_label(row.kind).to_string()
        },
        date: row.trigger_date,
        days_left: row.days_left,
        days_text: backup_age(row),
        source: Some(row.source.clone()),
        tone: tone(row.severity),
    }
}

/// The Respaldo alert when no backup ever succeeded: it has no date.
fn never_backed_up(row: &AlertRow) -> bool {
    row.kind == AlertKind::Respaldo
        && row.message == arriendo_projections::alerts::NO_BACKUP_MESSAGE
}

/// A backup's date is how long ago it was, never «vence…»: `hoy`, `hace 3 días`, `sin respaldos`.
fn backup_age(row: &AlertRow) -> Option<String> {
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

fn filter_form(action: &str, filters: &AlertFilters, with_kind: bool) -> Markup {
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

fn counts_section(counts: &InForceCounts, filters: &AlertFilters) -> Markup {
    let clase = filters
        .clase
        .as_ref()
        .map(|c| format!("&clase={c}"))
        .unwrap_or_default();
    html! {
        section.section aria-labelledby="vigentes-titulo" {
            h2 #vigentes-titulo { "Contratos vigentes" }
            div.grid-4 {
                (stat_tile("Vigentes", &format::thousands(counts.total), Some(&format!("/contratos?estado=vigente{clase}"))))
                (stat_tile("Fijo", &format::thousands(counts.fijo), Some(&format!("/contratos?estado=vigente&modalidad=fijo{clase}"))))
                (stat_tile("Variable puro", &format::thousands(counts.variable), Some(&format!("/contratos?estado=vigente&modalidad=variable{clase}"))))
                (stat_tile("Híbrido", &format::thousands(counts.hibrido), Some(&format!("/contratos?estado=vigente&modalidad=hibrido{clase}"))))
                (stat_tile("Clientes", &format::thousands(counts.cliente), Some("/contratos?estado=vigente&clase=cliente")))
                (stat_tile("Proveedores", &format::thousands(counts.proveedor), Some("/contratos?estado=vigente&clase=proveedor")))
            }
        }
    }
}

fn backup_section(last: Option<&BackupSummary>, alert: Option<&AlertRow>) -> Markup {
    card(
        Some("Respaldos"),
        html! {
            @match last {
                Some(b) => {
                    p {
                        "Último respaldo: " strong { (b.started_at) } " "
                        (badge(if b.ok { Tone::Ok } else { Tone::Danger }, &b.status))
                    }
                    @if let Some(d) = &b.detail { p.muted.small { (d) } }
                }
                None => { p { "Todavía no se ha ejecutado ningún respaldo." } }
            }
            @if let Some(a) = alert {
                p.field-error role="status" { (badge(Tone::Danger, "Crítica")) " " (a.message) }
            } @else {
                p.muted.small { "Los respaldos están al día." }
            }
        },
    )
}

/// The chart's months, each bar linking to the list of the contracts ending (`/contratos?vence=`)
/// or the pólizas expiring (`/polizas?vence=`) that month, with the dashboard's `clase`: the list
/// shows exactly the rows the bar counts.
fn chart_months(d: &Dashboard) -> Vec<ChartMonth> {
    d.chart
        .iter()
        .map(|(month, contracts, policies)| {
            let mut q = QueryString::default().with("vence", &crate::query::month_value(*month));
            if let Some(c) = &d.filters.clase {
                q = q.with("clase", c);
            }
            ChartMonth {
                label: format::month_short(month.year(), month.month()),
                contracts: *contracts,
                policies: *policies,
                contracts_href: Some(format!("/contratos{}", q.href())),
                policies_href: Some(format!("/polizas{}", q.href())),
            }
        })
        .collect()
}

/// The dashboard page.
pub fn dashboard_page(ctx: &PageContext, d: &Dashboard) -> Markup {
    let base = d.filters.query();
    let body = html! {
        (page_header("Panel de control", Some(&format!("Alertas al {}", format::date_long(d.today))), html! {}))
        (crate::pages::tareas::tasks_section(&d.tasks, d.can_write))
        (filter_form("/", &d.filters, true))
        (counts_section(&d.counts, &d.filters))
        section.section aria-labelledby="alertas-titulo" {
            h2 #alertas-titulo { "Alertas" }
            @if d.cards.is_empty() {
                (empty_state("No hay alertas con esos filtros."))
            } @else {
                div.alert-grid {
                    @for c in &d.cards {
                        @let entries: Vec<AlertEntry> = c.entries.iter().map(|r| entry(r, d.can_write)).collect();
                        @let href = format!("/alertas{}", base.with("tipo", c.kind.slug()).href());
                        (alert_card(&AlertCard {
                            id: c.kind.slug(),
                            title: c.kind.label(),
                            count: usize::try_from(c.count).unwrap_or(usize::MAX),
                            tone: c.worst.map_or(Tone::Ok, tone),
                            entries: &entries,
                            see_all_href: &href,
                        }))
                    }
                }
            }
        }
        section.section {
            div.grid-2 {
                (card(Some("Próximos 12 meses"), month_chart_linked(chart::DEFAULT_TITLE, &chart_months(d))))
                (backup_section(d.last_backup.as_ref(), d.backup_alert.as_ref()))
            }
        }
    };
    page(ctx, "Panel", body)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::of(d(y, m, 1))
    }

    fn row(kind: AlertKind, severity: Severity, n: &str) -> AlertRow {
        AlertRow {
            kind,
            severity,
            contract_id: Some(format!("id-{n}")),
            contract_number: n.into(),
            tercero_name: "Café Andino S.A.S.".into(),
            trigger_date: d(2026, 3, 31),
            days_left: 12,
            source: "OS-1".into(),
            message: format!("El contrato {n} vence el 31/03/2026"),
            subject: "contrato".into(),
            action: Some(AlertAction {
                label: "Nuevo Otro Sí de prórroga".into(),
                href: format!("/contratos/id-{n}/otrosi/nuevo"),
            }),
            handled: None,
        }
    }

    #[test]
    fn each_alert_leads_to_where_it_is_resolved_and_to_postponing_it() {
        let r = row(AlertKind::Vencimiento, Severity::Danger, "CT-001");
        let e = entry(&r, true);
        assert_eq!(
            e.action,
            Some((
                "Nuevo Otro Sí de prórroga".to_string(),
                "/contratos/id-CT-001/otrosi/nuevo".to_string()
            ))
        );
        assert_eq!(
            e.handle_href.as_deref(),
            Some("/alertas/atender?contrato=id-CT-001&tipo=vencimiento&asunto=contrato")
        );
        assert_eq!(entry(&r, false).handle_href, None, "auditors only read");
        let postponed = AlertRow {
            handled: Some(Handled {
                until: Some(d(2026, 4, 1)),
                by: "gus".into(),
                note: "Llega el 31".into(),
            }),
            ..r
        };
        let html = alerts_page(
            &PageContext::default(),
            &AlertList {
                filters: AlertFilters::from_query("atendidas=si"),
                rows: vec![postponed],
                total: 1,
                page: 1,
                per_page: 25,
                can_write: true,
            },
        )
        .into_string();
        assert!(
            html.contains("Pospuesta hasta el 01/04/2026 por gus: «Llega el 31»"),
            "{html}"
        );
        assert!(html.contains("href=\"/contratos/id-CT-001/otrosi/nuevo\""));
    }

    #[test]
    fn the_backup_alert_tells_its_age_never_a_due_date() {
        let never = AlertRow {
            contract_id: None,
            contract_number: String::new(),
            tercero_name: String::new(),
            days_left: 0,
            source: "Sistema".into(),
            message: arriendo_projections::alerts::NO_BACKUP_MESSAGE.into(),
            ..row(AlertKind::Respaldo, Severity::Danger, "")
        };
        let e = entry(&never, true);
        assert_eq!(
            (e.date_label.as_str(), e.days_text.as_deref()),
            ("", Some("sin respaldos"))
        );
        let failed_today = AlertRow {
            message: "El último respaldo falló; el último exitoso fue hoy".into(),
            ..never.clone()
        };
        assert_eq!(entry(&failed_today, true).days_text.as_deref(), Some("hoy"));
        let old = AlertRow {
            days_left: -3,
            ..failed_today.clone()
        };
        assert_eq!(entry(&old, true).days_text.as_deref(), Some("hace 3 días"));
        assert_eq!(
            entry(&row(AlertKind::Vencimiento, Severity::Danger, "C-1"), true).days_text,
            None
        );
        let html = alerts_page(
            &PageContext::default(),
            &AlertList {
                filters: AlertFilters::default(),
                rows: vec![never],
                total: 1,
                page: 1,
                per_page: 25,
                can_write: false,
            },
        )
        .into_string();
        assert!(
            html.contains("sin respaldos") && !html.contains("vence hoy"),
            "{html}"
        );
    }

    #[test]
    fn filters_round_trip() {
        let f = AlertFilters::from_query("clase=cliente&tipo=vencimiento&severidad=danger&x=1");
        assert_eq!(f.clase.as_deref(), Some("cliente"));
        assert_eq!(f.tipo, Some(AlertKind::Vencimiento));
        assert_eq!(f.severidad, Some(Severity::Danger));
        assert_eq!(
            f.query().href(),
            "?clase=cliente&tipo=vencimiento&severidad=danger"
        );
        let bad = AlertFilters::from_query("clase=todos&tipo=nada");
        assert_eq!(bad, AlertFilters::default());
    }

    #[test]
    fn dashboard_shows_counts_cards_chart_and_backup() {
        let dash = Dashboard {
            today: d(2026, 3, 19),
            counts: InForceCounts {
                total: 12,
                fijo: 7,
                variable: 2,
                hibrido: 3,
                cliente: 10,
                proveedor: 2,
            },
            filters: AlertFilters::from_query("clase=cliente"),
            cards: vec![KindSummary {
                kind: AlertKind::Vencimiento,
                count: 8,
                worst: Some(Severity::Danger),
                entries: vec![
                    row(AlertKind::Vencimiento, Severity::Danger, "CT-001"),
                    row(AlertKind::Vencimiento, Severity::Warning, "CT-002"),
                ],
            }],
            chart: vec![(ym(2026, 3), 2, 1), (ym(2026, 4), 0, 3)],
            last_backup: Some(BackupSummary {
                started_at: "19/03/2026 02:00".into(),
                status: "exitoso".into(),
                ok: true,
                detail: None,
            }),
            backup_alert: None,
            can_write: true,
            tasks: MyTasks::default(),
        };
        let html = dashboard_page(&PageContext::default(), &dash).into_string();
        assert!(html.contains("Panel de control"));
        assert!(html.contains("Vencimiento de contrato"));
        assert!(html.contains("href=\"/contratos/id-CT-001\">CT-001</a>"));
        assert!(html.contains("según OS-1"));
        assert!(html.contains("y 6 más"));
        assert!(html.contains("href=\"/alertas?clase=cliente&amp;tipo=vencimiento\""));
        assert!(html.contains("alert-card-danger"));
        assert!(html.contains("<svg"));
        // Each bar leads to the list of what it counts, with the dashboard's filter.
        assert!(html.contains("href=\"/contratos?vence=2026-03&amp;clase=cliente\""));
        assert!(html.contains("href=\"/polizas?vence=2026-04&amp;clase=cliente\""));
        assert!(html.contains("19/03/2026 02:00"));
        assert!(html.contains("Los respaldos están al día."));
        assert!(html.contains("/contratos?estado=vigente&amp;modalidad=fijo&amp;clase=cliente"));
        assert!(html.contains("<option value=\"cliente\" selected>Clientes</option>"));
    }

    #[test]
    fn alert_list_paginates_and_keeps_filters() {
        let list = AlertList {
            filters: AlertFilters::from_query("tipo=preaviso&severidad=danger"),
            rows: vec![row(AlertKind::Preaviso, Severity::Danger, "CT-009")],
            total: 60,
            page: 2,
            per_page: 25,
            can_write: true,
        };
        let html = alerts_page(&PageContext::default(), &list).into_string();
        assert!(html.contains("<h1>Preaviso</h1>"));
        assert!(html.contains("60 en total"));
        assert!(html.contains("Límite de preaviso 31/03/2026"));
        assert!(html.contains("href=\"?tipo=preaviso&amp;severidad=danger&amp;pagina=3\""));
        assert!(html.contains("badge-danger\">Crítica"));
    }
}
