//! The critical-dates calendar: which contracts to read for a date range, the month in the query
//! string, the per-user iCal feed secrets ([`feeds`]) and the feed itself ([`ical`]).

pub mod feeds;
pub mod ical;

use arriendo_events::YearMonth;
use arriendo_projections::calendar::{CalendarEntry, CalendarKind, all_dates};
use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use crate::store::{Db, StoreError};

/// The feed covers this many days before today…
pub const FEED_DAYS_BACK: i64 = 60;
/// …and this many days after.
pub const FEED_DAYS_AHEAD: i64 = 400;
/// At most this many events in one feed: calendar apps choke on huge feeds, and a feed is fetched
/// without a login, so its cost must be bounded. The earliest dates are kept.
pub const FEED_MAX_EVENTS: usize = 5_000;
/// At most this many dates on one month page (the first, by date).
pub const PAGE_MAX_ENTRIES: usize = 1_500;
/// Contracts folded per round trip.
const BATCH: usize = 500;
/// Years `?mes=` accepts: the application's own calendar (contracts, reports, indices).
pub const MONTH_YEARS: std::ops::RangeInclusive<i32> = arriendo_events::YEARS;

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    User(#[from] crate::auth::AuthError),
}

impl From<sqlx::Error> for CalendarError {
    fn from(err: sqlx::Error) -> Self {
        CalendarError::Store(StoreError::Sql(err))
    }
}

/// Why a `mes` value was refused, in Spanish for the 422 page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("El mes «{0}» no es válido: escríbalo como AAAA-MM, por ejemplo 2026-12.")]
    Format(String),
    #[error("El año {0} está fuera del calendario de la aplicación (de {min} a {max}).", min = MONTH_YEARS.start(), max = MONTH_YEARS.end())]
    Year(i32),
}

/// `2026-12` → December 2026. Only `AAAA-MM` (and `AAAA-M`), within [`MONTH_YEARS`].
pub fn parse_month(text: &str) -> Result<YearMonth, MonthError> {
    let shown: String = text.chars().take(40).collect();
    let bad = || MonthError::Format(shown.clone());
    let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4) || !digits(month, 2) || year.len() < 4 {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u32 = month.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) {
        return Err(bad());
    }
    if !MONTH_YEARS.contains(&year) {
        return Err(MonthError::Year(year));
    }
    YearMonth::new(year, month).map_err(|_| bad())
}

/// The range of the feed for `today`.
pub fn feed_range(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = today
        .checked_sub_signed(Duration::days(FEED_DAYS_BACK))
        .unwrap_or(today);
    let to = today
        .checked_add_signed(Duration::days(FEED_DAYS_AHEAD))
        .unwrap_or(today);
    (from, to)
}

/// Every critical date of every contract within `from..=to` whose kind is in `kinds` (all kinds
/// when empty), by date then contract number.
///
/// Reads the contracts that can have a date in the range: not deleted, started by `to`, and not
/// ended more than two years before `from` (a póliza may outlast the contract by its months of
/// cover; sales report deadlines fall in the month after the end).
pub async fn entries(
    db: &Db,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    kinds: &[CalendarKind],
) -> Result<Vec<CalendarEntry>, CalendarError> {
    let oldest_end = from
        .checked_sub_signed(Duration::days(730))
        .unwrap_or(from)
        .format("%Y-%m-%d")
        .to_string();
    let latest_start = to.format("%Y-%m-%d").to_string();
    let sql = "SELECT id FROM rm_contracts WHERE status <> 'eliminado' AND start_date <= $1 \
               AND end_date >= $2 ORDER BY number";
    let ids: Vec<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(sql).bind(&latest_start).bind(&oldest_end).fetch_all(pool).await?
    });
    let mut out = Vec::new();
    for chunk in ids.chunks(BATCH) {
        let states = crate::read_models::contract_events::load_many(db, chunk).await?;
        let parsed: Vec<(Uuid, &arriendo_events::Contrato)> = states
            .iter()
            .filter_map(|(id, c)| Uuid::parse_str(id).ok().map(|u| (u, c)))
            .collect();
        out.extend(
            all_dates(parsed, today, from, to)
                .into_iter()
                .filter(|e| kinds.is_empty() || kinds.contains(&e.kind)),
        );
    }
    out.sort_by(|a, b| {
        (a.date, &a.contract_number, a.kind, &a.discriminator).cmp(&(
            b.date,
            &b.contract_number,
            b.kind,
            &b.discriminator,
        ))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_aaaa_mm_within_the_application_years() {
        let ok = parse_month("2026-12").map(|m| (m.year(), m.month()));
        assert_eq!(ok, Ok((2026, 12)));
        assert_eq!(
            parse_month("2026-3").map(|m| m.month()),
            Ok(3),
            "one-digit month"
        );
        for bad in [
            "", "2026", "2026-13", "2026-00", "12-2026", "2026-1x", "abc", "+202-01",
        ] {
            assert!(
                matches!(parse_month(bad), Err(MonthError::Format(_))),
                "{bad}"
            );
        }
        assert_eq!(parse_month("9999-01"), Err(MonthError::Year(9999)));
        assert_eq!(parse_month("0001-01"), Err(MonthError::Year(1)));
        assert!(matches!(
            parse_month("99999999999-01"),
            Err(MonthError::Format(_))
        ));
    }
}
