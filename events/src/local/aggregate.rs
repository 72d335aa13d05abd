use serde::{Deserialize, Serialize};

use super::{LocalCommand, LocalData, LocalEvent};
use crate::DomainError;
use crate::catalog::aggregate_via_decide;

/// State of one local stream (aggregate id: the local's uuid).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Local {
    pub data: Option<LocalData>,
    /// Number of events applied = sequence of the last one; an update must carry it.
    #[serde(default)]
    pub version: u64,
}

impl Local {
    /// No event leaves with a value out of its range (`LocalData::check_bounds`).
    pub fn decide(&self, command: LocalCommand) -> Result<Vec<LocalEvent>, DomainError> {
        command.actor().require_write()?;
        let events = self.decide_rules(command)?;
        events.iter().try_for_each(LocalEvent::check_bounds)?;
        Ok(events)
    }

    fn decide_rules(&self, command: LocalCommand) -> Result<Vec<LocalEvent>, DomainError> {
        match command {
            LocalCommand::RegisterLocal { data, .. } => {
                if let Some(existing) = &self.data {
                    return Err(DomainError::LocalAlreadyRegistered(existing.name.clone()));
                }
                data.validate()?;
                Ok(vec![LocalEvent::LocalRegistered(data)])
            }
            LocalCommand::UpdateLocal {
                data,
                expected_version,
                ..
            } => {
                let current = self.data.as_ref().ok_or(DomainError::LocalNotFound)?;
                if expected_version != self.version {
                    return Err(DomainError::LocalChanged);
                }
                data.validate()?;
                if *current == data {
                    return Ok(vec![]);
                }
                Ok(vec![LocalEvent::LocalUpdated(data)])
            }
        }
    }

    pub fn apply_event(&mut self, event: LocalEvent) {
        self.version = self.version.saturating_add(1);
        match event {
            LocalEvent::LocalRegistered(data) | LocalEvent::LocalUpdated(data) => {
                self.data = Some(data)
            }
        }
    }
}

aggregate_via_decide!(Local, "local", LocalCommand, LocalEvent);
