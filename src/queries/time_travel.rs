//! A contract as it stood: in force on a date, and as recorded up to a moment (only the events
//! stored by then). Shared by the contract page (`?vigente=&registrado=`) and `arriendo history`.

use arriendo_events::{Contrato, ContratoEvent};
use arriendo_projections::fold::fold_contrato;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::read_models::payload::typed;
use crate::store::event_log;
use crate::store::{Db, StoreError};

/// A moment typed as `2026-02-15T10:00[:ss]`, `2026-02-15 10:00` or a bare date (its last second),
/// in Bogotá time; `None` when it cannot be read or falls outside 1900–2200.
pub fn bogota_moment(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        arriendo_events::parse_date(text)
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
    })
    .filter(|m| (1900..=2200).contains(&chrono::Datelike::year(m)))
}

/// The last instant a typed moment includes (its whole second), in UTC.
pub fn recorded_limit(text: &str) -> Option<DateTime<Utc>> {
    let local = bogota_moment(text)?;
    let start = chrono_tz::America::Bogota
        .from_local_datetime(&local)
        .earliest()?;
    // PostgreSQL keeps microseconds: an event at .9995 s still belongs to the typed second.
    Some(
        start.with_timezone(&Utc) + chrono::Duration::seconds(1) - chrono::Duration::nanoseconds(1),
    )
}

/// The contract folded from its events recorded up to `limit`; `None` if it did not exist yet.
pub async fn contract_as_recorded(
    db: &Db,
    id: &str,
    limit: DateTime<Utc>,
) -> Result<Option<Contrato>, StoreError> {
    let stream = event_log::read_stream(db, "contrato", id).await?;
    let events = stream
        .iter()
        .filter(|e| e.recorded_at <= limit)
        .map(typed::<ContratoEvent>)
        .collect::<Result<Vec<_>, _>>()?;
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(fold_contrato(events)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_second_includes_every_microsecond_of_it() {
        let limit = recorded_limit("2026-02-15T10:00:04").expect("a moment");
        let at = |micros: u32| {
            Utc.with_ymd_and_hms(2026, 2, 15, 15, 0, 4)
                .single()
                .expect("utc")
                + chrono::Duration::microseconds(i64::from(micros))
        };
        // Bogotá is UTC−5: 10:00:04 there is 15:00:04 UTC.
        assert!(
            at(999_500) <= limit,
            "recorded at .9995 s, as PostgreSQL may keep it"
        );
        assert!(at(1_000_000) > limit, "the next second is out");
    }
}
