//! The dashboard (`/`): counts of contracts in force, one card per alert kind with its most urgent
//! entries, the 12-month chart and the last backup. The alert list and the alert types it shares
//! with the dashboard are in [`crate::pages::alertas`] (re-exported here).
//! Everything here is plain data read from the read models (`rm_contracts`, `rm_alerts`).

use arriendo_events::YearMonth;
use arriendo_projections::{AlertKind, Severity};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::components::{
    AlertCard, AlertEntry, ChartMonth, Tone, alert_card, badge, card, chart, empty_state,
    month_chart_linked, page_header, stat_tile,
};
pub use crate::pages::alertas::{
    AlertFilters, AlertList, AlertRow, Handled, alerts_page, date_label, handle_href, tone,
};
use crate::pages::alertas::{backup_age, filter_form, never_backed_up};
use crate::pages::tareas::MyTasks;
use crate::query::QueryString;
use crate::{PageContext, format, page};

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

#[cfg(test)]
mod tests {
    use super::*;
    use arriendo_projections::AlertAction;

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
