//! Calendar dates. The app lives in America/Bogota; this crate only ever sees calendar dates.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::quoted;
use crate::DomainError;

/// `date` plus `months` calendar months (negative goes back), clamping to the end of the month:
/// 31/01/2025 + 1 → 28/02/2025. Saturates at the ends of chrono's calendar.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let amount = Months::new(months.unsigned_abs());
    if months >= 0 {
        date.checked_add_months(amount).unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_months(amount).unwrap_or(NaiveDate::MIN)
    }
}

/// Parses `31/12/2025` (what people type, also `31-12-2025`) or `2025-12-31` (what HTML date inputs
/// send); refuses dates outside 01/01/1900..=31/12/2200 (see [`super::bounds`]).
pub fn parse_date(text: &str) -> Result<NaiveDate, DomainError> {
    let trimmed = text.trim();
    let date = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(trimmed, format).ok())
        .ok_or_else(|| DomainError::InvalidDate(quoted(trimmed)))?;
    if super::bounds::date_in_range(date) {
        Ok(date)
    } else {
        Err(DomainError::DateOutsideRange(format_date(date)))
    }
}

/// `31/12/2025`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A range of dates whose end is strictly after its start (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDateRange")]
pub struct DateRange {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
struct RawDateRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = DomainError;
    fn try_from(raw: RawDateRange) -> Result<Self, Self::Error> {
        DateRange::new(raw.from, raw.to)
    }
}

impl DateRange {
    /// Refused with "la fecha final debe ser posterior a la inicial" unless `to > from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<DateRange, DomainError> {
        if to <= from {
            Err(DomainError::EndNotAfterStart)
        } else {
            Ok(DateRange { from, to })
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Both ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether `self` lies entirely within `outer`.
    pub fn within(&self, outer: &DateRange) -> bool {
        outer.from <= self.from && self.to <= outer.to
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "del {} al {}",
            format_date(self.from),
            format_date(self.to)
        )
    }
}

/// A calendar month of a year (`03/2025`), e.g. the month a sales report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "RawYearMonth")]
pub struct YearMonth {
    year: i32,
    month: u32,
}

#[derive(Deserialize)]
struct RawYearMonth {
    year: i32,
    month: u32,
}

impl TryFrom<RawYearMonth> for YearMonth {
    type Error = DomainError;
    fn try_from(raw: RawYearMonth) -> Result<Self, Self::Error> {
        YearMonth::new(raw.year, raw.month)
    }
}

/// Years the application accepts for contracts, reports and index values.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2200;

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Result<YearMonth, DomainError> {
        if !(1..=12).contains(&month) {
            return Err(DomainError::InvalidMonth);
        }
        if !YEARS.contains(&year) {
            return Err(DomainError::InvalidYear(year));
        }
        Ok(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(&self) -> NaiveDate {
        add_months(self.first_day(), 1)
            .pred_opt()
            .unwrap_or(NaiveDate::MIN)
    }

    pub fn next(&self) -> YearMonth {
        YearMonth::of(add_months(self.first_day(), 1))
    }

    /// The given day (1..=28 keeps it valid every month) of this month.
    pub fn day(&self, day: u8) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, u32::from(day))
            .unwrap_or_else(|| self.last_day())
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{}", self.month, self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn add_months_clamps_to_the_end_of_the_month() {
        assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2025, 1, 15), 12), d(2026, 1, 15));
        assert_eq!(add_months(d(2025, 3, 31), -1), d(2025, 2, 28));
    }

    #[test]
    fn date_range_refuses_an_end_not_after_its_start() {
        let err = DateRange::new(d(2025, 5, 1), d(2025, 5, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "la fecha final debe ser posterior a la inicial"
        );
        assert!(DateRange::new(d(2025, 5, 2), d(2025, 5, 1)).is_err());
        let ok = DateRange::new(d(2025, 5, 1), d(2025, 6, 1)).unwrap();
        assert!(ok.contains(d(2025, 6, 1)));
        assert!(!ok.contains(d(2025, 6, 2)));
    }

    #[test]
    fn date_range_is_validated_when_deserialised() {
        let json = r#"{"from":"2025-06-01","to":"2025-05-01"}"#;
        assert!(serde_json::from_str::<DateRange>(json).is_err());
    }

    #[test]
    fn parses_and_formats_es_co_dates() {
        assert_eq!(parse_date("31/12/2025"), Ok(d(2025, 12, 31)));
        assert_eq!(parse_date("2025-12-31"), Ok(d(2025, 12, 31)));
        assert_eq!(format_date(d(2025, 1, 5)), "05/01/2025");
        assert_eq!(
            parse_date("31/02/2025").unwrap_err().to_string(),
            "«31/02/2025» no es una fecha válida (use dd/mm/aaaa)"
        );
    }

    #[test]
    fn refuses_dates_outside_1900_to_2200() {
        assert_eq!(parse_date("31/12/2200"), Ok(d(2200, 12, 31)));
        assert_eq!(parse_date("01/01/1900"), Ok(d(1900, 1, 1)));
        assert_eq!(
            parse_date("01/01/2201").unwrap_err().to_string(),
            "la fecha 01/01/2201 está fuera del rango permitido (01/01/1900 a 31/12/2200)"
        );
        for text in ["2201-01-01", "31/12/1899", "+262000-01-01", "0001-01-01"] {
            assert!(parse_date(text).is_err(), "{text}");
        }
    }

    #[test]
    fn year_month_knows_its_days() {
        let feb = YearMonth::new(2024, 2).unwrap();
        assert_eq!(feb.last_day(), d(2024, 2, 29));
        assert_eq!(feb.next(), YearMonth::new(2024, 3).unwrap());
        assert_eq!(
            YearMonth::new(2024, 12).unwrap().next(),
            YearMonth::new(2025, 1).unwrap()
        );
        assert_eq!(feb.to_string(), "02/2024");
        assert_eq!(YearMonth::new(2024, 13), Err(DomainError::InvalidMonth));
    }
}
