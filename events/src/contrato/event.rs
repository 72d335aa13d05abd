use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::adjustment::CanonAdjustment;
use super::documents::Attachment;
use super::otro_si::{OtroSiChanges, OtroSiNumber};
use super::policies::PolizaData;
use super::renewal::RenewalNumber;
use super::sales_report::{ReliquidacionCause, ReliquidacionMonth};
use super::seguimiento::{Seguimiento, Termination};
use super::terms::ContractTerms;
use crate::catalog::domain_event;
use crate::{DateRange, Money, YearMonth};

/// Everything that happens to a contract. Payloads are externally tagged: `{"OtroSiApproved": {...}}`.
/// `by` is the username of who did it (the app's metadata also records who and when).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ContratoEvent {
    ContractCreated(ContractTerms),
    /// An edit of the base terms with the reason given (1.1); edits of 1.0 have no reason.
    ContractTermsUpdated(TermsUpdate),
    SeguimientoAdded(Seguimiento),
    /// The text of note number `index` (from 0, in the order added) replaced; the original stays
    /// in the event that added it.
    SeguimientoCorrected {
        index: u32,
        note: String,
        by: String,
    },
    /// Note number `index` withdrawn, with the reason.
    SeguimientoRetracted {
        index: u32,
        reason: String,
        by: String,
    },
    ContractTerminated(Termination),
    ContractDeleted {
        reason: String,
        by: String,
    },
    /// The clauses the signed contract contains (the whole checklist, replacing the previous one).
    ClauseChecklistRecorded {
        clause_ids: Vec<Uuid>,
        by: String,
    },

    OtroSiDrafted {
        number: OtroSiNumber,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
        by: String,
    },
    OtroSiEdited {
        number: OtroSiNumber,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
    },
    OtroSiDeleted {
        number: OtroSiNumber,
    },
    OtroSiSubmitted {
        number: OtroSiNumber,
        by: String,
    },
    OtroSiApproved {
        number: OtroSiNumber,
        by: String,
    },
    OtroSiRejected {
        number: OtroSiNumber,
        reason: String,
        by: String,
    },

    RenewalProposed {
        number: RenewalNumber,
        previous_end: NaiveDate,
        new_end: NaiveDate,
        by: String,
    },
    RenewalApproved {
        number: RenewalNumber,
        by: String,
    },
    RenewalAnnulled {
        number: RenewalNumber,
        reason: String,
        by: String,
    },

    PolizaRegistered {
        id: Uuid,
        poliza: PolizaData,
    },
    PolizaUpdated {
        id: Uuid,
        poliza: PolizaData,
    },
    PolizaRenewed {
        id: Uuid,
        validity: DateRange,
    },
    PolizaCancelled {
        id: Uuid,
        date: NaiveDate,
        reason: String,
        by: String,
    },
    PolizaSeguimientoAdded {
        id: Uuid,
        seguimiento: Seguimiento,
    },
    /// The text of note `index` (from 0) of póliza `id` replaced.
    PolizaSeguimientoCorrected {
        id: Uuid,
        index: u32,
        note: String,
        by: String,
    },
    /// Note `index` of póliza `id` withdrawn, with the reason.
    PolizaSeguimientoRetracted {
        id: Uuid,
        index: u32,
        reason: String,
        by: String,
    },

    SalesReportRegistered {
        period: YearMonth,
        deadline: NaiveDate,
    },
    SalesReportDelivered {
        period: YearMonth,
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
        /// The amount billed for the month, fixed at delivery (1.1). Events of 1.0 lack it:
        /// the state computes it with the terms as of the delivery.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        billed: Option<Money>,
    },
    SalesReportMarkedPending {
        period: YearMonth,
    },

    CanonAdjusted(CanonAdjustment),
    /// Delivered months whose amount a canon adjustment changed: the difference per month.
    ReliquidacionRecorded {
        cause: ReliquidacionCause,
        months: Vec<ReliquidacionMonth>,
        by: String,
    },

    DocumentAttached(Attachment),
    /// `file_name` repeats the document's, so the event reads on its own in the history.
    DocumentRemoved {
        id: Uuid,
        file_name: String,
        reason: String,
        by: String,
    },

    /// An alert (kind slug and subject, see `contrato::alerts`) set aside until `until`, with a note.
    AlertPostponed {
        kind: String,
        subject: String,
        until: NaiveDate,
        note: String,
        by: String,
    },
    /// An alert seen and being handled: off the panel while its date stays `date`.
    AlertAcknowledged {
        kind: String,
        subject: String,
        date: NaiveDate,
        note: String,
        by: String,
    },
}

const TERMS: [&str; 21] = [
    "number",
    "kind",
    "purpose",
    "tercero_id",
    "local_id",
    "signing_date",
    "start_date",
    "initial_duration_months",
    "end_date",
    "automatic_extension",
    "preaviso_days",
    "early_termination_notice_days",
    "modality",
    "sales_report_due_day",
    "adjustment",
    "grace_period",
    "required_policies",
    "penalty_clause",
    "late_payment_interest",
    "signed_document_url",
    "type_id",
];

/// The terms' fields and the reason of an edit (`ContractTermsUpdated` 1.1).
const TERMS_AND_REASON: [&str; TERMS.len() + 1] = {
    let mut all = [""; TERMS.len() + 1];
    let mut i = 0;
    while i < TERMS.len() {
        all[i] = TERMS[i];
        i += 1;
    }
    all[TERMS.len()] = "reason";
    all
};

/// An edit of the base terms: the terms as they stand afterwards and why they changed («motivo»).
/// The terms' fields stay at the top of the payload, as in 1.0 (`{"ContractTermsUpdated":
/// {"number": …, …, "reason": …}}`), so what reads the number there (the uniqueness triggers)
/// reads both versions alike; a 1.0 payload reads with an empty reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermsUpdate {
    #[serde(flatten)]
    pub terms: ContractTerms,
    #[serde(default)]
    pub reason: String,
}

domain_event!(ContratoEvent, "contrato", {
    ContractCreated => "1.0", &TERMS;
    ContractTermsUpdated => "1.1", &TERMS_AND_REASON;
    SeguimientoAdded => "1.1", &["date", "author", "note", "follow_up"];
    SeguimientoCorrected => "1.0", &["index", "note", "by"];
    SeguimientoRetracted => "1.0", &["index", "reason", "by"];
    ContractTerminated => "1.0", &["date", "reason", "by"];
    ContractDeleted => "1.0", &["reason", "by"];
    ClauseChecklistRecorded => "1.0", &["clause_ids", "by"];
    OtroSiDrafted => "1.0", &["number", "effective_from", "effective_to", "changes", "description", "by"];
    OtroSiEdited => "1.0", &["number", "effective_from", "effective_to", "changes", "description"];
    OtroSiDeleted => "1.0", &["number"];
    OtroSiSubmitted => "1.0", &["number", "by"];
    OtroSiApproved => "1.0", &["number", "by"];
    OtroSiRejected => "1.0", &["number", "reason", "by"];
    RenewalProposed => "1.0", &["number", "previous_end", "new_end", "by"];
    RenewalApproved => "1.0", &["number", "by"];
    RenewalAnnulled => "1.0", &["number", "reason", "by"];
    PolizaRegistered => "1.0", &["id", "poliza"];
    PolizaUpdated => "1.0", &["id", "poliza"];
    PolizaRenewed => "1.0", &["id", "validity"];
    PolizaCancelled => "1.0", &["id", "date", "reason", "by"];
    PolizaSeguimientoAdded => "1.1", &["id", "seguimiento"];
    PolizaSeguimientoCorrected => "1.0", &["id", "index", "note", "by"];
    PolizaSeguimientoRetracted => "1.0", &["id", "index", "reason", "by"];
    SalesReportRegistered => "1.0", &["period", "deadline"];
    SalesReportDelivered => "1.1", &["period", "date", "gross_sales", "returns", "billed"];
    SalesReportMarkedPending => "1.0", &["period"];
    CanonAdjusted => "1.0", &["year", "rule", "index_value", "increase", "previous_canon", "new_canon", "effective_date", "by"];
    ReliquidacionRecorded => "1.0", &["cause", "months", "by"];
    DocumentAttached => "1.0", &["id", "subject", "file", "description", "by"];
    DocumentRemoved => "1.0", &["id", "file_name", "reason", "by"];
    AlertPostponed => "1.0", &["kind", "subject", "until", "note", "by"];
    AlertAcknowledged => "1.0", &["kind", "subject", "date", "note", "by"];
});
