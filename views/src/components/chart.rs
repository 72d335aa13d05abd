//! A bar chart of contract end dates and policy expiries per month, as inline SVG (no script).

use maud::{Markup, html};

use crate::format;

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 36.0;
/// Fill of the contracts bars (also set by CSS).
pub const CONTRACTS_FILL: &str = "#0f5e9c";
/// Fill of the policies bars (also set by CSS).
pub const POLICIES_FILL: &str = "#c2410c";

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

fn n(v: f64) -> String {
    format!("{v:.1}")
}

fn plural(count: u32, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", format::thousands(u64::from(count)))
    }
}

/// The chart with the default title, for the dashboard.
/// `months` is `(label, contracts_ending, policies_expiring)`, e.g. `("ene 2026", 3, 5)`; see
/// [`crate::format::month_short`] for labels.
pub fn month_chart<S: AsRef<str>>(months: &[(S, u32, u32)]) -> Markup {
    month_chart_titled(
        "Contratos que terminan y pólizas que vencen por mes",
        months,
    )
}

/// The chart with a title of your own. Each month is one `<g class="bar-group">` with two bars
/// that carry a `<title>` (hover text) and their numbers; a "Ver los datos" disclosure holds the
/// same numbers as a table.
pub fn month_chart_titled<S: AsRef<str>>(title: &str, months: &[(S, u32, u32)]) -> Markup {
    let total_contracts: u32 = months.iter().map(|m| m.1).sum();
    let total_policies: u32 = months.iter().map(|m| m.2).sum();
    let max = months.iter().map(|m| m.1.max(m.2)).max().unwrap_or(0);
    let step = nice_step(max);
    let axis_max = step * 4;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let count = months.len().max(1) as f64;
    let group_w = plot_w / count;
    let bar_w = (group_w * 0.34).min(26.0);
    let y = |v: u32| TOP + plot_h - plot_h * f64::from(v) / axis_max as f64;
    let tick_y = |v: u64| TOP + plot_h - plot_h * v as f64 / axis_max as f64;
    let ticks: Vec<u64> = (0..=4).map(|i| step * i).collect();
    let description = format!(
        "{} y {} en {} meses.",
        plural(total_contracts, "contrato termina", "contratos terminan"),
        plural(total_policies, "póliza vence", "pólizas vencen"),
        months.len()
    );
    html! {
        figure.chart {
            figcaption.chart-title { (title) }
            div.chart-legend aria-hidden="true" {
                span.legend-item { span.legend-swatch.swatch-contracts {} "Contratos que terminan" }
                span.legend-item { span.legend-swatch.swatch-policies {} "Pólizas que vencen" }
            }
            div.chart-scroll {
                svg.chart-svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img"
                    aria-labelledby="grafico-meses-titulo grafico-meses-desc" {
                    title #grafico-meses-titulo { (title) }
                    desc #grafico-meses-desc { (description) }
                    g.chart-grid {
                        @for t in &ticks {
                            line x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(n(tick_y(*t))) y2=(n(tick_y(*t)))
                                stroke="#e3e7ee" stroke-width="1" {}
                            text.chart-axis x=(n(LEFT - 8.0)) y=(n(tick_y(*t) + 4.0)) text-anchor="end"
                                font-size="11" fill="#5b6472" { (format::thousands(*t)) }
                        }
                    }
                    @for (i, (label, contracts, policies)) in months.iter().enumerate() {
                        @let label = label.as_ref();
                        @let center = LEFT + group_w * (i as f64 + 0.5);
                        @let x1 = center - bar_w - 1.5;
                        @let x2 = center + 1.5;
                        g.bar-group {
                            rect.bar.bar-contracts x=(n(x1)) y=(n(y(*contracts))) width=(n(bar_w))
                                height=(n(TOP + plot_h - y(*contracts))) rx="2" fill=(CONTRACTS_FILL) {
                                title { (label) ": " (plural(*contracts, "contrato termina", "contratos terminan")) }
                            }
                            rect.bar.bar-policies x=(n(x2)) y=(n(y(*policies))) width=(n(bar_w))
                                height=(n(TOP + plot_h - y(*policies))) rx="2" fill=(POLICIES_FILL) {
                                title { (label) ": " (plural(*policies, "póliza vence", "pólizas vencen")) }
                            }
                            @if *contracts > 0 {
                                text.chart-value x=(n(x1 + bar_w / 2.0)) y=(n(y(*contracts) - 4.0))
                                    text-anchor="middle" font-size="10" fill="#1f2937" { (contracts) }
                            }
                            @if *policies > 0 {
                                text.chart-value x=(n(x2 + bar_w / 2.0)) y=(n(y(*policies) - 4.0))
                                    text-anchor="middle" font-size="10" fill="#1f2937" { (policies) }
                            }
                            text.chart-label x=(n(center)) y=(n(HEIGHT - BOTTOM + 18.0)) text-anchor="middle"
                                font-size="11" fill="#5b6472" { (label) }
                        }
                    }
                    line x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(n(TOP + plot_h)) y2=(n(TOP + plot_h))
                        stroke="#9aa3b2" stroke-width="1" {}
                }
            }
            details.chart-data {
                summary { "Ver los datos" }
                div.table-wrap {
                    table.data-table.compact {
                        caption.visually-hidden { (title) }
                        thead { tr { th scope="col" { "Mes" } th.num scope="col" { "Contratos" } th.num scope="col" { "Pólizas" } } }
                        tbody {
                            @for (label, contracts, policies) in months {
                                tr { th scope="row" { (label.as_ref()) } td.num { (contracts) } td.num { (policies) } }
                            }
                        }
                    }
                }
            }
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
        assert!(html.contains("role=\"img\""));
        assert!(html.contains("<title id=\"grafico-meses-titulo\">"));
        assert!(html.contains(">ene 2026</text>"));
        assert!(html.contains("<title>mar 2026: 3 contratos terminan</title>"));
        assert!(html.contains("<title>ene 2026: 1 contrato termina</title>"));
        assert!(html.contains("<th scope=\"row\">dic 2026</th>"));
        assert!(!html.contains("style="));
        assert!(!html.contains("NaN"));
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
