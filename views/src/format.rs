//! es-CO formatting helpers: money, percentages, dates and relative days.
//!
//! These are the only place where the UI decides how a number or a date looks, so every page
//! shows `$ 1.234.567`, `5,2 %` and `31/12/2025` the same way.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// Groups the digits of a non-negative integer with dots: `1234567` → `1.234.567`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A count and its noun, singular for exactly one: `1 contrato`, `0 contratos`, `1.204 contratos`.
/// The one way the UI says how many of something there are (`count_noun(n, "contrato", "contratos")`).
pub fn count_noun(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(count))
    }
}

/// Whole pesos as es-CO money: `$ 1.234.567`; negatives `-$ 1.234.567`.
pub fn money(pesos: i64) -> String {
    let grouped = thousands(pesos.unsigned_abs());
    if pesos < 0 {
        format!("-$ {grouped}")
    } else {
        format!("$ {grouped}")
    }
}

/// Whole pesos as they go back into a money input: `1.234.567` (no sign, no `$`).
/// Negatives keep a leading `-` so the server can refuse them with a message.
pub fn money_input(pesos: i64) -> String {
    let grouped = thousands(pesos.unsigned_abs());
    if pesos < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with es-CO separators: thousands with dots, decimals after a comma, trailing zeros dropped.
/// `Decimal 1234.50` → `1.234,5`.
pub fn decimal(value: Decimal) -> String {
    let normalized = value.normalize();
    let text = normalized.abs().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let grouped = match int_part.parse::<u64>() {
        Ok(n) => thousands(n),
        Err(_) => int_part.to_string(),
    };
    let sign = if normalized.is_sign_negative() && !normalized.is_zero() {
        "-"
    } else {
        ""
    };
    match frac_part {
        Some(f) if !f.is_empty() => format!("{sign}{grouped},{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// A percentage: `5,2 %` (comma decimal mark, a space before the sign, trailing zeros dropped).
pub fn percent(value: Decimal) -> String {
    format!("{} %", decimal(value))
}

/// A date: `31/12/2025`.
pub fn date(value: NaiveDate) -> String {
    value.format("%d/%m/%Y").to_string()
}

/// A date and time (already in America/Bogota): `31/12/2025 14:05`.
pub fn date_time(value: NaiveDateTime) -> String {
    value.format("%d/%m/%Y %H:%M").to_string()
}

/// The ISO value a `<input type="date">` expects: `2025-12-31`.
pub fn date_input(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// The ISO value of a `<time datetime>` attribute for a date and time: `2025-12-31T14:05`.
pub fn datetime_attr(value: NaiveDateTime) -> String {
    value.format("%Y-%m-%dT%H:%M").to_string()
}

const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The Spanish name of a month (1–12): `enero`. Out of range gives an empty string.
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// A month and year: `enero de 2026`.
pub fn month_year(year: i32, month: u32) -> String {
    format!("{} de {year}", month_name(month))
}

/// A short month label for charts: `ene 2026`.
pub fn month_short(year: i32, month: u32) -> String {
    let name = month_name(month);
    let short: String = name.chars().take(3).collect();
    format!("{short} {year}")
}

/// A month in words: `marzo de 2026`.
pub fn month_long(year: i32, month: u32) -> String {
    format!("{} de {year}", month_name(month))
}

/// A long date: `31 de diciembre de 2025`.
pub fn date_long(value: NaiveDate) -> String {
    format!(
        "{} de {} de {}",
        value.day(),
        month_name(value.month()),
        value.year()
    )
}

/// Days until a date, in words: `vence hoy`, `en 1 día`, `en 12 días`, `hace 1 día`, `hace 3 días`.
pub fn days_left(days: i64) -> String {
    match days {
        0 => "vence hoy".to_string(),
        1 => "en 1 día".to_string(),
        -1 => "hace 1 día".to_string(),
        d if d > 0 => format!("en {} días", thousands(d.unsigned_abs())),
        d => format!("hace {} días", thousands(d.unsigned_abs())),
    }
}

/// A yes/no value: `Sí` / `No`.
pub fn yes_no(value: bool) -> &'static str {
    if value { "Sí" } else { "No" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_groups_with_dots() {
        assert_eq!(money(1_234_567), "$ 1.234.567");
        assert_eq!(money(0), "$ 0");
        assert_eq!(money(999), "$ 999");
        assert_eq!(money(1_000), "$ 1.000");
        assert_eq!(money(100_000_000), "$ 100.000.000");
        assert_eq!(money(-1_234_567), "-$ 1.234.567");
        assert_eq!(money(i64::MIN), "-$ 9.223.372.036.854.775.808");
    }

    #[test]
    fn money_input_has_no_symbol() {
        assert_eq!(money_input(1_234_567), "1.234.567");
        assert_eq!(money_input(-5_000), "-5.000");
    }

    #[test]
    fn percent_uses_comma_and_space() {
        assert_eq!(percent(dec("5.2")), "5,2 %");
        assert_eq!(percent(dec("5.20")), "5,2 %");
        assert_eq!(percent(dec("10")), "10 %");
        assert_eq!(percent(dec("0.25")), "0,25 %");
        assert_eq!(percent(dec("1250.5")), "1.250,5 %");
        assert_eq!(percent(dec("-1.5")), "-1,5 %");
        assert_eq!(percent(dec("0.00")), "0 %");
    }

    #[test]
    fn decimal_groups_and_uses_comma() {
        assert_eq!(decimal(dec("1234.50")), "1.234,5");
        assert_eq!(decimal(dec("85")), "85");
    }

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(date(d), "31/12/2025");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "05/01/2026"
        );
        assert_eq!(date_input(d), "2025-12-31");
        assert_eq!(date_long(d), "31 de diciembre de 2025");
        let dt = d.and_hms_opt(14, 5, 0).unwrap();
        assert_eq!(date_time(dt), "31/12/2025 14:05");
        assert_eq!(datetime_attr(dt), "2025-12-31T14:05");
    }

    #[test]
    fn months_in_spanish() {
        assert_eq!(month_name(1), "enero");
        assert_eq!(month_name(12), "diciembre");
        assert_eq!(month_name(0), "");
        assert_eq!(month_name(13), "");
        assert_eq!(month_year(2026, 3), "marzo de 2026");
        assert_eq!(month_short(2026, 9), "sep 2026");
    }

    #[test]
    fn days_left_in_words() {
        assert_eq!(days_left(0), "vence hoy");
        assert_eq!(days_left(12), "en 12 días");
        assert_eq!(days_left(-3), "hace 3 días");
        assert_eq!(days_left(1), "en 1 día");
        assert_eq!(days_left(-1), "hace 1 día");
        assert_eq!(days_left(1500), "en 1.500 días");
    }

    #[test]
    fn yes_no_in_spanish() {
        assert_eq!(yes_no(true), "Sí");
        assert_eq!(yes_no(false), "No");
    }
}
