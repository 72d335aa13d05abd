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
