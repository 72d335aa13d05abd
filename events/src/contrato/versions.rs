//! Which version of a contract an edit was prepared from.
//!
//! A form shows one part of the stream (the base terms, one Otro Sí, one póliza, one month's sales
//! report) and sends back the version of that part it showed. The version of a part is the sequence
//! number of the last event that changed it (0 = never), counted by the aggregate itself in `apply`,
//! so it is exactly the stream's sequence that cqrs-es stores. An edit whose part changed since is
//! refused; events on other parts (a note, another month's report, another póliza) do not make it
//! stale, because they cannot be overwritten by it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::command::ContratoCommand;
use super::event::ContratoEvent;
use super::otro_si::OtroSiNumber;
use crate::{DomainError, YearMonth};

/// A part of a contract stream that an edit form shows and replaces on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContratoPart {
    /// The base terms, and whether the contract is terminated or deleted.
    Terms,
    OtroSi(OtroSiNumber),
    Poliza(Uuid),
    SalesReport(YearMonth),
    /// The clause checklist.
    Clauses,
}

/// The stream's version (its number of events) and the version of every part that has one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContratoVersions {
    /// Number of events in the stream = sequence of the last one.
    pub stream: u64,
    /// (part, sequence of the last event that changed it); a list because the keys are not strings.
    parts: Vec<(ContratoPart, u64)>,
}

impl ContratoVersions {
    /// The version of `part`: 0 when no event touched it yet.
    pub fn of(&self, part: ContratoPart) -> u64 {
        self.parts
            .iter()
            .find(|(p, _)| *p == part)
            .map_or(0, |(_, v)| *v)
    }

    /// Counts one more event, which changed `part` (if any).
    pub(crate) fn record(&mut self, part: Option<ContratoPart>) {
        self.stream = self.stream.saturating_add(1);
        let Some(part) = part else { return };
        match self.parts.iter_mut().find(|(p, _)| *p == part) {
            Some((_, v)) => *v = self.stream,
            None => self.parts.push((part, self.stream)),
        }
    }

    /// Refuses an edit prepared from another version of its part than the current one.
    pub(crate) fn check(&self, command: &ContratoCommand) -> Result<(), DomainError> {
        let Some((part, expected)) = command.expected_version() else {
            return Ok(());
        };
        if self.of(part) == expected {
            return Ok(());
        }
        Err(match part {
            ContratoPart::Terms => DomainError::ContratoChanged,
            ContratoPart::OtroSi(n) => DomainError::OtroSiChanged(n.to_string()),
            ContratoPart::Poliza(_) => DomainError::PolizaChanged,
            ContratoPart::SalesReport(period) => {
                DomainError::SalesReportChanged(period.to_string())
            }
            ContratoPart::Clauses => DomainError::ClausesChanged,
        })
    }
}

impl ContratoEvent {
    /// The part this event changes; `None` for appends that no edit form replaces
    /// (notes, renewals, canon adjustments).
    pub fn part(&self) -> Option<ContratoPart> {
        use ContratoEvent::*;
        match self {
            ContractCreated(_)
            | ContractTermsUpdated(_)
            | ContractTerminated(_)
            | ContractDeleted { .. } => Some(ContratoPart::Terms),
            OtroSiDrafted { number, .. }
            | OtroSiEdited { number, .. }
            | OtroSiDeleted { number }
            | OtroSiSubmitted { number, .. }
            | OtroSiApproved { number, .. }
            | OtroSiRejected { number, .. } => Some(ContratoPart::OtroSi(*number)),
            PolizaRegistered { id, .. }
            | PolizaUpdated { id, .. }
            | PolizaRenewed { id, .. }
            | PolizaCancelled { id, .. } => Some(ContratoPart::Poliza(*id)),
            SalesReportRegistered { period, .. }
            | SalesReportDelivered { period, .. }
            | SalesReportMarkedPending { period } => Some(ContratoPart::SalesReport(*period)),
            ClauseChecklistRecorded { .. } => Some(ContratoPart::Clauses),
            SeguimientoAdded(_)
            | SeguimientoCorrected { .. }
            | SeguimientoRetracted { .. }
            | PolizaSeguimientoAdded { .. }
            | PolizaSeguimientoCorrected { .. }
            | PolizaSeguimientoRetracted { .. }
            | RenewalProposed { .. }
            | RenewalApproved { .. }
            | RenewalAnnulled { .. }
            | CanonAdjusted(_)
            // Caused by a confirmed adjustment, never by an edit form: no form goes stale with it.
            | ReliquidacionRecorded { .. }
            // Documents are appended and withdrawn one by one: no form replaces them.
            | DocumentAttached(_)
            | DocumentRemoved { .. }
            // A decision about an alert replaces the previous one without a form to go stale.
            | AlertPostponed { .. }
            | AlertAcknowledged { .. } => None,
        }
    }
}

impl ContratoCommand {
    /// The same edit, carrying the version its part has in `state`: what a form prepared from
    /// `state` sends. For scripts (demo data, tests) that load the contract right before editing.
    pub fn prepared_from(mut self, state: &super::Contrato) -> Self {
        let Some((part, _)) = self.expected_version() else {
            return self;
        };
        let current = state.versions.of(part);
        use ContratoCommand::*;
        if let UpdateContractTerms {
            expected_version, ..
        }
        | EditOtroSi {
            expected_version, ..
        }
        | UpdatePoliza {
            expected_version, ..
        }
        | MarkSalesReportDelivered {
            expected_version, ..
        }
        | RecordClauseChecklist {
            expected_version, ..
        } = &mut self
        {
            *expected_version = current;
        }
        self
    }
}
