//! Contrato: the contract and everything in its stream (one consistency boundary):
//! Otro Sí, renovaciones automáticas, pólizas, informes de ventas, ajustes and seguimientos.

mod adjustment;
mod aggregate;
mod alerts;
mod bounds;
mod coherence;
mod command;
mod decide;
mod documents;
mod event;
mod in_force;
mod month;
mod otro_si;
mod policies;
mod renewal;
mod sales_report;
mod seguimiento;
mod terms;
#[cfg(test)]
mod tests;
mod versions;

pub use adjustment::{CanonAdjustment, adjust_canon};
pub use aggregate::Contrato;
pub use alerts::{AlertDecision, AlertHandling, MAX_POSTPONE_DAYS};
pub use coherence::{
    Contradiction, Overlap, date_contradictions, duration_agrees, end_from_duration, first_overlap,
    overlaps, tercero_contradiction,
};
pub use command::ContratoCommand;
pub use documents::{Attachment, AttachmentSubject, Document};
pub use event::{ContratoEvent, TermsUpdate};
pub use otro_si::{OtroSi, OtroSiChanges, OtroSiNumber, OtroSiStatus};
pub use policies::{
    Cancellation, CumplimientoCover, PolicyKind, PolicyRequirement, Poliza, PolizaData,
    PolizaState, RceSublimits, RequiredBy,
};
pub use renewal::{Renewal, RenewalNumber, RenewalStatus};
pub use sales_report::{
    MonthReliquidacion, ReliquidacionCause, ReliquidacionMonth, SalesBilling, SalesReport,
    SalesReportStatus, bill_sales, signed_pesos,
};
pub use seguimiento::{Seguimiento, Termination};
pub use terms::{
    AdjustmentDate, AdjustmentIndex, AdjustmentRule, ContractKind, ContractTerms, GracePeriod,
    PaymentModality,
};
pub use versions::{ContratoPart, ContratoVersions};
