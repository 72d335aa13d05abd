//! One digest run: the kind's alerts (only critical ones when asked), composed once, sent to each
//! active recipient, one history row per recipient, then the kind's «last sent» state.
//!
//! Scheduled runs claim their slot first ([`settings::claim_run`]): with two servers on one
//! database, or after a restart, a slot is run once. [`tick`] runs every kind that is due.

use std::collections::HashSet;

use arriendo_projections::alerts::backup_alert;
use arriendo_projections::{AlertKind, Severity};
use chrono::{DateTime, NaiveDate, Utc};

use super::compose::{DigestAlert, Heading, compose};
use super::due::{Frequency, is_due};
use super::history::{self, Entry, Trigger};
use super::mailer::Mailer;
use super::recipients;
use super::settings::{self, KindSettings};
use super::{DigestError, Result};
use crate::App;
use crate::store::{Db, StoreError};

type AlertRow = (String, String, String, String, i64, String, String);

/// The open alerts of `kind`, most severe first (the dashboard's order).
pub async fn alerts_of(db: &Db, kind: AlertKind, now: DateTime<Utc>) -> Result<Vec<DigestAlert>> {
    if kind == AlertKind::Respaldo {
        let state = crate::queries::backup_state(db).await?;
        return Ok(backup_alert(state.as_ref(), now)
            .map(|a| DigestAlert {
                kind,
                severity: a.severity,
                contract_id: None,
                contract_number: None,
                trigger_date: a.trigger_date,
                days_left: a.days_left,
                source: a.source.short(),
                message: a.message,
            })
            .into_iter()
            .collect());
    }
    let rows: Vec<AlertRow> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT contract_id, contract_number, severity, trigger_date, days_left, source, message \
             FROM rm_alerts WHERE kind = $1 AND handled IS NULL \
             ORDER BY severity_rank, days_left, contract_number, contract_id, ordinal",
        )
        .bind(kind.slug())
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            Ok(DigestAlert {
                kind,
                severity: Severity::from_slug(&r.2).unwrap_or(Severity::Info),
                contract_id: Some(r.0),
                contract_number: Some(r.1),
                trigger_date: r
                    .3
                    .parse::<NaiveDate>()
                    .map_err(|e| StoreError::Invalid(format!("alert date {:?}: {e}", r.3)))?,
                days_left: r.4,
                source: r.5,
                message: r.6,
            })
        })
        .collect()
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub alerts: usize,
    pub new: usize,
    pub sent: usize,
    pub failed: usize,
}

/// The links' base: `ARRIENDO_PUBLIC_URL`, else `http://localhost` (set it in production).
pub fn base_url(app: &App) -> String {
    app.auth
        .public_url
        .as_ref()
        .map_or("http://localhost", url::Url::as_str)
        .trim_end_matches('/')
        .to_string()
}

/// Composes and sends `kind`'s digest now; `None` when there was nothing to send (inmediata with
/// no new alert, or a scheduled digest with no alert at all). Manual runs always send.
pub async fn send_digest(
    app: &App,
    mailer: &Mailer,
    settings: &KindSettings,
    trigger: Trigger,
    now: DateTime<Utc>,
) -> Result<Option<RunSummary>> {
    let kind = settings.kind;
    let mut alerts = alerts_of(&app.db, kind, now).await?;
    if settings.only_critical {
        alerts.retain(|a| a.severity == Severity::Danger);
    }
    let previous: HashSet<String> = settings.last_keys.iter().cloned().collect();
    let new = alerts
        .iter()
        .filter(|a| !previous.contains(&a.key()))
        .count();
    let nothing = match settings.schedule.frequency {
        Frequency::Immediate => new == 0,
        _ => alerts.is_empty(),
    };
    if nothing && trigger != Trigger::Manual {
        return Ok(None);
    }
    let company = crate::queries::empresa::title_line(&app.db).await;
    let base_url = base_url(app);
    let heading = Heading {
        kind,
        subject: settings.subject.as_deref(),
        company: company.as_deref(),
        base_url: &base_url,
    };
    let digest = compose(&heading, &alerts, &previous);
    let run_id = uuid::Uuid::now_v7().to_string();
    let mut summary = RunSummary {
        alerts: alerts.len(),
        new,
        ..Default::default()
    };
    for r in recipients::list(&app.db, Some(kind))
        .await?
        .into_iter()
        .filter(recipients::Recipient::receives)
    {
        let outcome = mailer.send(&r.email, &digest).await;
        if let Err(e) = &outcome {
            tracing::warn!(kind = kind.slug(), recipient = %r.email, error = %e, "alert digest not sent");
        }
        let entry = Entry {
            run_id: run_id.clone(),
            kind: kind.slug().to_string(),
            recipient: r.email.clone(),
            subject: digest.subject.clone(),
            status: if outcome.is_ok() {
                history::SENT
            } else {
                history::ERROR
            }
            .to_string(),
            error: outcome.as_ref().err().map(DigestError::to_string),
            alert_count: i64::try_from(alerts.len()).unwrap_or(i64::MAX),
            at: Utc::now(),
            trigger: trigger.slug().to_string(),
        };
        history::record(&app.db, &entry).await?;
        if outcome.is_ok() {
            summary.sent += 1;
        } else {
            summary.failed += 1;
        }
    }
    // What nobody was sent stays «new» for the next digest. A failed send is not retried: the history
    // shows the ERROR and «Enviar ahora» sends again.
    if summary.sent + summary.failed > 0 {
        let keys: Vec<String> = alerts.iter().map(DigestAlert::key).collect();
        settings::mark_sent(&app.db, kind, &keys, now).await?;
    }
    Ok(Some(summary))
}

/// Runs `kind` if it is on and due, after claiming the run; `None` when it did not run here.
pub async fn run_if_due(
    app: &App,
    mailer: &Mailer,
    kind: AlertKind,
    now: DateTime<Utc>,
) -> Result<Option<RunSummary>> {
    let settings = settings::load(&app.db, kind).await?;
    if !settings.enabled {
        return Ok(None);
    }
    let due = match settings.schedule.frequency {
        Frequency::Immediate => true,
        _ => is_due(
            &settings.schedule,
            now,
            settings.last_run_at,
            settings.updated_at,
        ),
    };
    if !due || !settings::claim_run(&app.db, kind, settings.last_run_at, now).await? {
        return Ok(None);
    }
    send_digest(app, mailer, &settings, Trigger::Scheduled, now).await
}

/// One scheduler tick: every kind of [`AlertKind::ALL`] that is due. A kind that fails is logged and
/// the others still run.
pub async fn tick(app: &App, mailer: &Mailer, now: DateTime<Utc>) -> Vec<(AlertKind, RunSummary)> {
    let mut done = Vec::new();
    for kind in AlertKind::ALL {
        match run_if_due(app, mailer, kind, now).await {
            Ok(Some(summary)) => done.push((kind, summary)),
            Ok(None) => {}
            Err(e) => tracing::error!(kind = kind.slug(), error = %e, "alert digest run failed"),
        }
    }
    done
}
