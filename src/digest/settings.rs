//! Each alert kind's digest settings: stored rows, the form's validation (Spanish messages), and the
//! log of changes (who, when, what).

use arriendo_projections::AlertKind;
use chrono::{DateTime, NaiveTime, Utc};

use super::due::{Frequency, Schedule, WEEKDAYS};
use super::{DigestError, Result};
use crate::store::{Db, StoreError};

/// One kind's settings. A kind never configured is [`KindSettings::off`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindSettings {
    pub kind: AlertKind,
    pub enabled: bool,
    pub schedule: Schedule,
    /// Only the alerts of severity «Crítica».
    pub only_critical: bool,
    /// `None`: «[Arriendo] <kind>: N alertas».
    pub subject: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_sent_at: Option<DateTime<Utc>>,
    /// The alerts the last sent digest listed (see [`super::compose::alert_key`]).
    pub last_keys: Vec<String>,
}

pub const DEFAULT_TIME: NaiveTime = match NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => panic!("08:00 is a time"),
};

impl KindSettings {
    /// A kind nobody configured: off, daily at 08:00.
    pub fn off(kind: AlertKind) -> Self {
        Self {
            kind,
            enabled: false,
            schedule: Schedule {
                frequency: Frequency::Daily,
                weekdays: Vec::new(),
                time: DEFAULT_TIME,
            },
            only_critical: false,
            subject: None,
            updated_at: DateTime::<Utc>::MIN_UTC,
            updated_by: String::new(),
            last_run_at: None,
            last_sent_at: None,
            last_keys: Vec::new(),
        }
    }

    /// «Diaria a las 08:00», «Semanal (lunes, jueves) a las 08:00», «Inmediata».
    pub fn describe(&self) -> String {
        let time = self.schedule.time.format("%H:%M");
        match self.schedule.frequency {
            Frequency::Immediate => "Inmediata".to_string(),
            Frequency::Weekly => format!(
                "Semanal ({}) a las {time}",
                weekday_names(&self.schedule.weekdays)
            ),
            other => format!("{} a las {time}", other.label()),
        }
    }
}

/// `lunes, jueves`.
pub fn weekday_names(days: &[u8]) -> String {
    let names: Vec<&str> = days
        .iter()
        .filter_map(|d| WEEKDAYS.get(usize::from(*d)).copied())
        .collect();
    if names.is_empty() {
        "ningún día".to_string()
    } else {
        names.join(", ")
    }
}

/// What the form sends.
#[derive(Clone, Debug, Default)]
pub struct SettingsInput {
    pub kind: String,
    pub enabled: bool,
    pub frequency: String,
    pub weekdays: Vec<String>,
    pub time: String,
    pub only_critical: bool,
    pub subject: String,
}

/// A field's error: (form field, Spanish message).
pub type FieldErrors = Vec<(&'static str, String)>;

/// The longest subject accepted.
pub const MAX_SUBJECT: usize = 200;

/// Parses `07:30`, `7:30` or `07:30:00` (the old system's format).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .ok()
}

/// Validates the form; every problem in Spanish, by field.
pub fn parse(
    input: &SettingsInput,
) -> std::result::Result<(AlertKind, KindSettingsChange), FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = AlertKind::from_slug(input.kind.trim());
    if kind.is_none() {
        errors.push(("tipo", "El tipo de alerta no existe.".to_string()));
    }
    let frequency = Frequency::from_slug(input.frequency.trim());
    if frequency.is_none() {
        errors.push((
            "frecuencia",
            "Elija una frecuencia: inmediata, diaria, semanal o mensual.".to_string(),
        ));
    }
    let time = parse_time(&input.time);
    if time.is_none() {
        errors.push((
            "hora",
            "La hora debe tener el formato HH:MM, entre 00:00 y 23:59.".to_string(),
        ));
    }
    let mut weekdays = Vec::new();
    for d in &input.weekdays {
        match d.trim().parse::<u8>().ok().filter(|d| *d < 7) {
            Some(day) if !weekdays.contains(&day) => weekdays.push(day),
            Some(_) => {}
            None => errors.push((
                "dias",
                "Los días de la semana van de lunes a domingo.".to_string(),
            )),
        }
    }
    weekdays.sort_unstable();
    if frequency == Some(Frequency::Weekly) && weekdays.is_empty() {
        errors.push((
            "dias",
            "Elija al menos un día de la semana para el envío semanal.".to_string(),
        ));
    }
    let subject = input.subject.trim();
    if subject.chars().count() > MAX_SUBJECT {
        errors.push((
            "asunto",
            format!("El asunto admite como máximo {MAX_SUBJECT} caracteres."),
        ));
    }
    if subject.contains(['\r', '\n']) {
        errors.push(("asunto", "El asunto debe ser una sola línea.".to_string()));
    }
    match (kind, frequency, time, errors.is_empty()) {
        (Some(kind), Some(frequency), Some(time), true) => Ok((
            kind,
            KindSettingsChange {
                enabled: input.enabled,
                schedule: Schedule {
                    frequency,
                    weekdays: if frequency == Frequency::Weekly {
                        weekdays
                    } else {
                        Vec::new()
                    },
                    time,
                },
                only_critical: input.only_critical,
                subject: (!subject.is_empty()).then(|| subject.to_string()),
            },
        )),
        _ => Err(errors),
    }
}

/// What a person may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindSettingsChange {
    pub enabled: bool,
    pub schedule: Schedule,
    pub only_critical: bool,
    pub subject: Option<String>,
}

impl KindSettingsChange {
    /// The change in words for the log: «activado; Semanal (lunes) a las 08:00; solo críticas».
    pub fn summary(&self) -> String {
        let mut s = KindSettings::off(AlertKind::Vencimiento);
        s.schedule = self.schedule.clone();
        let mut parts = vec![
            if self.enabled {
                "activado"
            } else {
                "desactivado"
            }
            .to_string(),
            s.describe(),
        ];
        if self.only_critical {
            parts.push("solo críticas".to_string());
        }
        if let Some(subject) = &self.subject {
            parts.push(format!("asunto «{subject}»"));
        }
        parts.join("; ")
    }
}

/// One row of `digest_settings` as [`COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    enabled: i64,
    frequency: String,
    weekdays: String,
    send_time: String,
    only_critical: i64,
    subject: Option<String>,
    updated_at: String,
    updated_by: String,
    last_run_at: Option<String>,
    last_sent_at: Option<String>,
    last_keys: String,
}

fn time_of(text: Option<&str>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// A recorded time, or the error that says which column held what (never a silent 1970).
fn recorded_time(column: &str, text: &str) -> Result<DateTime<Utc>> {
    time_of(Some(text)).ok_or_else(|| {
        DigestError::Store(StoreError::Invalid(format!(
            "digest {column} is not an RFC 3339 time: {text:?}"
        )))
    })
}

fn optional_time(column: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    text.map(|t| recorded_time(column, t)).transpose()
}

/// The settings of a row; `None` for a kind this version no longer knows.
fn from_row(r: Row) -> Result<Option<KindSettings>> {
    let Some(kind) = AlertKind::from_slug(&r.kind) else {
        return Ok(None);
    };
    Ok(Some(KindSettings {
        kind,
        enabled: r.enabled != 0,
        schedule: Schedule {
            frequency: Frequency::from_slug(&r.frequency).unwrap_or(Frequency::Daily),
            weekdays: r
                .weekdays
                .split(',')
                .filter_map(|d| d.trim().parse::<u8>().ok())
                .filter(|d| *d < 7)
                .collect(),
            time: parse_time(&r.send_time).unwrap_or(DEFAULT_TIME),
        },
        only_critical: r.only_critical != 0,
        subject: r.subject.filter(|s| !s.trim().is_empty()),
        updated_at: recorded_time("updated_at", &r.updated_at)?,
        updated_by: r.updated_by,
        last_run_at: optional_time("last_run_at", r.last_run_at.as_deref())?,
        last_sent_at: optional_time("last_sent_at", r.last_sent_at.as_deref())?,
        last_keys: serde_json::from_str(&r.last_keys).unwrap_or_default(),
    }))
}

const COLUMNS: &str = "kind, enabled, frequency, weekdays, send_time, only_critical, subject, \
     updated_at, updated_by, last_run_at, last_sent_at, last_keys";

/// Every kind of [`AlertKind::ALL`], configured or not, in the dashboard's order.
pub async fn all(db: &Db) -> Result<Vec<KindSettings>> {
    let sql = format!("SELECT {COLUMNS} FROM digest_settings");
    let rows: Vec<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).fetch_all(pool).await?
    });
    let mut stored = Vec::with_capacity(rows.len());
    for row in rows {
        stored.extend(from_row(row)?);
    }
    Ok(AlertKind::ALL
        .into_iter()
        .map(|kind| {
            stored
                .iter()
                .find(|s| s.kind == kind)
                .cloned()
                .unwrap_or_else(|| KindSettings::off(kind))
        })
        .collect())
}

pub async fn load(db: &Db, kind: AlertKind) -> Result<KindSettings> {
    let sql = format!("SELECT {COLUMNS} FROM digest_settings WHERE kind = $1");
    let row: Option<Row> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(kind.slug()).fetch_optional(pool).await?
    });
    let stored = match row {
        Some(row) => from_row(row)?,
        None => None,
    };
    Ok(stored.unwrap_or_else(|| KindSettings::off(kind)))
}

pub fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Saves a kind's settings (the send state is kept) and logs the change.
pub async fn save(
    db: &Db,
    kind: AlertKind,
    change: &KindSettingsChange,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let sql = "INSERT INTO digest_settings (kind, enabled, frequency, weekdays, send_time, \
               only_critical, subject, updated_at, updated_by) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
               ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, \
               frequency = excluded.frequency, weekdays = excluded.weekdays, \
               send_time = excluded.send_time, only_critical = excluded.only_critical, \
               subject = excluded.subject, updated_at = excluded.updated_at, \
               updated_by = excluded.updated_by";
    let weekdays: Vec<String> = change.schedule.weekdays.iter().map(u8::to_string).collect();
    crate::on_pool!(db, pool => {
        sqlx::query(sql)
            .bind(kind.slug())
            .bind(i64::from(change.enabled))
            .bind(change.schedule.frequency.slug())
            .bind(weekdays.join(","))
            .bind(change.schedule.time.format("%H:%M").to_string())
            .bind(i64::from(change.only_critical))
            .bind(change.subject.as_deref())
            .bind(text(at))
            .bind(actor)
            .execute(pool)
            .await?;
    });
    record_change(db, kind, actor, at, &change.summary()).await
}

/// One line of the log of changes.
pub async fn record_change(
    db: &Db,
    kind: AlertKind,
    actor: &str,
    at: DateTime<Utc>,
    summary: &str,
) -> Result<()> {
    crate::on_pool!(db, pool => {
        sqlx::query("INSERT INTO digest_changes (id, at, actor, kind, summary) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(text(at))
            .bind(actor)
            .bind(kind.slug())
            .bind(summary)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// A logged change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: Option<AlertKind>,
    pub summary: String,
}

/// The latest changes, newest first.
pub async fn changes(db: &Db, kind: Option<AlertKind>, limit: i64) -> Result<Vec<Change>> {
    let rows: Vec<ChangeRow> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT at, actor, kind, summary FROM digest_changes \
             WHERE CAST($1 AS text) = '' OR kind = $1 ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(kind.map_or("", AlertKind::slug))
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            Ok(Change {
                at: recorded_time("change time", &r.at)?,
                actor: r.actor,
                kind: AlertKind::from_slug(&r.kind),
                summary: r.summary,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: String,
    actor: String,
    kind: String,
    summary: String,
}

/// Claims a scheduled run of `kind`: sets `last_run_at` to `now` only if nobody ran it since
/// `seen` was read. `false`: another server (or an earlier tick) already did.
pub async fn claim_run(
    db: &Db,
    kind: AlertKind,
    seen: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let seen = seen.map(text).unwrap_or_default();
    let claimed = crate::on_pool!(db, pool => {
        sqlx::query(
            "UPDATE digest_settings SET last_run_at = $1 \
             WHERE kind = $2 AND COALESCE(last_run_at, '') = $3",
        )
        .bind(text(now))
        .bind(kind.slug())
        .bind(seen)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(claimed == 1)
}

/// After a digest went out: what it listed, for the next one's «nuevas».
pub async fn mark_sent(db: &Db, kind: AlertKind, keys: &[String], at: DateTime<Utc>) -> Result<()> {
    let keys = serde_json::to_string(keys).map_err(StoreError::Json)?;
    crate::on_pool!(db, pool => {
        sqlx::query("UPDATE digest_settings SET last_sent_at = $1, last_keys = $2 WHERE kind = $3")
            .bind(text(at))
            .bind(keys)
            .bind(kind.slug())
            .execute(pool)
            .await?;
    });
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input(kind: &str, frequency: &str, days: &[&str], time: &str) -> SettingsInput {
        SettingsInput {
            kind: kind.into(),
            enabled: true,
            frequency: frequency.into(),
            weekdays: days.iter().map(|d| d.to_string()).collect(),
            time: time.into(),
            only_critical: false,
            subject: String::new(),
        }
    }

    #[test]
    fn accepts_every_kind_of_the_list() {
        for kind in AlertKind::ALL {
            assert!(parse(&input(kind.slug(), "diaria", &[], "08:00")).is_ok());
        }
    }

    #[test]
    fn refuses_in_spanish() {
        let errors = parse(&input("nada", "a-veces", &["9"], "25:00")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["tipo", "frecuencia", "hora", "dias"]);
        let errors = parse(&input("preaviso", "semanal", &[], "7:30")).unwrap_err();
        assert_eq!(errors[0].0, "dias");
    }

    #[test]
    fn weekly_keeps_sorted_days_and_others_drop_them() {
        let (_, c) = parse(&input("preaviso", "semanal", &["3", "0", "3"], "07:30:00")).unwrap();
        assert_eq!(c.schedule.weekdays, [0, 3]);
        assert_eq!(c.summary(), "activado; Semanal (lunes, jueves) a las 07:30");
        let (_, c) = parse(&input("preaviso", "diaria", &["3"], "07:30")).unwrap();
        assert!(c.schedule.weekdays.is_empty());
    }
}
