//! Respaldo: the one alert that is not a contract's.

use arriendo_events::format_date;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Alert, AlertAction, AlertKind, BACKUP_MAX_AGE_HOURS, Severity};
use crate::checked::days_between;
use crate::source::Source;

/// What the backup job last reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupState {
    pub last_success: Option<DateTime<Utc>>,
    pub last_failed: bool,
    /// When the newest restore drill failed: its start. A backup that cannot be restored is no
    /// backup, so this raises the alert like a failed backup.
    #[serde(default)]
    pub drill_failed_at: Option<DateTime<Utc>>,
}

/// Colombia is UTC−5 all year (no daylight saving).
const BOGOTA: FixedOffset = match FixedOffset::west_opt(5 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC−5 is a valid offset"),
};

/// The America/Bogota calendar date of an instant.
pub fn bogota_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&BOGOTA).date_naive()
}

/// The Respaldo alert's message when no backup ever succeeded: it has no date to show.
pub const NO_BACKUP_MESSAGE: &str = "No hay ningún respaldo exitoso registrado";

/// Respaldo: danger when there is no successful backup, it is older than 26 hours, the last
/// run failed, or the last restore drill failed.
pub fn backup_alert(backup: Option<&BackupState>, now: DateTime<Utc>) -> Option<Alert> {
    let today = bogota_date(now);
    let alert = |trigger_date: NaiveDate, message: String| Alert {
        kind: AlertKind::Respaldo,
        severity: Severity::Danger,
        contract_id: None,
        contract_number: None,
        contract_kind: None,
        trigger_date,
        days_left: days_between(today, trigger_date),
        source: Source::Sistema,
        message,
        subject: "respaldo".to_string(),
        owner: None,
        action: AlertAction::new("Ver los respaldos", "/respaldos".to_string()),
        handled: None,
    };
    let Some(last_success) = backup.and_then(|b| b.last_success) else {
        return Some(alert(today, NO_BACKUP_MESSAGE.to_string()));
    };
    let failed = backup.is_some_and(|b| b.last_failed);
    let age = now.signed_duration_since(last_success);
    let last = bogota_date(last_success);
    let when = format!(
        "{} a las {}",
        format_date(last),
        last_success.with_timezone(&BOGOTA).format("%H:%M")
    );
    if failed {
        return Some(alert(
            last,
            format!("El último respaldo falló; el último exitoso fue el {when}"),
        ));
    }
    if age > chrono::Duration::hours(BACKUP_MAX_AGE_HOURS) {
        return Some(alert(
            last,
            format!(
                "El último respaldo exitoso tiene más de {BACKUP_MAX_AGE_HOURS} horas (fue el {when})"
            ),
        ));
    }
    if let Some(at) = backup.and_then(|b| b.drill_failed_at) {
        return Some(alert(
            bogota_date(at),
            format!(
                "El último simulacro de restauración falló ({} a las {}): un respaldo que no se \
                 puede restaurar no protege los datos",
                format_date(bogota_date(at)),
                at.with_timezone(&BOGOTA).format("%H:%M")
            ),
        ));
    }
    None
}
