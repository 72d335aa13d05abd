//! The clause checklist: which clauses of the catalog the signed contract contains.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::contrato::aggregate::Contrato;
use crate::contrato::event::ContratoEvent;
use crate::{Actor, DomainError};

/// The most clauses one checklist holds (the catalog has a few dozen).
pub const MAX_CHECKLIST: usize = 1_000;

impl Contrato {
    /// The whole list replaces the last one; the same set again records nothing. A repeated id
    /// is refused (a form never sends one twice).
    pub(super) fn record_checklist(
        &self,
        actor: &Actor,
        clause_ids: Vec<Uuid>,
    ) -> Result<Vec<ContratoEvent>, DomainError> {
        self.existing()?;
        if clause_ids.len() > MAX_CHECKLIST {
            return Err(DomainError::TooManyClauses { max: MAX_CHECKLIST });
        }
        let mut seen = BTreeSet::new();
        if let Some(repeated) = clause_ids.iter().find(|id| !seen.insert(**id)) {
            return Err(DomainError::DuplicateClause(repeated.to_string()));
        }
        let current: BTreeSet<Uuid> = self.clauses.iter().copied().collect();
        if seen == current {
            return Ok(vec![]);
        }
        Ok(vec![ContratoEvent::ClauseChecklistRecorded {
            clause_ids,
            by: actor.username.clone(),
        }])
    }
}
