//! `/calendario`: the critical-dates calendar — a month grid (weeks from Monday, today marked)
//! with each day's dates linking to their contract, the same dates as a list below (what screen
//! readers and phones use), filters by kind, and the user's iCal feed URL.

use arriendo_events::YearMonth;
use arriendo_projections::calendar::{CalendarEntry, CalendarKind};
use chrono::{Datelike, Duration, NaiveDate};
use maud::{Markup, html};

use crate::components::{
    Column, card, csrf_field, empty_state, page_header, table_head, table_wrap,
};
use crate::query::QueryString;
use crate::{PageContext, format, page};

/// Monday first, as calendars are read in Colombia.
pub const DAY_NAMES: [&str; 7] = [
    "Lunes",
    "Martes",
    "Miércoles",
    "Jueves",
    "Viernes",
    "Sábado",
    "Domingo",
];

/// The user's feed, as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedView {
    /// When the current URL was made (shown as text), if there is one.
    pub created_at: Option<String>,
    /// The URL just made: shown once, right after the POST that made it.
    pub new_url: Option<String>,
}

pub struct CalendarPage<'a> {
    pub month: YearMonth,
    pub today: NaiveDate,
    /// The month's dates, filtered, by date.
    pub entries: &'a [CalendarEntry],
    /// The kinds asked for; empty means all.
    pub kinds: &'a [CalendarKind],
    pub feed: FeedView,
    /// How many dates the month has when `entries` had to be cut short.
    pub total: Option<usize>,
}

/// Dates shown in one grid cell; the rest are in the list below.
pub const PER_CELL: usize = 4;

/// `?mes=2026-12&tipo=…` for `month` with the same kind filters.
pub fn month_href(month: YearMonth, kinds: &[CalendarKind]) -> String {
    let mut pairs = vec![(
        "mes".to_string(),
        format!("{:04}-{:02}", month.year(), month.month()),
    )];
    pairs.extend(
        kinds
            .iter()
            .map(|k| ("tipo".to_string(), k.slug().to_string())),
    );
    format!("/calendario{}", QueryString::from_pairs(pairs).href())
}

fn previous(month: YearMonth) -> YearMonth {
    YearMonth::of(month.first_day() - Duration::days(1))
}

/// The days the grid shows: from the Monday on or before the 1st to the Sunday on or after the
/// last day, in weeks.
pub fn grid_weeks(month: YearMonth) -> Vec<[NaiveDate; 7]> {
    let first = month.first_day();
    let last = month.last_day();
    let mut day = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    while day <= last {
        let week: [NaiveDate; 7] = std::array::from_fn(|i| day + Duration::days(i as i64));
        day += Duration::days(7);
        weeks.push(week);
    }
    weeks
}

fn kind_class(kind: CalendarKind) -> String {
    format!("cal-entry cal-{}", kind.slug())
}

fn entry_link(e: &CalendarEntry) -> Markup {
    html! {
        a class=(kind_class(e.kind)) href={ "/contratos/" (e.contract_id) } title=(e.title) {
            span.cal-number { (e.contract_number) }
            " "
            span.cal-kind { (e.kind.label()) }
        }
    }
}

fn grid(p: &CalendarPage<'_>) -> Markup {
    html! {
        // The list below says the same in reading order; the grid stays reachable (its links are
        // focusable, so it must not be hidden from assistive technology).
        div.cal-grid-wrap {
            table.cal-grid {
                caption.visually-hidden { "Cuadrícula del mes, de lunes a domingo" }
                thead { tr { @for name in DAY_NAMES { th scope="col" { (name) } } } }
                tbody {
                    @for week in grid_weeks(p.month) {
                        tr {
                            @for day in week {
                                @let outside = YearMonth::of(day) != p.month;
                                @let classes = format!(
                                    "cal-day{}{}",
                                    if outside { " is-outside" } else { "" },
                                    if day == p.today { " is-today" } else { "" }
                                );
                                td class=(classes) data-date=(day.format("%Y-%m-%d")) {
                                    span.cal-day-number { (day.day()) }
                                    @let of_day: Vec<&CalendarEntry> = p.entries.iter().filter(|e| e.date == day).collect();
                                    @for e in of_day.iter().take(PER_CELL) {
                                        (entry_link(e))
                                    }
                                    @if of_day.len() > PER_CELL {
                                        a.cal-more href="#fechas-del-mes" { "y " (of_day.len() - PER_CELL) " más" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn filters(p: &CalendarPage<'_>) -> Markup {
    html! {
        form.filters method="get" action="/calendario" {
            input type="hidden" name="mes" value=(format!("{:04}-{:02}", p.month.year(), p.month.month()));
            fieldset.cal-kinds {
                legend { "Mostrar" }
                @for kind in CalendarKind::ALL {
                    @let id = format!("tipo-{}", kind.slug());
                    label for=(id) {
                        input type="checkbox" id=(id) name="tipo" value=(kind.slug())
                            checked[p.kinds.contains(&kind)];
                        " " (kind.label())
                    }
                }
            }
            div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
        }
    }
}

fn list(p: &CalendarPage<'_>) -> Markup {
    if p.entries.is_empty() {
        return empty_state("No hay fechas críticas en este mes con esos filtros.");
    }
    let cols = [
        Column::new("Fecha"),
        Column::new("Tipo"),
        Column::new("Contrato"),
        Column::new("Detalle"),
        Column::new("Documento"),
    ];
    table_wrap(
        "Fechas críticas del mes",
        table_head(&cols, None, ""),
        html! {
            @for e in p.entries {
                tr data-fecha=(e.date.format("%Y-%m-%d")) data-tipo=(e.kind.slug()) {
                    td { time datetime=(e.date.format("%Y-%m-%d")) { (format::date(e.date)) } }
                    td { (e.kind.label()) }
                    td { a href={ "/contratos/" (e.contract_id) } { (e.contract_number) } }
                    td { (e.title) }
                    td { (e.source.short()) }
                }
            }
        },
    )
}

fn feed(ctx: &PageContext, f: &FeedView) -> Markup {
    card(
        Some("Suscribirse desde Google Calendar u Outlook"),
        html! {
            @if let Some(url) = &f.new_url {
                p { strong { "Este es su enlace privado. Cópielo ahora: por seguridad no se vuelve a mostrar." } }
                label for="enlace-ical" { "Enlace del calendario (iCal)" }
                input.input id="enlace-ical" type="text" readonly value=(url);
            } @else if let Some(at) = &f.created_at {
                p { "Usted tiene un enlace privado activo, creado el " (at) ". Por seguridad solo se muestra al crearlo; si lo perdió, genere uno nuevo." }
            } @else {
                p { "Aún no tiene un enlace privado para su calendario." }
            }
            p.muted {
                "Quien tenga el enlace ve las fechas críticas de todos los contratos sin iniciar sesión: no lo comparta. "
                "Generar uno nuevo deja sin efecto el anterior."
            }
            form method="post" action="/calendario/enlace" {
                (csrf_field(&ctx.csrf_token))
                button.btn.btn-secondary type="submit" {
                    @if f.created_at.is_some() || f.new_url.is_some() { "Generar un enlace nuevo" } @else { "Crear mi enlace" }
                }
            }
        },
    )
}

pub fn calendar_page(ctx: &PageContext, p: &CalendarPage<'_>) -> Markup {
    let title = format!(
        "Calendario: {}",
        format::month_year(p.month.year(), p.month.month())
    );
    let prev = previous(p.month);
    let next = p.month.next();
    page(
        ctx,
        &title,
        html! {
            (page_header(&title, Some("Vencimientos, preavisos, ajustes, pólizas e informes de ventas"), html! {}))
            nav.cal-nav aria-label="Meses" {
                a.btn.btn-secondary rel="prev" href=(month_href(prev, p.kinds)) {
                    "← " (format::month_year(prev.year(), prev.month()))
                }
                a.btn.btn-secondary href=(month_href(YearMonth::of(p.today), p.kinds)) { "Hoy" }
                a.btn.btn-secondary rel="next" href=(month_href(next, p.kinds)) {
                    (format::month_year(next.year(), next.month())) " →"
                }
            }
            (filters(p))
            (grid(p))
            h2 id="fechas-del-mes" { "Fechas del mes" }
            @if let Some(total) = p.total {
                p.muted {
                    "Este mes tiene " (format::thousands(total as u64)) " fechas; se muestran las primeras "
                    (format::thousands(p.entries.len() as u64)) ". Use los filtros por tipo para ver las demás."
                }
            }
            (list(p))
            (feed(ctx, &p.feed))
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_cover_the_month() {
        // December 2026 starts on a Tuesday and ends on a Thursday.
        let weeks = grid_weeks(YearMonth::new(2026, 12).unwrap());
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(weeks[4][6], NaiveDate::from_ymd_opt(2027, 1, 3).unwrap());
        assert!(weeks.iter().all(|w| w[0].weekday() == chrono::Weekday::Mon));
        // February 2027 starts on a Monday: 4 weeks exactly.
        assert_eq!(grid_weeks(YearMonth::new(2027, 2).unwrap()).len(), 4);
    }

    fn rendered(new_url: Option<String>) -> String {
        rendered_with(new_url, 1, None)
    }

    fn rendered_with(new_url: Option<String>, same_day: u128, total: Option<usize>) -> String {
        let ctx = PageContext {
            user: Some(crate::UserBadge {
                username: "gus".into(),
                role_label: "Gestor".into(),
                is_admin: false,
            }),
            csrf_token: "t0k".into(),
            flash: vec![],
            current_path: "/calendario".into(),
            quarantined: 0,
            inbox: 0,
        };
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let entries: Vec<CalendarEntry> = (0..same_day)
            .map(|n| CalendarEntry {
                date,
                kind: CalendarKind::Vencimiento,
                contract_id: uuid::Uuid::from_u128(42 + n),
                contract_number: format!("CT-{:03}", n + 1),
                title: format!("Vence el contrato CT-{:03}", n + 1),
                source: arriendo_projections::Source::Contrato,
                discriminator: String::new(),
            })
            .collect();
        calendar_page(
            &ctx,
            &CalendarPage {
                month: YearMonth::new(2026, 12).unwrap(),
                today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                entries: &entries,
                kinds: &[CalendarKind::Vencimiento],
                feed: FeedView {
                    created_at: None,
                    new_url,
                },
                total,
            },
        )
        .into_string()
    }

    #[test]
    fn the_grid_the_list_and_the_feed() {
        let html = rendered(Some("http://h/calendario/ical/abc.ics".into()));
        let cell = &html[html.find("data-date=\"2026-12-31\"").unwrap()..];
        let cell = &cell[..cell.find("</td>").unwrap()];
        assert!(cell.contains("href=\"/contratos/00000000-0000-0000-0000-00000000002a\""));
        assert!(html.contains("class=\"cal-day is-today\" data-date=\"2026-12-01\""));
        assert!(html.contains("class=\"cal-day is-outside\" data-date=\"2026-11-30\""));
        assert!(html.contains("<td data-label=\"Detalle\">Vence el contrato CT-001</td>"));
        assert!(html.contains("value=\"vencimiento\" checked"));
        assert!(html.contains("value=\"http://h/calendario/ical/abc.ics\""));
        assert!(html.contains("href=\"/calendario?mes=2027-01&amp;tipo=vencimiento\""));
        assert!(!html.contains(" style="));
        // Every visible control has a label; ids are unique.
        let ids: Vec<&str> = html
            .match_indices(" id=\"")
            .map(|(i, _)| {
                let rest = &html[i + 5..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        for (i, _) in html.match_indices("<input ") {
            let element = &html[i..i + html[i..].find('>').unwrap()];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split(" id=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert!(html.contains(&format!("for=\"{id}\"")), "{element}");
        }
        let without = rendered(None);
        assert!(without.contains("Crear mi enlace"));
        assert!(!without.contains("ical/"));
    }

    #[test]
    fn a_busy_day_sends_to_the_list() {
        let html = rendered_with(None, 6, Some(2_000));
        let cell = &html[html.find("data-date=\"2026-12-31\"").unwrap()..];
        let cell = &cell[..cell.find("</td>").unwrap()];
        assert_eq!(cell.matches("class=\"cal-entry ").count(), PER_CELL);
        assert!(cell.contains("href=\"#fechas-del-mes\"") && cell.contains("y 2 más"));
        assert_eq!(
            html.matches("<tr data-fecha=").count(),
            6,
            "the list has them all"
        );
        assert!(html.contains("Este mes tiene 2.000 fechas; se muestran las primeras 6."));
    }

    #[test]
    fn month_links_keep_the_filters() {
        let m = YearMonth::new(2026, 1).unwrap();
        assert_eq!(
            month_href(previous(m), &[CalendarKind::Preaviso]),
            "/calendario?mes=2025-12&tipo=preaviso"
        );
    }
}
