use serde::{Deserialize, Serialize};

use super::{TerceroCommand, TerceroData, TerceroEvent};
use crate::DomainError;
use crate::catalog::aggregate_via_decide;

/// State of one tercero stream (aggregate id: the tercero's uuid).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tercero {
    pub data: Option<TerceroData>,
    /// Number of events applied = sequence of the last one; an update must carry it.
    #[serde(default)]
    pub version: u64,
}

impl Tercero {
    /// No event leaves with a value out of its range (`TerceroData::check_bounds`).
    pub fn decide(&self, command: TerceroCommand) -> Result<Vec<TerceroEvent>, DomainError> {
        command.actor().require_write()?;
        let events = self.decide_rules(command)?;
        events.iter().try_for_each(TerceroEvent::check_bounds)?;
        Ok(events)
    }

    fn decide_rules(&self, command: TerceroCommand) -> Result<Vec<TerceroEvent>, DomainError> {
        match command {
            TerceroCommand::RegisterTercero { data, .. } => {
                if let Some(existing) = &self.data {
                    return Err(DomainError::TerceroAlreadyRegistered(
                        existing.nit.to_string(),
                    ));
                }
                data.validate()?;
                Ok(vec![TerceroEvent::TerceroRegistered(data)])
            }
            TerceroCommand::UpdateTercero {
                data,
                expected_version,
                ..
            } => {
                let current = self.data.as_ref().ok_or(DomainError::TerceroNotFound)?;
                if expected_version != self.version {
                    return Err(DomainError::TerceroChanged);
                }
                data.validate()?;
                if *current == data {
                    return Ok(vec![]);
                }
                Ok(vec![TerceroEvent::TerceroUpdated(data)])
            }
        }
    }

    pub fn apply_event(&mut self, event: TerceroEvent) {
        self.version = self.version.saturating_add(1);
        match event {
            TerceroEvent::TerceroRegistered(data) | TerceroEvent::TerceroUpdated(data) => {
                self.data = Some(data);
            }
        }
    }
}

aggregate_via_decide!(Tercero, "tercero", TerceroCommand, TerceroEvent);
