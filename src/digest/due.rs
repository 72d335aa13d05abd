//! When a digest is due: pure functions of the schedule and the clock, in Bogotá time (UTC−5 all
//! year, no daylight saving).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// Colombia's offset.
const BOGOTA: FixedOffset = match FixedOffset::west_opt(5 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC−5 is a valid offset"),
};

/// How often a kind's digest goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// At the next scheduler tick after new alerts of the kind appear.
    Immediate,
    Daily,
    /// On the chosen weekdays.
    Weekly,
    /// On the 1st of each month.
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Immediate,
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Monthly,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Frequency::Immediate => "inmediata",
            Frequency::Daily => "diaria",
            Frequency::Weekly => "semanal",
            Frequency::Monthly => "mensual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Immediate => "Inmediata",
            Frequency::Daily => "Diaria",
            Frequency::Weekly => "Semanal",
            Frequency::Monthly => "Mensual (día 1)",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// Spanish names of the weekdays, 0 = lunes (the old system's numbering).
pub const WEEKDAYS: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];

/// A kind's schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub frequency: Frequency,
    /// 0 = lunes … 6 = domingo; used by [`Frequency::Weekly`] only.
    pub weekdays: Vec<u8>,
    /// Bogotá wall-clock time.
    pub time: NaiveTime,
}

fn runs_on(schedule: &Schedule, day: NaiveDate) -> bool {
    match schedule.frequency {
        Frequency::Immediate => false,
        Frequency::Daily => true,
        Frequency::Weekly => {
            let weekday = u8::try_from(day.weekday().num_days_from_monday()).unwrap_or(7);
            schedule.weekdays.contains(&weekday)
        }
        Frequency::Monthly => day.day() == 1,
    }
}

/// The latest scheduled instant at or before `now`; `None` for inmediata, or semanal without days.
pub fn last_slot(schedule: &Schedule, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let today = now.with_timezone(&BOGOTA).date_naive();
    // 32 days back always reach the 1st of a month.
    (0..=32)
        .filter_map(|back| today.checked_sub_signed(Duration::days(back)))
        .filter(|day| runs_on(schedule, *day))
        .filter_map(|day| {
            BOGOTA
                .from_local_datetime(&day.and_time(schedule.time))
                .single()
        })
        .map(|at| at.with_timezone(&Utc))
        .find(|at| *at <= now)
}

/// Whether a scheduled (not inmediata) digest should run now: its latest slot came after both the
/// last run and the last change of the settings (a slot already past when it was configured is not
/// sent late). A slot missed while the server was down is sent at the next tick.
pub fn is_due(
    schedule: &Schedule,
    now: DateTime<Utc>,
    last_run: Option<DateTime<Utc>>,
    changed_at: DateTime<Utc>,
) -> bool {
    let Some(slot) = last_slot(schedule, now) else {
        return false;
    };
    let after = last_run.map_or(changed_at, |run| run.max(changed_at));
    slot > after
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn schedule(frequency: Frequency, weekdays: &[u8], hhmm: &str) -> Schedule {
        Schedule {
            frequency,
            weekdays: weekdays.to_vec(),
            time: NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap(),
        }
    }

    #[test]
    fn daily_slot_is_bogota_time() {
        let s = schedule(Frequency::Daily, &[], "08:00");
        // 12:59 UTC is 07:59 in Bogotá: today's slot has not come, yesterday's has.
        assert_eq!(
            last_slot(&s, utc("2026-12-01T12:59:00Z")),
            Some(utc("2026-11-30T13:00:00Z"))
        );
        assert_eq!(
            last_slot(&s, utc("2026-12-01T13:00:00Z")),
            Some(utc("2026-12-01T13:00:00Z"))
        );
    }

    #[test]
    fn daily_across_bogota_midnight() {
        // 23:30 in Bogotá is 04:30 UTC the next day: the slot is still Bogotá's date.
        let s = schedule(Frequency::Daily, &[], "23:30");
        let now = utc("2026-12-02T04:45:00Z"); // 1 December 23:45 in Bogotá
        assert_eq!(last_slot(&s, now), Some(utc("2026-12-02T04:30:00Z")));
        // 00:15 in Bogotá on 2 December: the slot at 00:10 is today's, in UTC still 2 December.
        let s = schedule(Frequency::Daily, &[], "00:10");
        let now = utc("2026-12-02T05:15:00Z");
        assert_eq!(last_slot(&s, now), Some(utc("2026-12-02T05:10:00Z")));
        // 23:59 Bogotá on 1 December (04:59 UTC on the 2nd): the 00:10 slot is the 1st's.
        let now = utc("2026-12-02T04:59:00Z");
        assert_eq!(last_slot(&s, now), Some(utc("2026-12-01T05:10:00Z")));
    }

    #[test]
    fn weekly_uses_monday_zero() {
        // 2026-12-01 is a Tuesday; days 0 (lunes) and 3 (jueves).
        let s = schedule(Frequency::Weekly, &[0, 3], "08:00");
        assert_eq!(
            last_slot(&s, utc("2026-12-01T15:00:00Z")),
            Some(utc("2026-11-30T13:00:00Z"))
        );
        assert_eq!(
            last_slot(&s, utc("2026-12-03T13:00:00Z")),
            Some(utc("2026-12-03T13:00:00Z"))
        );
        // Sunday 23:00 in Bogotá is Monday 04:00 UTC: it must not count as Monday.
        let s = schedule(Frequency::Weekly, &[0], "00:30");
        assert_eq!(
            last_slot(&s, utc("2026-12-07T04:00:00Z")),
            Some(utc("2026-11-30T05:30:00Z"))
        );
        assert_eq!(
            last_slot(&s, utc("2026-12-07T05:30:00Z")),
            Some(utc("2026-12-07T05:30:00Z"))
        );
        assert_eq!(
            last_slot(
                &schedule(Frequency::Weekly, &[], "08:00"),
                utc("2026-12-07T05:30:00Z")
            ),
            None
        );
    }

    #[test]
    fn monthly_is_the_first() {
        let s = schedule(Frequency::Monthly, &[], "07:00");
        assert_eq!(
            last_slot(&s, utc("2026-12-31T20:00:00Z")),
            Some(utc("2026-12-01T12:00:00Z"))
        );
        // 1 January 06:59 Bogotá: December's slot is the latest.
        assert_eq!(
            last_slot(&s, utc("2027-01-01T11:59:00Z")),
            Some(utc("2026-12-01T12:00:00Z"))
        );
        assert_eq!(
            last_slot(&s, utc("2027-01-01T12:00:00Z")),
            Some(utc("2027-01-01T12:00:00Z"))
        );
        // 31 December 23:00 UTC is still the 31st in Bogotá, and 1 January 02:00 UTC too.
        assert_eq!(
            last_slot(&s, utc("2027-01-01T02:00:00Z")),
            Some(utc("2026-12-01T12:00:00Z"))
        );
    }

    #[test]
    fn immediate_has_no_slot() {
        let s = schedule(Frequency::Immediate, &[], "08:00");
        assert_eq!(last_slot(&s, utc("2026-12-01T15:00:00Z")), None);
        assert!(!is_due(
            &s,
            utc("2026-12-01T15:00:00Z"),
            None,
            utc("2026-01-01T00:00:00Z")
        ));
    }

    #[test]
    fn due_once_per_slot() {
        let s = schedule(Frequency::Daily, &[], "08:00");
        let changed = utc("2026-11-01T00:00:00Z");
        let now = utc("2026-12-01T13:05:00Z");
        assert!(is_due(&s, now, None, changed));
        assert!(is_due(&s, now, Some(utc("2026-11-30T13:00:00Z")), changed));
        // Run at this slot already (a restart, or the other server): not again.
        assert!(!is_due(&s, now, Some(utc("2026-12-01T13:00:30Z")), changed));
        // Configured after today's slot: the first digest is tomorrow's.
        assert!(!is_due(&s, now, None, utc("2026-12-01T13:01:00Z")));
        // The server was down at 08:00: sent at the next tick.
        assert!(is_due(
            &s,
            utc("2026-12-01T17:00:00Z"),
            Some(utc("2026-11-30T13:00:10Z")),
            changed
        ));
    }
}
