//! `restore --until`: the time people type is the time the application shows them, Bogotá time.
//! A time without an offset used to be read as UTC, five hours off what the pages show, so a restore
//! "until 09:00" kept five hours more (or fewer) than meant.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::America::Bogota;

use super::error::BackupError;

/// Formats with an explicit offset (`-05:00`, `+0000`), besides RFC 3339.
const WITH_OFFSET: [&str; 8] = [
    "%Y-%m-%d %H:%M:%S%:z",
    "%Y-%m-%d %H:%M%:z",
    "%Y-%m-%d %H:%M:%S %:z",
    "%Y-%m-%d %H:%M %:z",
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
];

/// Formats without an offset: Bogotá time.
const LOCAL: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
];

fn bogota(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Bogotá has had no daylight saving since 1993: every local time exists exactly once.
    Bogota
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses `--until`: RFC 3339 or a time with an explicit offset (`Z`, `UTC`, `-05:00`) as given;
/// `YYYY-MM-DD HH:MM[:SS]` without one in Bogotá time; a date alone is the end of that day in Bogotá.
pub fn parse_until(s: &str) -> Result<DateTime<Utc>, BackupError> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in WITH_OFFSET {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let utc = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix(" UTC"))
        .map(str::trim_end);
    for f in LOCAL {
        if let Some(u) = utc
            && let Ok(t) = NaiveDateTime::parse_from_str(u, f)
        {
            return Ok(Utc.from_utc_datetime(&t));
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f)
            && let Some(t) = bogota(t)
        {
            return Ok(t);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(23, 59, 59).and_then(bogota)
    {
        return Ok(t);
    }
    Err(BackupError::Config(format!(
        "--until {s:?} is not a time: use YYYY-MM-DD HH:MM[:SS] (Bogotá time), or add an offset \
         (2025-01-27T14:30:00-05:00, 2025-01-27T19:30:00Z)"
    )))
}

/// A time as the application shows it: Bogotá, to the second.
pub fn in_bogota(at: DateTime<Utc>) -> String {
    at.with_timezone(&Bogota)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("a valid RFC 3339 time")
            .with_timezone(&Utc)
    }

    #[test]
    fn times_without_offset_are_bogota() {
        let p = |s| parse_until(s).expect("parses");
        assert_eq!(p("2025-01-27 09:30"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27 09:30:15"), utc("2025-01-27T14:30:15Z"));
        assert_eq!(p("2025-01-27T09:30"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27"), utc("2025-01-28T04:59:59Z"));
    }

    #[test]
    fn explicit_offsets_are_kept() {
        let p = |s| parse_until(s).expect("parses");
        assert_eq!(p("2025-01-27T14:30:00Z"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27T09:30:00-05:00"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27 09:30-05:00"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27 14:30 +0000"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27 14:30Z"), utc("2025-01-27T14:30:00Z"));
        assert_eq!(p("2025-01-27 14:30 UTC"), utc("2025-01-27T14:30:00Z"));
        assert!(parse_until("yesterday").is_err_and(|e| e.is_usage()));
    }

    #[test]
    fn shows_bogota_time() {
        assert_eq!(
            in_bogota(utc("2025-01-01T00:40:00Z")),
            "2024-12-31 19:40:00"
        );
    }
}
