//! Date arithmetic that cannot panic. chrono's `date - Days` and `date + Days` panic outside its
//! calendar (±262.000 years); an event stored before the bounds of `arriendo_events::bounds`
//! existed (a preaviso of 100.000.000 days) reached that and stopped the projector. These
//! saturate at the ends of the calendar instead, so a nonsense value gives a nonsense but
//! harmless date that the user can see and correct.

use chrono::{Days, NaiveDate};

/// Days from `from` to `to`; negative when `to` is earlier.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// `date` minus `days`, or the first date of the calendar.
pub fn minus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// `date` plus `days`, or the last date of the calendar.
pub fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_at_the_ends_of_the_calendar() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(minus_days(d, 100_000_000), NaiveDate::MIN);
        assert_eq!(plus_days(d, 100_000_000), NaiveDate::MAX);
        assert_eq!(
            minus_days(d, 31),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert!(days_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
        assert_eq!(
            days_between(d, NaiveDate::from_ymd_opt(2026, 4, 2).unwrap()),
            2
        );
    }
}
