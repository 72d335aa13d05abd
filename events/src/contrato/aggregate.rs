//! The state of one contract stream (aggregate id: the contract's uuid) and how events change it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::adjustment::CanonAdjustment;
use super::alerts::{AlertDecision, AlertHandling};
use super::documents::Document;
use super::event::ContratoEvent;
use super::otro_si::{OtroSi, OtroSiNumber, OtroSiStatus};
use super::policies::{Cancellation, Poliza, PolizaState};
use super::renewal::{Renewal, RenewalNumber, RenewalStatus};
use super::sales_report::{MonthReliquidacion, SalesBilling, SalesReport, SalesReportStatus};
use super::seguimiento::{Seguimiento, Termination};
use super::terms::ContractTerms;
use super::versions::ContratoVersions;
use crate::YearMonth;
use crate::catalog::aggregate_via_decide;

/// A contract with everything that lives in its stream: amendments, renewals, pólizas,
/// sales reports, canon adjustments and follow-up notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contrato {
    /// `None` until the contract is created.
    pub terms: Option<ContractTerms>,
    pub otro_si: Vec<OtroSi>,
    pub renovaciones: Vec<Renewal>,
    pub polizas: Vec<Poliza>,
    pub informes_ventas: Vec<SalesReport>,
    pub ajustes: Vec<CanonAdjustment>,
    pub seguimientos: Vec<Seguimiento>,
    pub terminated: Option<Termination>,
    /// The reason, when an administrador deleted it.
    pub deleted: Option<String>,
    /// Attached documents, withdrawn ones included.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The clauses of the catalog the contract contains (its last checklist).
    #[serde(default)]
    pub clauses: Vec<Uuid>,
    /// What people decided about its alerts (acknowledged, postponed): the latest per alert.
    #[serde(default)]
    pub alert_decisions: Vec<AlertHandling>,
    /// Counted in `apply`: what an edit's expected version is checked against.
    #[serde(default)]
    pub versions: ContratoVersions,
}

impl Contrato {
    pub fn find_otro_si(&self, number: OtroSiNumber) -> Option<&OtroSi> {
        self.otro_si.iter().find(|o| o.number == number)
    }

    pub fn find_renewal(&self, number: RenewalNumber) -> Option<&Renewal> {
        self.renovaciones.iter().find(|r| r.number == number)
    }

    pub fn find_poliza(&self, id: Uuid) -> Option<&Poliza> {
        self.polizas.iter().find(|p| p.id == id)
    }

    pub fn find_sales_report(&self, period: YearMonth) -> Option<&SalesReport> {
        self.informes_ventas.iter().find(|r| r.period == period)
    }

    /// The contract number, or an empty string before creation.
    pub fn number(&self) -> &str {
        self.terms.as_ref().map_or("", |t| t.number.as_str())
    }

    fn otro_si_mut(&mut self, number: OtroSiNumber) -> Option<&mut OtroSi> {
        self.otro_si.iter_mut().find(|o| o.number == number)
    }

    fn renewal_mut(&mut self, number: RenewalNumber) -> Option<&mut Renewal> {
        self.renovaciones.iter_mut().find(|r| r.number == number)
    }

    fn poliza_mut(&mut self, id: Uuid) -> Option<&mut Poliza> {
        self.polizas.iter_mut().find(|p| p.id == id)
    }

    fn sales_report_mut(&mut self, period: YearMonth) -> Option<&mut SalesReport> {
        self.informes_ventas.iter_mut().find(|r| r.period == period)
    }

    /// Applies one recorded event. Never fails: events are facts.
    pub fn apply_event(&mut self, event: ContratoEvent) {
        use ContratoEvent::*;
        self.versions.record(event.part());
        match event {
            ContractCreated(terms) => self.terms = Some(terms),
            ContractTermsUpdated(update) => self.terms = Some(update.terms),
            SeguimientoAdded(seguimiento) => self.seguimientos.push(seguimiento),
            SeguimientoCorrected { index, note, by } => {
                if let Some(s) = usize::try_from(index)
                    .ok()
                    .and_then(|i| self.seguimientos.get_mut(i))
                {
                    s.note = note;
                    s.corrected_by = Some(by);
                }
            }
            SeguimientoRetracted { index, reason, by } => {
                if let Some(s) = usize::try_from(index)
                    .ok()
                    .and_then(|i| self.seguimientos.get_mut(i))
                {
                    s.retracted = Some(super::seguimiento::Retraction { reason, by });
                }
            }
            ContractTerminated(termination) => self.terminated = Some(termination),
            ContractDeleted { reason, .. } => self.deleted = Some(reason),
            ClauseChecklistRecorded { clause_ids, .. } => self.clauses = clause_ids,

            OtroSiDrafted {
                number,
                effective_from,
                effective_to,
                changes,
                description,
                by,
            } => {
                self.otro_si.push(OtroSi {
                    number,
                    effective_from,
                    effective_to,
                    changes,
                    description,
                    status: OtroSiStatus::Borrador,
                    drafted_by: by,
                    submitted_by: None,
                    decided_by: None,
                    rejection_reason: None,
                });
            }
            OtroSiEdited {
                number,
                effective_from,
                effective_to,
                changes,
                description,
            } => {
                if let Some(o) = self.otro_si_mut(number) {
                    o.effective_from = effective_from;
                    o.effective_to = effective_to;
                    o.changes = changes;
                    o.description = description;
                }
            }
            OtroSiDeleted { number } => self.otro_si.retain(|o| o.number != number),
            OtroSiSubmitted { number, by } => {
                if let Some(o) = self.otro_si_mut(number) {
                    o.status = OtroSiStatus::EnRevision;
                    o.submitted_by = Some(by);
                }
            }
            OtroSiApproved { number, by } => {
                if let Some(o) = self.otro_si_mut(number) {
                    o.status = OtroSiStatus::Aprobado;
                    o.decided_by = Some(by);
                }
            }
            OtroSiRejected { number, reason, by } => {
                if let Some(o) = self.otro_si_mut(number) {
                    o.status = OtroSiStatus::Rechazado;
                    o.decided_by = Some(by);
                    o.rejection_reason = Some(reason);
                }
            }

            RenewalProposed {
                number,
                previous_end,
                new_end,
                by,
            } => self.renovaciones.push(Renewal {
                number,
                previous_end,
                new_end,
                status: RenewalStatus::Propuesta,
                proposed_by: by,
                approved_by: None,
                annulment_reason: None,
            }),
            RenewalApproved { number, by } => {
                if let Some(r) = self.renewal_mut(number) {
                    r.status = RenewalStatus::Aprobada;
                    r.approved_by = Some(by);
                }
            }
            RenewalAnnulled { number, reason, .. } => {
                if let Some(r) = self.renewal_mut(number) {
                    r.status = RenewalStatus::Anulada;
                    r.annulment_reason = Some(reason);
                }
            }

            PolizaRegistered { id, poliza } => {
                self.polizas.push(Poliza {
                    id,
                    data: poliza,
                    cancelled: None,
                    seguimientos: vec![],
                });
            }
            PolizaUpdated { id, poliza } => {
                if let Some(p) = self.poliza_mut(id) {
                    p.data = poliza;
                }
            }
            PolizaSeguimientoCorrected {
                id,
                index,
                note,
                by,
            } => {
                if let Some(s) = self
                    .poliza_mut(id)
                    .and_then(|p| p.seguimientos.get_mut(usize::try_from(index).ok()?))
                {
                    s.note = note;
                    s.corrected_by = Some(by);
                }
            }
            PolizaSeguimientoRetracted {
                id,
                index,
                reason,
                by,
            } => {
                if let Some(s) = self
                    .poliza_mut(id)
                    .and_then(|p| p.seguimientos.get_mut(usize::try_from(index).ok()?))
                {
                    s.retracted = Some(super::seguimiento::Retraction { reason, by });
                }
            }
            PolizaRenewed { id, validity } => {
                if let Some(p) = self.poliza_mut(id) {
                    p.data.validity = validity;
                    p.data.state = PolizaState::Prorroga;
                }
            }
            PolizaCancelled {
                id,
                date,
                reason,
                by,
            } => {
                if let Some(p) = self.poliza_mut(id) {
                    p.cancelled = Some(Cancellation { date, reason, by });
                }
            }
            PolizaSeguimientoAdded { id, seguimiento } => {
                if let Some(p) = self.poliza_mut(id) {
                    p.seguimientos.push(seguimiento);
                }
            }

            SalesReportRegistered { period, deadline } => {
                self.informes_ventas
                    .push(SalesReport::pending(period, deadline));
                self.informes_ventas.sort_by_key(|r| r.period);
            }
            SalesReportDelivered {
                period,
                date,
                gross_sales,
                returns,
                billed,
            } => {
                // Computed now, the state is the one as of the delivery: that is what old
                // events without `billed` were billed with. A recorded amount always wins.
                let billing = self
                    .bill_month(period, gross_sales, returns)
                    .map(|b| SalesBilling {
                        total: billed.unwrap_or(b.total),
                        ..b
                    });
                if let Some(r) = self.sales_report_mut(period) {
                    r.status = SalesReportStatus::Entregado {
                        date,
                        gross_sales,
                        returns,
                    };
                    r.billing = billing;
                    r.reliquidaciones.clear();
                }
            }
            SalesReportMarkedPending { period } => {
                if let Some(r) = self.sales_report_mut(period) {
                    r.status = SalesReportStatus::Pendiente;
                    r.billing = None;
                    r.reliquidaciones.clear();
                }
            }
            ReliquidacionRecorded { cause, months, .. } => {
                for month in months {
                    if let Some(r) = self.sales_report_mut(month.period) {
                        r.reliquidaciones.push(MonthReliquidacion {
                            cause,
                            previous: month.previous,
                            corrected: month.corrected,
                        });
                    }
                }
            }

            CanonAdjusted(adjustment) => self.ajustes.push(adjustment),

            DocumentAttached(attachment) => self.documents.push(Document {
                attachment,
                removed: None,
            }),
            DocumentRemoved { id, reason, by, .. } => {
                if let Some(d) = self.documents.iter_mut().find(|d| d.attachment.id == id) {
                    d.removed = Some((reason, by));
                }
            }
            AlertPostponed {
                kind,
                subject,
                until,
                note,
                by,
            } => self.record_alert_handling(AlertHandling {
                kind,
                subject,
                decision: AlertDecision::Postponed { until },
                note,
                by,
            }),
            AlertAcknowledged {
                kind,
                subject,
                date,
                note,
                by,
            } => self.record_alert_handling(AlertHandling {
                kind,
                subject,
                decision: AlertDecision::Acknowledged { date },
                note,
                by,
            }),
        }
    }
}

aggregate_via_decide!(
    Contrato,
    "contrato",
    super::command::ContratoCommand,
    ContratoEvent
);
