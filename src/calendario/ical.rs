//! The iCal feed (RFC 5545) of the critical dates, written with the `icalendar` crate: one all-day
//! VEVENT per date, with a UID that stays the same from one fetch to the next (kind, contract,
//! date and what tells same-day entries apart), so calendar apps update instead of duplicating.

use arriendo_projections::calendar::CalendarEntry;
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

/// The domain of the UIDs (they only need to be unique and stable, RFC 5545 §3.8.4.7).
const UID_DOMAIN: &str = "arriendo.calendario";

/// The stable UID of an entry.
pub fn uid(entry: &CalendarEntry) -> String {
    let mut uid = format!(
        "{}-{}-{}",
        entry.kind.slug(),
        entry.contract_id,
        entry.date.format("%Y%m%d")
    );
    if !entry.discriminator.is_empty() {
        // Póliza numbers are free text: keep the UID to safe characters.
        let safe: String = entry
            .discriminator
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(64)
            .collect();
        uid.push('-');
        uid.push_str(&safe);
    }
    format!("{uid}@{UID_DOMAIN}")
}

/// The feed: `base` is the application's URL (no trailing slash), for the links to contracts.
pub fn feed(entries: &[CalendarEntry], base: &str, now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar
        .name("Arriendo: fechas críticas")
        .description("Vencimientos, preavisos, ajustes, pólizas e informes de ventas")
        .timezone("America/Bogota");
    for entry in entries {
        let url = format!("{base}/contratos/{}", entry.contract_id);
        let description = format!(
            "Contrato {}. Fecha fijada por: {}. {}",
            entry.contract_number,
            entry.source.short(),
            url
        );
        // All-day: DTEND is the next day (exclusive), as RFC 5545 and calendar apps expect.
        let next = entry.date.succ_opt().unwrap_or(entry.date);
        calendar.push(
            Event::new()
                .uid(&uid(entry))
                .timestamp(now)
                .starts(entry.date)
                .ends(next)
                .summary(&entry.title)
                .description(&description)
                .url(&url)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arriendo_projections::Source;
    use arriendo_projections::calendar::CalendarKind;
    use chrono::NaiveDate;
    use icalendar::{CalendarComponent, DatePerhapsTime};
    use uuid::Uuid;

    use super::*;

    fn entry(kind: CalendarKind, discriminator: &str) -> CalendarEntry {
        CalendarEntry {
            date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            kind,
            contract_id: Uuid::from_u128(42),
            contract_number: "CT-001".into(),
            title: "Vence la póliza RCE RCE 123-45 de Seguros Bolívar del contrato CT-001 (colchón de 2 meses)".into(),
            source: Source::OtroSi("OS-2".into()),
            discriminator: discriminator.into(),
        }
    }

    #[test]
    fn writes_all_day_events_that_parse_back() {
        let entries = [
            entry(CalendarKind::Poliza, "RCE 123-45"),
            entry(CalendarKind::Vencimiento, ""),
        ];
        let text = feed(&entries, "https://arriendo.example", Utc::now());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("VERSION:2.0\r\n") && text.contains("PRODID:"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20270101\r\n"), "{text}");
        // Lines are folded at 75 octets, as RFC 5545 asks.
        assert!(text.split("\r\n").all(|l| l.len() <= 75), "{text}");

        let parsed: Calendar = text.parse().unwrap();
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter_map(CalendarComponent::as_event)
            .collect();
        assert_eq!(events.len(), 2);
        let poliza = events[0];
        assert_eq!(
            poliza.get_uid(),
            Some(
                "poliza-00000000-0000-0000-0000-00000000002a-20261231-RCE_123_45@arriendo.calendario"
            )
        );
        assert_eq!(poliza.get_summary(), Some(entries[0].title.as_str()));
        assert_eq!(
            poliza.get_start(),
            Some(DatePerhapsTime::Date(entries[0].date))
        );
        assert_eq!(
            poliza.get_url(),
            Some("https://arriendo.example/contratos/00000000-0000-0000-0000-00000000002a")
        );
        assert!(
            poliza
                .get_description()
                .unwrap()
                .starts_with("Contrato CT-001. Fecha fijada por: OS-2.")
        );
        assert_eq!(
            events[1].get_uid(),
            Some("vencimiento-00000000-0000-0000-0000-00000000002a-20261231@arriendo.calendario")
        );
    }
}
