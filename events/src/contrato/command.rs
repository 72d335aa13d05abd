use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::documents::AttachmentSubject;
use super::otro_si::{OtroSiChanges, OtroSiNumber};
use super::policies::PolizaData;
use super::renewal::RenewalNumber;
use super::terms::ContractTerms;
use super::versions::ContratoPart;
use crate::{Actor, DateRange, Money, Percentage, StoredFile, YearMonth};

/// Everything that can be asked of a contract. Dates such as "today" are given by the app
/// (America/Bogota), never read from a clock here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ContratoCommand {
    // ----- the contract -----
    CreateContract {
        actor: Actor,
        terms: ContractTerms,
    },
    /// Edits the base terms; refused after termination.
    UpdateContractTerms {
        actor: Actor,
        terms: ContractTerms,
        /// The version of the terms the form showed (see [`ContratoPart`]).
        expected_version: u64,
        /// Why the terms change («motivo»): required, kept in the event and shown to auditors.
        reason: String,
    },
    /// `follow_up`: the day to act again (a reminder), not before the note's date.
    AddSeguimiento {
        actor: Actor,
        date: NaiveDate,
        note: String,
        follow_up: Option<NaiveDate>,
    },
    /// Replaces the text of note `index` (from 0); refused once it is withdrawn.
    CorrectSeguimiento {
        actor: Actor,
        index: u32,
        note: String,
    },
    /// Withdraws note `index` with a reason; the note stays, marked.
    RetractSeguimiento {
        actor: Actor,
        index: u32,
        reason: String,
    },
    TerminateContract {
        actor: Actor,
        date: NaiveDate,
        reason: String,
    },
    /// Only an administrador; the stream stays, everything else is refused afterwards.
    DeleteContract {
        actor: Actor,
        reason: String,
    },
    /// The clauses the contract contains, replacing the last checklist. The app checks every id
    /// names a clause of the catalog; missing mandatory clauses are allowed (and flagged).
    RecordClauseChecklist {
        actor: Actor,
        clause_ids: Vec<Uuid>,
        /// The version of the checklist the form showed.
        expected_version: u64,
    },

    // ----- Otro Sí -----
    /// Gets the next number `OS-n`.
    DraftOtroSi {
        actor: Actor,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
    },
    /// Only in borrador.
    EditOtroSi {
        actor: Actor,
        number: OtroSiNumber,
        effective_from: NaiveDate,
        effective_to: Option<NaiveDate>,
        changes: OtroSiChanges,
        description: String,
        expected_version: u64,
    },
    /// Only the last one, and only when not approved.
    DeleteOtroSi {
        actor: Actor,
        number: OtroSiNumber,
    },
    /// borrador → en revisión.
    SubmitOtroSi {
        actor: Actor,
        number: OtroSiNumber,
    },
    /// en revisión → aprobado; only an administrador.
    ApproveOtroSi {
        actor: Actor,
        number: OtroSiNumber,
    },
    /// en revisión → rechazado; only an administrador.
    RejectOtroSi {
        actor: Actor,
        number: OtroSiNumber,
        reason: String,
    },

    // ----- renovación automática -----
    /// Gets the next number `RA-n`; only with prórroga automática.
    ProposeRenewal {
        actor: Actor,
    },
    /// Like `ProposeRenewal`, for a renewal agreed for `months` months rather than the
    /// duration in force (the old system let users choose; imports keep what was agreed).
    ProposeRenewalForMonths {
        actor: Actor,
        months: u32,
    },
    /// Only an administrador.
    ApproveRenewal {
        actor: Actor,
        number: RenewalNumber,
    },
    /// Only the last renewal that is not annulled.
    AnnulRenewal {
        actor: Actor,
        number: RenewalNumber,
        reason: String,
    },

    // ----- pólizas -----
    /// `id` is chosen by the app (a new uuid).
    RegisterPoliza {
        actor: Actor,
        id: Uuid,
        poliza: PolizaData,
    },
    UpdatePoliza {
        actor: Actor,
        id: Uuid,
        poliza: PolizaData,
        expected_version: u64,
    },
    /// A new validity; the póliza's state becomes `Prorroga`.
    RenewPoliza {
        actor: Actor,
        id: Uuid,
        validity: DateRange,
    },
    CancelPoliza {
        actor: Actor,
        id: Uuid,
        date: NaiveDate,
        reason: String,
    },
    /// `follow_up`: the day to act again (a reminder), not before the note's date.
    AddPolizaSeguimiento {
        actor: Actor,
        id: Uuid,
        date: NaiveDate,
        note: String,
        follow_up: Option<NaiveDate>,
    },
    /// Replaces the text of note `index` (from 0) of póliza `id`.
    CorrectPolizaSeguimiento {
        actor: Actor,
        id: Uuid,
        index: u32,
        note: String,
    },
    /// Withdraws note `index` of póliza `id` with a reason.
    RetractPolizaSeguimiento {
        actor: Actor,
        id: Uuid,
        index: u32,
        reason: String,
    },

    // ----- informes de ventas -----
    /// Only variable / híbrido; one per month. Without a deadline, it is the contract's due day
    /// of the following month.
    RegisterSalesReport {
        actor: Actor,
        period: YearMonth,
        deadline: Option<NaiveDate>,
    },
    /// Also corrects the figures of a delivered report, hence the expected version.
    MarkSalesReportDelivered {
        actor: Actor,
        period: YearMonth,
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
        expected_version: u64,
    },
    MarkSalesReportPending {
        actor: Actor,
        period: YearMonth,
    },
    /// A delivery billed outside Arriendo (an import): the amount billed is a fact and is kept
    /// as given; the same rules as a delivery otherwise.
    RecordBilledSalesReport {
        actor: Actor,
        period: YearMonth,
        date: NaiveDate,
        gross_sales: Money,
        returns: Money,
        billed: Money,
    },

    // ----- ajuste anual -----
    /// The domain computes the previous canon (in force on the effective date) and the new one.
    RecordCanonAdjustment {
        actor: Actor,
        year: i32,
        index_value: Percentage,
        effective_date: NaiveDate,
    },
    /// An adjustment applied outside Arriendo (an import), recorded with the increase and the
    /// canons it was applied with: the rent the tenant was charged is a fact. The year rules
    /// of `RecordCanonAdjustment` hold, except that earlier years the old system never applied
    /// do not block it.
    RecordPastCanonAdjustment {
        actor: Actor,
        year: i32,
        index_value: Percentage,
        increase: Decimal,
        previous_canon: Money,
        new_canon: Money,
        effective_date: NaiveDate,
    },

    // ----- documentos -----
    /// `id` is the new document's (chosen by the app); the file is already in the document store.
    AttachDocument {
        actor: Actor,
        id: Uuid,
        subject: AttachmentSubject,
        file: StoredFile,
        description: String,
    },
    /// Withdraws a document with a reason; the file and its history stay.
    RemoveDocument {
        actor: Actor,
        id: Uuid,
        reason: String,
    },
    /// Sets an alert aside from `today` until `until` (kind slug and subject, see `contrato::alerts`).
    PostponeAlert {
        actor: Actor,
        kind: String,
        subject: String,
        today: NaiveDate,
        until: NaiveDate,
        note: String,
    },
    /// Marks an alert as seen while its date stays `date`.
    AcknowledgeAlert {
        actor: Actor,
        kind: String,
        subject: String,
        date: NaiveDate,
        note: String,
    },
}

impl ContratoCommand {
    /// For an edit: the part it replaces and the version of that part the user saw.
    /// Appends (notes, new documents, workflow steps checked by status) carry none.
    pub fn expected_version(&self) -> Option<(ContratoPart, u64)> {
        use ContratoCommand::*;
        match self {
            UpdateContractTerms {
                expected_version, ..
            } => Some((ContratoPart::Terms, *expected_version)),
            EditOtroSi {
                number,
                expected_version,
                ..
            } => Some((ContratoPart::OtroSi(*number), *expected_version)),
            UpdatePoliza {
                id,
                expected_version,
                ..
            } => Some((ContratoPart::Poliza(*id), *expected_version)),
            MarkSalesReportDelivered {
                period,
                expected_version,
                ..
            } => Some((ContratoPart::SalesReport(*period), *expected_version)),
            RecordClauseChecklist {
                expected_version, ..
            } => Some((ContratoPart::Clauses, *expected_version)),
            _ => None,
        }
    }

    pub fn actor(&self) -> &Actor {
        use ContratoCommand::*;
        match self {
            CreateContract { actor, .. }
            | UpdateContractTerms { actor, .. }
            | AddSeguimiento { actor, .. }
            | CorrectSeguimiento { actor, .. }
            | RetractSeguimiento { actor, .. }
            | TerminateContract { actor, .. }
            | DeleteContract { actor, .. }
            | RecordClauseChecklist { actor, .. }
            | DraftOtroSi { actor, .. }
            | EditOtroSi { actor, .. }
            | DeleteOtroSi { actor, .. }
            | SubmitOtroSi { actor, .. }
            | ApproveOtroSi { actor, .. }
            | RejectOtroSi { actor, .. }
            | ProposeRenewal { actor }
            | ProposeRenewalForMonths { actor, .. }
            | ApproveRenewal { actor, .. }
            | AnnulRenewal { actor, .. }
            | RegisterPoliza { actor, .. }
            | UpdatePoliza { actor, .. }
            | RenewPoliza { actor, .. }
            | CancelPoliza { actor, .. }
            | AddPolizaSeguimiento { actor, .. }
            | CorrectPolizaSeguimiento { actor, .. }
            | RetractPolizaSeguimiento { actor, .. }
            | RegisterSalesReport { actor, .. }
            | MarkSalesReportDelivered { actor, .. }
            | MarkSalesReportPending { actor, .. }
            | RecordBilledSalesReport { actor, .. }
            | RecordCanonAdjustment { actor, .. }
            | RecordPastCanonAdjustment { actor, .. }
            | AttachDocument { actor, .. }
            | RemoveDocument { actor, .. }
            | PostponeAlert { actor, .. }
            | AcknowledgeAlert { actor, .. } => actor,
        }
    }
}
