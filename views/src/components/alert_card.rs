//! The dashboard's alert card: one alert kind, its count, its most urgent entries, and a link to all.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::Tone;
use crate::format;

/// One alert: a contract (or other subject), the date that triggers it and the document that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEntry {
    /// What the alert is about, as a link text: the contract number, e.g. `C-2024-017`.
    pub contract: String,
    /// Where the link goes, e.g. `/contratos/17`.
    pub href: String,
    /// A short line about it: tenant, premises, policy number. May be empty.
    pub detail: String,
    /// What the date is: `Vence`, `Límite de preaviso`, `Ajuste`.
    pub date_label: String,
    /// The triggering date.
    pub date: NaiveDate,
    /// Days from today to `date` (negative when past).
    pub days_left: i64,
    /// The badge's words when «vence en…» does not fit (a backup's age); `None`: from `days_left`.
    /// With an empty `date_label`, no date is shown.
    pub days_text: Option<String>,
    /// The document that set the date: `contrato`, `OS-2`, `RA-1`. `None` when not applicable.
    pub source: Option<String>,
    /// This entry's own severity.
    pub tone: Tone,
    /// Where it is resolved: (link text, address), e.g. («Calcular ajuste», `/indices/ajustes/…`).
    pub action: Option<(String, String)>,
    /// The page to postpone it or mark it as handled (`None`: not for this user or this alert).
    pub handle_href: Option<String>,
}

/// The links under an alert: where it is resolved, and where it is postponed or marked handled.
pub fn alert_actions(action: Option<&(String, String)>, handle_href: Option<&str>) -> Markup {
    html! {
        @if action.is_some() || handle_href.is_some() {
            div.alert-entry-actions {
                @if let Some((label, href)) = action {
                    a.alert-action href=(href) { (label) }
                }
                @if let Some(href) = handle_href {
                    a.alert-handle href=(href) { "Posponer o marcar atendida" }
                }
            }
        }
    }
}

/// One alert kind on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCard<'a> {
    /// A unique id for the card's heading (`vencimientos`), used for `aria-labelledby`.
    pub id: &'a str,
    /// The alert kind: `Vencimiento de contrato`.
    pub title: &'a str,
    /// How many alerts of this kind there are in total (may exceed `entries.len()`).
    pub count: usize,
    /// The card's severity (usually the worst entry's).
    pub tone: Tone,
    /// The most urgent few.
    pub entries: &'a [AlertEntry],
    /// The full, filtered, paginated list of this kind.
    pub see_all_href: &'a str,
}

/// Renders an alert card. With no alerts it says so calmly (`Sin alertas`) in the ok colour.
pub fn alert_card(card: &AlertCard<'_>) -> Markup {
    let heading_id = format!("alerta-{}", card.id);
    let tone = if card.count == 0 { Tone::Ok } else { card.tone };
    let hidden = card.count.saturating_sub(card.entries.len());
    html! {
        section class={ "alert-card alert-card-" (tone.class()) } aria-labelledby=(heading_id) {
            header.alert-card-header {
                h2.alert-card-title id=(heading_id) { (card.title) }
                span class={ "alert-count count-" (tone.class()) }
                    aria-label=(crate::format::count_noun(card.count as u64, "alerta", "alertas")) {
                    (format::thousands(card.count as u64))
                }
            }
            @if card.count == 0 || card.entries.is_empty() {
                p.alert-empty { "Sin alertas." }
            } @else {
                ul.alert-list {
                    @for e in card.entries {
                        li class={ "alert-entry tone-" (e.tone.class()) } {
                            div.alert-entry-main {
                                a.alert-contract href=(e.href) { (e.contract) }
                                @if !e.detail.is_empty() { span.alert-detail { (e.detail) } }
                            }
                            div.alert-entry-meta {
                                @if !e.date_label.is_empty() {
                                    span.alert-date {
                                        (e.date_label) " "
                                        time datetime=(format::date_input(e.date)) { (format::date(e.date)) }
                                    }
                                }
                                span class={ "badge badge-" (e.tone.class()) } {
                                    (e.days_text.clone().unwrap_or_else(|| format::days_left(e.days_left)))
                                }
                                @if let Some(src) = &e.source {
                                    span.source-tag { "según " (src) }
                                }
                            }
                            (alert_actions(e.action.as_ref(), e.handle_href.as_deref()))
                        }
                    }
                }
            }
            @if card.count > 0 {
                footer.alert-card-footer {
                    @if hidden > 0 {
                        span.alert-more { "y " (format::thousands(hidden as u64)) " más" }
                    }
                    a.alert-see-all href=(card.see_all_href) {
                        "Ver todas"
                        span.visually-hidden { ": " (card.title) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: &str, days: i64, tone: Tone) -> AlertEntry {
        AlertEntry {
            contract: n.into(),
            href: format!("/contratos/{n}"),
            detail: "Café Andino S.A.S. · Local 12".into(),
            date_label: "Vence".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            days_left: days,
            days_text: None,
            source: Some("OS-2".into()),
            tone,
            action: None,
            handle_href: None,
        }
    }

    #[test]
    fn shows_count_entries_and_link() {
        let entries = [
            entry("C-001", 12, Tone::Danger),
            entry("C-002", 45, Tone::Warning),
        ];
        let html = alert_card(&AlertCard {
            id: "vencimientos",
            title: "Vencimiento de contrato",
            count: 7,
            tone: Tone::Danger,
            entries: &entries,
            see_all_href: "/alertas?tipo=vencimiento",
        })
        .into_string();
        assert!(html.contains("alert-card alert-card-danger"));
        assert!(html.contains("aria-labelledby=\"alerta-vencimientos\""));
        assert!(html.contains(">Vencimiento de contrato</h2>"));
        assert!(html.contains(">7</span>"));
        assert!(html.contains("href=\"/contratos/C-001\">C-001</a>"));
        assert!(html.contains("Café Andino S.A.S. · Local 12"));
        assert!(html.contains("<time datetime=\"2026-03-31\">31/03/2026</time>"));
        assert!(html.contains("en 12 días"));
        assert!(html.contains("en 45 días"));
        assert!(html.contains("según OS-2"));
        assert!(html.contains("y 5 más"));
        assert!(html.contains("href=\"/alertas?tipo=vencimiento\""));
        assert!(html.contains("Ver todas"));
        assert_eq!(html.matches("class=\"alert-entry ").count(), 2);
    }

    #[test]
    fn empty_card_is_calm() {
        let html = alert_card(&AlertCard {
            id: "polizas",
            title: "Pólizas críticas",
            count: 0,
            tone: Tone::Danger,
            entries: &[],
            see_all_href: "/alertas?tipo=polizas",
        })
        .into_string();
        assert!(html.contains("alert-card-ok"));
        assert!(html.contains("Sin alertas."));
        assert!(!html.contains("Ver todas"));
    }
}
