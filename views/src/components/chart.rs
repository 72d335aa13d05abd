//! A bar chart of contract end dates and policy expiries per month, as inline SVG (no script).
//!
//! The SVG has no `viewBox`: its width follows the page (x positions are percentages) and its text
//! keeps its size in CSS pixels, so the labels stay readable (12 px) on a phone and the chart never
//! needs a horizontal scroll. Each bar can link to the list of what it counts.

use maud::{Markup, html};

use crate::format;

const HEIGHT: f64 = 250.0;
/// The plot's left edge, in percent of the width (room for the axis numbers).
const LEFT: f64 = 7.0;
/// The plot's right edge, in percent of the width.
const RIGHT: f64 = 99.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 42.0;
/// Every text of the chart, in CSS pixels.
pub const FONT_PX: u32 = 12;
/// Fill of the contracts bars (also set by CSS).
pub const CONTRACTS_FILL: &str = "#0f5e9c";
/// Fill of the policies bars (also set by CSS).
pub const POLICIES_FILL: &str = "#c2410c";

/// One month of the chart: its label (`ene 2026`), its two counts and, for each, where the
/// counted contracts or pólizas are listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartMonth {
    pub label: String,
    pub contracts: u32,
    pub policies: u32,
    pub contracts_href: Option<String>,
    pub policies_href: Option<String>,
}

impl<S: AsRef<str>> From<&(S, u32, u32)> for ChartMonth {
    fn from((label, contracts, policies): &(S, u32, u32)) -> ChartMonth {
        ChartMonth {
            label: label.as_ref().to_string(),
            contracts: *contracts,
            policies: *policies,
            contracts_href: None,
            policies_href: None,
        }
    }
}

/// The smallest "nice" tick step (1, 2, 5 × 10ⁿ) such that four steps hold `max`.
fn nice_step(max: u32) -> u64 {
    let max = u64::from(max);
    let mut base = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            if m * base * 4 >= max {
                return m * base;
            }
        }
        base *= 10;
    }
}

/// A length in pixels.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A position in percent of the width.
fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

/// `1 contrato termina`, `3 contratos terminan`.
fn plural(count: u32, one: &str, many: &str) -> String {
    format::count_noun(u64::from(count), one, many)
}

/// The chart with the default title, for the dashboard.
/// `months` is `(label, contracts_ending, policies_expiring)`, e.g. `("ene 2026", 3, 5)`; see
/// [`crate::format::month_short`] for labels.
pub fn month_chart<S: AsRef<str>>(months: &[(S, u32, u32)]) -> Markup {
    let months: Vec<ChartMonth> = months.iter().map(ChartMonth::from).collect();
    month_chart_linked(DEFAULT_TITLE, &months)
}

/// The dashboard's title of the chart.
pub const DEFAULT_TITLE: &str = "Contratos que terminan y pólizas que vencen por mes";

/// The chart with a title of your own.
pub fn month_chart_titled<S: AsRef<str>>(title: &str, months: &[(S, u32, u32)]) -> Markup {
    let months: Vec<ChartMonth> = months.iter().map(ChartMonth::from).collect();
    month_chart_linked(title, &months)
}

/// One of the chart's two series.
struct Series {
    class: &'static str,
    fill: &'static str,
    one: &'static str,
    many: &'static str,
}

const CONTRACTS: Series = Series {
    class: "bar-contracts",
    fill: CONTRACTS_FILL,
    one: "contrato termina",
    many: "contratos terminan",
};

const POLICIES: Series = Series {
    class: "bar-policies",
    fill: POLICIES_FILL,
    one: "póliza vence",
    many: "pólizas vencen",
};

/// One bar from `top` down to the axis: a link to what it counts when there is something to list.
fn bar(
    series: &Series,
    month: &str,
    x: f64,
    width: f64,
    top: f64,
    href: Option<&str>,
    count: u32,
) -> Markup {
    let text = format!("{month}: {}", plural(count, series.one, series.many));
    let bottom = HEIGHT - BOTTOM;
    let rect = html! {
        rect class={ "bar " (series.class) } x=(pct(x)) y=(n(top)) width=(pct(width)) height=(n(bottom - top))
            rx="2" fill=(series.fill) { title { (text) } }
        @if count > 0 {
            text.chart-value x=(pct(x + width / 2.0)) y=(n(top - 5.0)) text-anchor="middle"
                font-size=(FONT_PX) fill="#1f2937" { (count) }
        }
    };
    match href.filter(|_| count > 0) {
        // The rect's <title> names the link (an aria-label would hide the visible number).
        Some(href) => html! { a.chart-link href=(href) { (rect) } },
        None => rect,
    }
}

/// The chart. Each month is one `<g class="bar-group">` with two bars that carry a `<title>`
/// (hover text), their numbers and, when given, a link to the listed contracts or pólizas; a
/// "Ver los datos" disclosure holds the same numbers as a table.
pub fn month_chart_linked(title: &str, months: &[ChartMonth]) -> Markup {
    let total_contracts: u32 = months.iter().map(|m| m.contracts).sum();
    let total_policies: u32 = months.iter().map(|m| m.policies).sum();
    let max = months
        .iter()
        .map(|m| m.contracts.max(m.policies))
        .max()
        .unwrap_or(0);
    let step = nice_step(max);
    let axis_max = step * 4;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let count = months.len().max(1) as f64;
    let group_w = (RIGHT - LEFT) / count;
    let bar_w = group_w * 0.34;
    let gap = group_w * 0.03;
    let y = |v: u64| TOP + plot_h - plot_h * v as f64 / axis_max as f64;
    let ticks: Vec<u64> = (0..=4).map(|i| step * i).collect();
    let description = format!(
        "{} y {} en {}.",
        plural(total_contracts, "contrato termina", "contratos terminan"),
        plural(total_policies, "póliza vence", "pólizas vencen"),
        plural(months.len() as u32, "mes", "meses")
    );
    html! {
        figure.chart {
            figcaption.chart-title { (title) }
            div.chart-legend aria-hidden="true" {
                span.legend-item { span.legend-swatch.swatch-contracts {} "Contratos que terminan" }
                span.legend-item { span.legend-swatch.swatch-policies {} "Pólizas que vencen" }
            }
            svg.chart-svg width="100%" height=(HEIGHT) role="group"
                aria-labelledby="grafico-meses-titulo" aria-describedby="grafico-meses-desc" {
                title #grafico-meses-titulo { (title) }
                desc #grafico-meses-desc { (description) }
                g.chart-grid aria-hidden="true" {
                    @for t in &ticks {
                        line x1=(pct(LEFT)) x2=(pct(RIGHT)) y1=(n(y(*t))) y2=(n(y(*t)))
                            stroke="#e3e7ee" stroke-width="1" {}
                        text.chart-axis x=(pct(LEFT - 1.0)) y=(n(y(*t) + 4.0)) text-anchor="end"
                            font-size=(FONT_PX) fill="#4b5563" { (format::thousands(*t)) }
                    }
                }
                @for (i, m) in months.iter().enumerate() {
                    @let center = LEFT + group_w * (i as f64 + 0.5);
                    @let (month, year) = m.label.split_once(' ').unwrap_or((m.label.as_str(), ""));
                    g.bar-group {
                        (bar(&CONTRACTS, &m.label, center - bar_w - gap, bar_w, y(u64::from(m.contracts)),
                            m.contracts_href.as_deref(), m.contracts))
                        (bar(&POLICIES, &m.label, center + gap, bar_w, y(u64::from(m.policies)),
                            m.policies_href.as_deref(), m.policies))
                        text.chart-label x=(pct(center)) y=(n(HEIGHT - BOTTOM + 17.0)) text-anchor="middle"
                            font-size=(FONT_PX) fill="#4b5563" aria-hidden="true" {
                            (month)
                            @if !year.is_empty() && (i == 0 || month == "ene") {
                                tspan x=(pct(center)) dy="15" { (year) }
                            }
                        }
                    }
                }
                line x1=(pct(LEFT)) x2=(pct(RIGHT)) y1=(n(TOP + plot_h)) y2=(n(TOP + plot_h))
                    stroke="#9aa3b2" stroke-width="1" {}
            }
            details.chart-data {
                summary { "Ver los datos" }
                div.table-wrap {
                    table.data-table.compact {
                        caption.visually-hidden { (title) }
                        thead { tr { th scope="col" { "Mes" } th.num scope="col" { "Contratos" } th.num scope="col" { "Pólizas" } } }
                        tbody {
                            @for m in months {
                                tr {
                                    th scope="row" data-label="Mes" { (m.label) }
                                    td.num data-label="Contratos" { (count_cell(m.contracts, m.contracts_href.as_deref())) }
                                    td.num data-label="Pólizas" { (count_cell(m.policies, m.policies_href.as_deref())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn count_cell(count: u32, href: Option<&str>) -> Markup {
    html! {
        @match href.filter(|_| count > 0) {
            Some(h) => a href=(h) { (count) },
            None => (count),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> Vec<(String, u32, u32)> {
        (1..=12)
            .map(|m| (format::month_short(2026, m), m % 4, (m * 2) % 7))
            .collect()
    }

    #[test]
    fn one_bar_group_per_month() {
        let html = month_chart(&months()).into_string();
        assert_eq!(html.matches("<g class=\"bar-group\">").count(), 12);
        assert_eq!(html.matches("class=\"bar bar-contracts\"").count(), 12);
        assert_eq!(html.matches("class=\"bar bar-policies\"").count(), 12);
        assert!(html.contains("role=\"group\""));
        assert!(html.contains("<title id=\"grafico-meses-titulo\">"));
        // The month on one line, the year under the first month and under January.
        assert!(html.contains(">ene<tspan x=\"10.83%\" dy=\"15\">2026</tspan></text>"));
        assert!(html.contains(">feb</text>"));
        assert!(html.contains("<title>mar 2026: 3 contratos terminan</title>"));
        assert!(html.contains("<title>ene 2026: 1 contrato termina</title>"));
        assert!(html.contains("<th scope=\"row\" data-label=\"Mes\">dic 2026</th>"));
        assert!(!html.contains("style="));
        assert!(!html.contains("NaN"));
        assert!(!html.contains("<a "), "no links unless given");
    }

    #[test]
    fn text_is_twelve_pixels_and_the_width_follows_the_page() {
        let html = month_chart(&months()).into_string();
        assert!(
            !html.contains("viewBox"),
            "no scaling that would shrink the text"
        );
        assert!(html.contains("width=\"100%\""));
        let sizes: Vec<&str> = html
            .split("font-size=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap_or(0)])
            .collect();
        assert!(!sizes.is_empty());
        assert!(
            sizes
                .iter()
                .all(|s| s.parse::<u32>().is_ok_and(|px| px >= 12)),
            "{sizes:?}"
        );
    }

    #[test]
    fn bars_link_to_what_they_count() {
        let months = [ChartMonth {
            label: "mar 2026".into(),
            contracts: 2,
            policies: 0,
            contracts_href: Some("/contratos?vence=2026-03".into()),
            policies_href: Some("/polizas?vence=2026-03".into()),
        }];
        let html = month_chart_linked(DEFAULT_TITLE, &months).into_string();
        assert!(html.contains(
            "<a class=\"chart-link\" href=\"/contratos?vence=2026-03\"><rect class=\"bar bar-contracts\""
        ));
        assert!(
            !html.contains("<a class=\"chart-link\" href=\"/polizas"),
            "an empty bar links nowhere"
        );
        assert!(
            html.contains("<a href=\"/contratos?vence=2026-03\">2</a>"),
            "the data table too"
        );
    }

    #[test]
    fn description_sums_totals() {
        let html = month_chart(&[("ene 2026", 2u32, 0u32), ("feb 2026", 1, 1)]).into_string();
        assert!(html.contains("3 contratos terminan y 1 póliza vence en 2 meses."));
    }

    #[test]
    fn empty_and_zero_data_render() {
        let html = month_chart::<&str>(&[]).into_string();
        assert!(html.contains("<svg"));
        assert!(!html.contains("NaN"));
        let html = month_chart(&[("ene 2026", 0u32, 0u32)]).into_string();
        assert!(html.contains("height=\"0.0\""));
        assert!(!html.contains("NaN"));
    }

    #[test]
    fn axis_is_nice() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(11), 5);
        assert_eq!(nice_step(21), 10);
        assert_eq!(nice_step(800), 200);
        assert_eq!(nice_step(801), 500);
        assert!(nice_step(u32::MAX) * 4 >= u64::from(u32::MAX));
    }
}
