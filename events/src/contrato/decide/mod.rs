//! All the business rules of a contract: a pure function from (state, command) to new events.

mod adjustment;
mod checklist;
mod contract;
mod document;
mod imported;
mod otro_si;
mod poliza;
mod renewal;
mod sales_report;

pub(crate) use checklist::MAX_CHECKLIST;

use super::aggregate::Contrato;
use super::command::ContratoCommand;
use super::event::ContratoEvent;
use super::terms::ContractTerms;
use crate::DomainError;

impl Contrato {
    /// Decides what happens. Auditors are refused on every command; no event leaves with a value
    /// out of its range (`ContratoEvent::check_bounds`), whatever the command computed.
    pub fn decide(&self, command: ContratoCommand) -> Result<Vec<ContratoEvent>, DomainError> {
        command.actor().require_write()?;
        self.versions.check(&command)?;
        let events = self.decide_rules(command)?;
        events.iter().try_for_each(ContratoEvent::check_bounds)?;
        Ok(events)
    }

    fn decide_rules(&self, command: ContratoCommand) -> Result<Vec<ContratoEvent>, DomainError> {
        use ContratoCommand::*;
        match command {
            CreateContract { terms, .. } => self.create(terms),
            UpdateContractTerms { terms, reason, .. } => self.update_terms(terms, reason),
            AddSeguimiento {
                actor,
                date,
                note,
                follow_up,
            } => self.add_seguimiento(&actor, date, note, follow_up),
            CorrectSeguimiento { actor, index, note } => {
                self.correct_seguimiento(&actor, index, note)
            }
            RetractSeguimiento {
                actor,
                index,
                reason,
            } => self.retract_seguimiento(&actor, index, reason),
            TerminateContract {
                actor,
                date,
                reason,
            } => self.terminate(&actor, date, reason),
            DeleteContract { actor, reason } => self.delete(&actor, reason),
            RecordClauseChecklist {
                actor, clause_ids, ..
            } => self.record_checklist(&actor, clause_ids),

            DraftOtroSi {
                actor,
                effective_from,
                effective_to,
                changes,
                description,
            } => self.draft_otro_si(&actor, effective_from, effective_to, changes, description),
            EditOtroSi {
                number,
                effective_from,
                effective_to,
                changes,
                description,
                ..
            } => self.edit_otro_si(number, effective_from, effective_to, changes, description),
            DeleteOtroSi { number, .. } => self.delete_otro_si(number),
            SubmitOtroSi { actor, number } => self.submit_otro_si(&actor, number),
            ApproveOtroSi { actor, number } => self.approve_otro_si(&actor, number),
            RejectOtroSi {
                actor,
                number,
                reason,
            } => self.reject_otro_si(&actor, number, reason),

            ProposeRenewal { actor } => self.propose_renewal(&actor, None),
            ProposeRenewalForMonths { actor, months } => self.propose_renewal(&actor, Some(months)),
            ApproveRenewal { actor, number } => self.approve_renewal(&actor, number),
            AnnulRenewal {
                actor,
                number,
                reason,
            } => self.annul_renewal(&actor, number, reason),

            RegisterPoliza { id, poliza, .. } => self.register_poliza(id, poliza),
            UpdatePoliza { id, poliza, .. } => self.update_poliza(id, poliza),
            RenewPoliza { id, validity, .. } => self.renew_poliza(id, validity),
            CancelPoliza {
                actor,
                id,
                date,
                reason,
            } => self.cancel_poliza(&actor, id, date, reason),
            AddPolizaSeguimiento {
                actor,
                id,
                date,
                note,
                follow_up,
            } => self.add_poliza_seguimiento(&actor, id, date, note, follow_up),
            CorrectPolizaSeguimiento {
                actor,
                id,
                index,
                note,
            } => self.correct_poliza_seguimiento(&actor, id, index, note),
            RetractPolizaSeguimiento {
                actor,
                id,
                index,
                reason,
            } => self.retract_poliza_seguimiento(&actor, id, index, reason),

            RegisterSalesReport {
                period, deadline, ..
            } => self.register_sales_report(period, deadline),
            MarkSalesReportDelivered {
                period,
                date,
                gross_sales,
                returns,
                ..
            } => self.mark_sales_report_delivered(period, date, gross_sales, returns),
            MarkSalesReportPending { period, .. } => self.mark_sales_report_pending(period),
            RecordBilledSalesReport {
                period,
                date,
                gross_sales,
                returns,
                billed,
                ..
            } => self.record_billed_sales_report(period, date, gross_sales, returns, billed),

            RecordCanonAdjustment {
                actor,
                year,
                index_value,
                effective_date,
            } => self.record_canon_adjustment(&actor, year, index_value, effective_date),
            RecordPastCanonAdjustment {
                actor,
                year,
                index_value,
                increase,
                previous_canon,
                new_canon,
                effective_date,
            } => self.record_past_canon_adjustment(
                &actor,
                year,
                index_value,
                increase,
                (previous_canon, new_canon),
                effective_date,
            ),

            AttachDocument {
                actor,
                id,
                subject,
                file,
                description,
            } => self.attach_document(&actor, id, subject, file, description),
            RemoveDocument { actor, id, reason } => self.remove_document(&actor, id, reason),
            PostponeAlert {
                actor,
                kind,
                subject,
                today,
                until,
                note,
            } => self.postpone_alert(&actor, (kind, subject), today, until, note),
            AcknowledgeAlert {
                actor,
                kind,
                subject,
                date,
                note,
            } => self.acknowledge_alert(&actor, (kind, subject), date, note),
        }
    }

    /// The terms of a contract that exists and was not deleted.
    pub(crate) fn existing(&self) -> Result<&ContractTerms, DomainError> {
        let terms = self.terms.as_ref().ok_or(DomainError::ContractNotFound)?;
        if self.deleted.is_some() {
            return Err(DomainError::ContractDeleted(terms.number.clone()));
        }
        Ok(terms)
    }

    /// The terms of a contract that exists and was not terminated.
    pub(crate) fn active(&self) -> Result<&ContractTerms, DomainError> {
        let terms = self.existing()?;
        if self.terminated.is_some() {
            return Err(DomainError::ContractTerminated(terms.number.clone()));
        }
        Ok(terms)
    }
}

pub(crate) fn required_text(text: &str, field: &'static str) -> Result<String, DomainError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err(DomainError::Required(field))
    } else {
        Ok(trimmed.to_string())
    }
}
