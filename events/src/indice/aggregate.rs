use serde::{Deserialize, Serialize};

use super::{IndexKind, IndiceCommand, IndiceEvent};
use crate::catalog::aggregate_via_decide;
use crate::values::YEARS;
use crate::{DomainError, Percentage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexValue {
    pub year: i32,
    pub value: Percentage,
}

/// The current yearly values of one index, sorted by year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Indice {
    pub kind: Option<IndexKind>,
    pub values: Vec<IndexValue>,
}

impl Indice {
    pub fn value_for(&self, year: i32) -> Option<Percentage> {
        self.values.iter().find(|v| v.year == year).map(|v| v.value)
    }

    pub fn decide(&self, command: IndiceCommand) -> Result<Vec<IndiceEvent>, DomainError> {
        let (actor, kind, year, value, seen) = match command {
            IndiceCommand::RecordIndexValue {
                actor,
                kind,
                year,
                value,
            } => (actor, kind, year, value, None),
            IndiceCommand::ReviseIndexValue {
                actor,
                kind,
                year,
                value,
                seen,
            } => (actor, kind, year, value, Some(seen)),
        };
        actor.require_write()?;
        if let Some(own) = self.kind
            && own != kind
        {
            return Err(DomainError::WrongIndexKind(own.to_string()));
        }
        if !YEARS.contains(&year) {
            return Err(DomainError::InvalidYear(year));
        }
        let previous = self.value_for(year);
        if seen.is_some_and(|seen| seen != previous) {
            return Err(DomainError::IndiceChanged(year));
        }
        if previous == Some(value) {
            return Ok(vec![]);
        }
        let event = IndiceEvent::IndexValueRecorded {
            kind,
            year,
            value,
            previous,
            by: actor.username,
        };
        event.check_bounds()?;
        Ok(vec![event])
    }

    pub fn apply_event(&mut self, event: IndiceEvent) {
        let IndiceEvent::IndexValueRecorded {
            kind, year, value, ..
        } = event;
        self.kind = Some(kind);
        match self.values.iter_mut().find(|v| v.year == year) {
            Some(existing) => existing.value = value,
            None => {
                self.values.push(IndexValue { year, value });
                self.values.sort_by_key(|v| v.year);
            }
        }
    }
}

aggregate_via_decide!(Indice, "indice", IndiceCommand, IndiceEvent);
