//! Alerts acknowledged or postponed (issue 16): the alerts themselves are computed (projections),
//! but what a person decided about one is a fact of the contract, recorded with who and why.
//!
//! An alert is named by its kind (the projections' `AlertKind::slug()`, e.g. `polizas-criticas`)
//! and its subject within the contract (the póliza, the period, the note…: see
//! `arriendo_projections::alerts::Alert::subject`). The latest decision about a (kind, subject)
//! replaces the earlier ones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::aggregate::Contrato;
use super::decide::required_text;
use super::event::ContratoEvent;
use crate::{Actor, DomainError};

/// How far ahead an alert may be postponed.
pub const MAX_POSTPONE_DAYS: i64 = 366;

/// What someone decided about one alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertDecision {
    /// Out of the panel until this date (it comes back on that day).
    Postponed { until: NaiveDate },
    /// Seen: out of the panel while the alert's date stays this one.
    Acknowledged { date: NaiveDate },
}

/// The latest decision about one alert of the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertHandling {
    pub kind: String,
    pub subject: String,
    pub decision: AlertDecision,
    pub note: String,
    pub by: String,
}

impl AlertHandling {
    /// Whether this decision keeps the alert (`kind`, `subject`, dated `trigger`) off the panel on
    /// `today`.
    pub fn hides(&self, trigger: NaiveDate, today: NaiveDate) -> bool {
        match self.decision {
            AlertDecision::Postponed { until } => today < until,
            AlertDecision::Acknowledged { date } => date == trigger,
        }
    }
}

impl Contrato {
    /// The latest decision about the alert (`kind`, `subject`), if any.
    pub fn alert_handling(&self, kind: &str, subject: &str) -> Option<&AlertHandling> {
        self.alert_decisions
            .iter()
            .find(|h| h.kind == kind && h.subject == subject)
    }

    pub(crate) fn record_alert_handling(&mut self, handling: AlertHandling) {
        self.alert_decisions
            .retain(|h| !(h.kind == handling.kind && h.subject == handling.subject));
        self.alert_decisions.push(handling);
    }

    fn alert_named(&self, kind: &str) -> Result<String, DomainError> {
        self.existing()?;
        let kind = kind.trim();
        if kind.is_empty() {
            return Err(DomainError::NoSuchAlert);
        }
        Ok(kind.to_string())
    }

    /// Postponed from `today` to `until` (after today, at most [`MAX_POSTPONE_DAYS`] ahead), with a note.
    pub(crate) fn postpone_alert(
        &self,
        actor: &Actor,
        (kind, subject): (String, String),
        today: NaiveDate,
        until: NaiveDate,
        note: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let kind = self.alert_named(&kind)?;
        let days = until.signed_duration_since(today).num_days();
        if !(1..=MAX_POSTPONE_DAYS).contains(&days) {
            return Err(DomainError::PostponeOutOfRange);
        }
        Ok(vec![ContratoEvent::AlertPostponed {
            kind,
            subject: subject.trim().to_string(),
            until,
            note: required_text(&note, "nota")?,
            by: actor.username.clone(),
        }])
    }

    /// Acknowledged while its date stays `date`, with a note.
    pub(crate) fn acknowledge_alert(
        &self,
        actor: &Actor,
        (kind, subject): (String, String),
        date: NaiveDate,
        note: String,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        let kind = self.alert_named(&kind)?;
        Ok(vec![ContratoEvent::AlertAcknowledged {
            kind,
            subject: subject.trim().to_string(),
            date,
            note: required_text(&note, "nota")?,
            by: actor.username.clone(),
        }])
    }
}
