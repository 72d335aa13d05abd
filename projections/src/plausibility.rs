//! Safety nets on money: values that are allowed but far from what is on file, so the form warns
//! and asks for a confirmation before saving. A slip of the decimal comma (51 instead of 5,1) or a
//! sales figure in thousands instead of pesos is caught here; the person can still confirm it.

use arriendo_events::{Contrato, Money, Percentage, YearMonth, format_date};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// How far from the reference a value may be before the form asks: 5 times above or below. A
/// misplaced comma is 10×; a real year-on-year change of an index or of sales is far smaller.
const INDEX_FACTOR: i64 = 5;
/// Sales vary more month to month (seasons, closures): only beyond 10× the median is it a slip.
const SALES_FACTOR: i64 = 10;

/// How a typed value compares with its reference, when far enough to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magnitude {
    /// The value is this many times the reference.
    Above(i64),
    /// The reference is this many times the value.
    Below(i64),
}

impl Magnitude {
    /// "10 veces" / "la décima parte"-style phrase: `10 veces` or `10 veces menor que`.
    pub fn phrase(self) -> String {
        match self {
            Magnitude::Above(n) => format!("{n} veces"),
            Magnitude::Below(n) => format!("{n} veces menor que"),
        }
    }
}

fn magnitude(value: Decimal, reference: Decimal, factor: i64) -> Option<Magnitude> {
    if reference <= Decimal::ZERO || value <= Decimal::ZERO {
        return None;
    }
    let factor = Decimal::from(factor);
    // Checked: a typed value near Decimal's limit must give no warning rather than a panic.
    if value >= reference.checked_mul(factor)? {
        value
            .checked_div(reference)?
            .round()
            .to_i64()
            .map(Magnitude::Above)
    } else if value.checked_mul(factor)? <= reference {
        reference
            .checked_div(value)?
            .round()
            .to_i64()
            .map(Magnitude::Below)
    } else {
        None
    }
}

/// A yearly index value (IPC, minimum-wage increase) against the one on file: the warning the
/// form shows, e.g. "el valor es 10 veces el IPC registrado para 2026 (5,1 %)".
pub fn index_warning(
    typed: Percentage,
    on_file: Percentage,
    index_name: &str,
    year: i32,
) -> Option<String> {
    magnitude(typed.as_decimal(), on_file.as_decimal(), INDEX_FACTOR).map(|m| {
        format!(
            "el valor es {} el {index_name} registrado para {year} ({on_file})",
            m.phrase()
        )
    })
}

/// The median of the amounts (the mean of the middle two for an even count); `None` when empty.
pub fn median(amounts: &[Money]) -> Option<Decimal> {
    let mut sorted: Vec<i64> = amounts.iter().map(|m| m.pesos()).collect();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).map(|v| Decimal::from(*v)),
        _ => {
            let upper = n / 2;
            let a = Decimal::from(*sorted.get(upper.checked_sub(1)?)?);
            let b = Decimal::from(*sorted.get(upper)?);
            a.checked_add(b)?.checked_div(Decimal::TWO)
        }
    }
}

/// Net sales against the median of the tenant's last 12 delivered months: the warning when they
/// are at least 10 times larger or smaller.
pub fn sales_warning(net: Money, last_12_months: &[Money]) -> Option<String> {
    let reference = median(last_12_months)?;
    let shown = Money::from_decimal_rounded(reference).ok()?;
    magnitude(net.to_decimal(), reference, SALES_FACTOR).map(|m| {
        format!(
            "las ventas netas son {} la mediana de los últimos {} meses ({shown})",
            m.phrase(),
            last_12_months.len()
        )
    })
}

/// Net sales of the delivered months of the 12 before `period`, most recent first.
pub fn last_12_net_sales(c: &Contrato, period: YearMonth) -> Vec<Money> {
    let mut earlier: Vec<(YearMonth, Money)> = c
        .informes_ventas
        .iter()
        .filter(|r| r.period < period)
        .filter_map(|r| Some((r.period, r.net_sales()?)))
        .collect();
    earlier.sort_by_key(|(period, _)| std::cmp::Reverse(*period));
    earlier.into_iter().take(12).map(|(_, m)| m).collect()
}

/// What to ask about before saving a delivered sales report: a delivery date after today, a
/// month that has not ended, net sales far from the last 12 months'.
pub fn sales_report_warnings(
    c: &Contrato,
    period: YearMonth,
    delivered_on: NaiveDate,
    net: Money,
    today: NaiveDate,
) -> Vec<String> {
    let mut out = Vec::new();
    if delivered_on > today {
        out.push(format!(
            "la fecha de entrega ({}) es posterior a hoy ({})",
            format_date(delivered_on),
            format_date(today)
        ));
    }
    if period.last_day() >= today {
        out.push(format!(
            "el mes {:02}/{} aún no ha terminado: sus ventas no pueden estar completas",
            period.month(),
            period.year()
        ));
    }
    if let Some(w) = sales_warning(net, &last_12_net_sales(c, period)) {
        out.push(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(t: &str) -> Percentage {
        Percentage::parse(t).unwrap_or_default()
    }

    fn pesos(n: i64) -> Money {
        Money::from_pesos(n).unwrap_or(Money::ZERO)
    }

    #[test]
    fn an_ipc_of_51_against_5_1_on_file_is_ten_times() {
        assert_eq!(
            index_warning(pct("51"), pct("5,1"), "IPC", 2026).as_deref(),
            Some("el valor es 10 veces el IPC registrado para 2026 (5,1 %)")
        );
        assert_eq!(
            index_warning(pct("0,51"), pct("5,1"), "IPC", 2026).as_deref(),
            Some("el valor es 10 veces menor que el IPC registrado para 2026 (5,1 %)")
        );
        // 9,28 after 5,1 is a real change, not a slip.
        assert_eq!(index_warning(pct("9,28"), pct("5,1"), "IPC", 2026), None);
        assert_eq!(index_warning(pct("5,1"), pct("0"), "IPC", 2026), None);
    }

    #[test]
    fn sales_far_from_the_median_of_the_last_12_months() {
        let year: Vec<Money> = [150, 160, 170, 180, 190, 200, 200, 210, 220, 230, 240, 250]
            .iter()
            .map(|m| pesos(m * 1_000_000))
            .collect();
        assert_eq!(median(&year), Some(Decimal::from(200_000_000)));
        assert_eq!(
            sales_warning(pesos(20_000), &year).as_deref(),
            Some(
                "las ventas netas son 10000 veces menor que la mediana de los últimos 12 meses ($ 200.000.000)"
            )
        );
        assert!(sales_warning(pesos(2_000_000_000), &year).is_some());
        assert_eq!(sales_warning(pesos(260_000_000), &year), None);
        assert_eq!(
            sales_warning(pesos(20_000_001), &year),
            None,
            "just under 1/10"
        );
        assert_eq!(
            sales_warning(pesos(20_000), &[]),
            None,
            "no history, nothing to compare"
        );
    }

    #[test]
    fn a_report_dated_in_the_future_for_a_month_not_over_warns_twice() {
        let c = Contrato::default();
        let ym = YearMonth::new(2026, 12).unwrap_or_else(|_| unreachable!());
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let later = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
        let found = sales_report_warnings(&c, ym, later, pesos(1_000_000), today);
        assert_eq!(
            found,
            vec![
                "la fecha de entrega (05/12/2026) es posterior a hoy (01/12/2026)".to_string(),
                "el mes 12/2026 aún no ha terminado: sus ventas no pueden estar completas"
                    .to_string(),
            ]
        );
        let november = YearMonth::new(2026, 11).unwrap_or_else(|_| unreachable!());
        assert!(sales_report_warnings(&c, november, today, pesos(1_000_000), today).is_empty());
    }
}
