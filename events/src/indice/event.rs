use serde::{Deserialize, Serialize};

use super::IndexKind;
use crate::Percentage;
use crate::catalog::domain_event;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IndiceEvent {
    /// `previous` is the value it replaces, when it is a correction.
    IndexValueRecorded {
        kind: IndexKind,
        year: i32,
        value: Percentage,
        previous: Option<Percentage>,
        by: String,
    },
}

impl IndiceEvent {
    /// The year within the accepted years (the value is bounded by its type).
    pub fn check_bounds(&self) -> Result<(), crate::DomainError> {
        let IndiceEvent::IndexValueRecorded { year, .. } = self;
        if crate::values::YEARS.contains(year) {
            Ok(())
        } else {
            Err(crate::DomainError::InvalidYear(*year))
        }
    }
}

domain_event!(IndiceEvent, "indice", {
    IndexValueRecorded => "1.0", &["kind", "year", "value", "previous", "by"];
});
