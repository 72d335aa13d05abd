//! The ranges a real lease can have. Every value that is stored passes through these checks when
//! a command is decided (see `check_bounds` of each event), so one form submission cannot store
//! a value that later overflows a date or money computation, or a key too long for an index.
//!
//! Why these numbers:
//! - notice days ≤ 3.650 (ten years of notice is already absurd for a lease);
//! - durations and months of cover ≤ 1.188 months (99 years);
//! - dates within 01/01/1900..=31/12/2200: a signing date before 1900 or an end after 2200 is a
//!   typing error, and every date computed from them (+ 99 years, − 10 years) stays far inside
//!   chrono's calendar;
//! - money within $ 0..=$ 1.000.000.000.000.000 (10^15 pesos, about a thousand times the largest
//!   yearly rent a Colombian mall collects): sums of thousands of such values still fit in `i64`
//!   and their products with a percentage fit in `Decimal`;
//! - areas ≤ 10.000.000 m² (10 km²; the largest mall in the world has under 1 km²);
//! - text: numbers and names ≤ 200 characters (at most 800 bytes in UTF-8, far below the 2.704
//!   bytes a PostgreSQL btree index entry may hold), notes, descriptions and reasons ≤ 10.000,
//!   links ≤ 2.000; no NUL or other control characters, except line breaks and tabs in
//!   multi-line text.

use chrono::NaiveDate;

use super::number::group_thousands;
use crate::{DomainError, Money};

/// Notice days (preaviso, early-termination notice): at most ten years.
pub const MAX_NOTICE_DAYS: u32 = 3_650;
/// Durations and months of cover: at most 99 years.
pub const MAX_MONTHS: u32 = 1_188;
/// The first date the application accepts.
pub const MIN_DATE: NaiveDate = ymd(1900, 1, 1);
/// The last date the application accepts.
pub const MAX_DATE: NaiveDate = ymd(2200, 12, 31);
/// The largest amount of pesos the application accepts (10^15).
pub const MAX_PESOS: i64 = 1_000_000_000_000_000;
/// The largest area in m² the application accepts.
pub const MAX_AREA_M2: i64 = 10_000_000;
/// Numbers, names and other one-line text.
pub const MAX_LINE_CHARS: usize = 200;
/// Notes, descriptions, reasons, clauses.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Links to documents.
pub const MAX_URL_CHARS: usize = 2_000;

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// `10.000`: how limits read in messages.
pub(crate) fn thousands(n: impl Into<u128>) -> String {
    group_thousands(n.into())
}

/// Whether `date` lies within [`MIN_DATE`]..=[`MAX_DATE`].
pub fn date_in_range(date: NaiveDate) -> bool {
    (MIN_DATE..=MAX_DATE).contains(&date)
}

/// A date within [`MIN_DATE`]..=[`MAX_DATE`].
pub fn check_date(field: &'static str, date: NaiveDate) -> Result<(), DomainError> {
    if date_in_range(date) {
        Ok(())
    } else {
        Err(DomainError::DateOutOfRange {
            field,
            date: crate::format_date(date),
        })
    }
}

/// Notice days within 0..=[`MAX_NOTICE_DAYS`].
pub fn check_days(field: &'static str, days: u32) -> Result<(), DomainError> {
    if days <= MAX_NOTICE_DAYS {
        Ok(())
    } else {
        Err(DomainError::TooManyDays {
            field,
            max: MAX_NOTICE_DAYS,
        })
    }
}

/// Months within 0..=[`MAX_MONTHS`].
pub fn check_months(field: &'static str, months: u32) -> Result<(), DomainError> {
    if months <= MAX_MONTHS {
        Ok(())
    } else {
        Err(DomainError::TooManyMonths {
            field,
            max: MAX_MONTHS,
        })
    }
}

/// An amount within $ 0..=[`MAX_PESOS`] (a stored amount may be read from an old event unchecked).
pub fn check_money(field: &'static str, amount: Money) -> Result<(), DomainError> {
    if amount.pesos() <= MAX_PESOS {
        Ok(())
    } else {
        Err(DomainError::AmountOutOfRange { field })
    }
}

/// Like [`check_money`], for an optional amount.
pub fn check_optional_money(field: &'static str, amount: Option<Money>) -> Result<(), DomainError> {
    amount.map_or(Ok(()), |a| check_money(field, a))
}

/// One-line text: at most [`MAX_LINE_CHARS`] characters, no control characters at all.
pub fn check_line(field: &'static str, text: &str) -> Result<(), DomainError> {
    check_chars(field, text, MAX_LINE_CHARS, false)
}

/// Multi-line text: at most [`MAX_TEXT_CHARS`] characters; line breaks and tabs allowed.
pub fn check_text(field: &'static str, text: &str) -> Result<(), DomainError> {
    check_chars(field, text, MAX_TEXT_CHARS, true)
}

/// A link: at most [`MAX_URL_CHARS`] characters, no control characters.
pub fn check_url(field: &'static str, text: &str) -> Result<(), DomainError> {
    check_chars(field, text, MAX_URL_CHARS, false)
}

fn check_chars(
    field: &'static str,
    text: &str,
    max: usize,
    multi_line: bool,
) -> Result<(), DomainError> {
    // Counting stops past the limit: a megabyte of text costs no more than the limit.
    let len = text.chars().take(max.saturating_add(1)).count();
    if len > max {
        return Err(DomainError::TextTooLong { field, max });
    }
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(DomainError::ControlCharacter { field });
    }
    Ok(())
}

/// What a refusal message quotes of what was typed: at most 40 characters, control characters
/// replaced, so that a megabyte of garbage does not come back as a megabyte of message.
pub(crate) fn quoted(text: &str) -> String {
    const SHOWN: usize = 40;
    let mut out: String = text
        .chars()
        .take(SHOWN)
        .map(|c| if c.is_control() { '�' } else { c })
        .collect();
    if text.chars().nth(SHOWN).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_range_is_1900_to_2200() {
        assert_eq!(MIN_DATE.to_string(), "1900-01-01");
        assert_eq!(MAX_DATE.to_string(), "2200-12-31");
        assert!(check_date("fecha final", MAX_DATE).is_ok());
        let after = MAX_DATE.succ_opt().unwrap();
        assert_eq!(
            check_date("fecha final", after).unwrap_err().to_string(),
            "la fecha 01/01/2201 del campo «fecha final» está fuera del rango permitido (01/01/1900 a 31/12/2200)"
        );
        assert!(check_date("fecha final", MIN_DATE.pred_opt().unwrap()).is_err());
    }

    #[test]
    fn one_line_text_refuses_control_characters_and_length() {
        assert!(check_line("número de contrato", &"x".repeat(200)).is_ok());
        assert_eq!(
            check_line("número de contrato", &"x".repeat(201))
                .unwrap_err()
                .to_string(),
            "el campo «número de contrato» admite como máximo 200 caracteres"
        );
        // Characters, not bytes: 200 «ñ» are 400 bytes and fit.
        assert!(check_line("razón social", &"ñ".repeat(200)).is_ok());
        for bad in ["CT\0-1", "CT\n1", "CT\t1", "CT\u{7f}1", "CT\u{85}1"] {
            assert_eq!(
                check_line("número de contrato", bad)
                    .unwrap_err()
                    .to_string(),
                "el campo «número de contrato» contiene caracteres de control no permitidos",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn multi_line_text_allows_line_breaks_and_tabs_but_not_nul() {
        assert!(check_text("nota", "línea 1\r\nlínea 2\tfin").is_ok());
        assert!(check_text("nota", &"a".repeat(10_000)).is_ok());
        assert_eq!(
            check_text("nota", &"a".repeat(10_001))
                .unwrap_err()
                .to_string(),
            "el campo «nota» admite como máximo 10.000 caracteres"
        );
        assert_eq!(
            check_text("nota", "a\0b"),
            Err(DomainError::ControlCharacter { field: "nota" })
        );
    }

    #[test]
    fn quoting_typed_text_is_short_and_printable() {
        assert_eq!(quoted("abc"), "abc");
        assert_eq!(quoted("a\0b"), "a�b");
        let long = quoted(&"9".repeat(1_000_000));
        assert_eq!(long.chars().count(), 41);
        assert!(long.ends_with('…'));
    }
}
