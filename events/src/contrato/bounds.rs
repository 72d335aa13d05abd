//! The bounds of every value a contract stream stores (see [`crate::bounds`]). Each field is
//! named in Spanish, as the forms label it, so a refusal can be shown beside its field.
//!
//! `ContratoEvent::check_bounds` is the last step of `Contrato::decide`: whatever a command asked
//! for, no event leaves the aggregate with a value out of range. The same check serves a restore
//! that validates a backup before writing it.

use rust_decimal::Decimal;

use super::adjustment::CanonAdjustment;
use super::event::ContratoEvent;
use super::otro_si::OtroSiChanges;
use super::policies::{CumplimientoCover, PolicyKind, PolicyRequirement, PolizaData, RceSublimits};
use super::seguimiento::{Seguimiento, Termination};
use super::terms::{AdjustmentIndex, ContractTerms, GracePeriod, PaymentModality};
use crate::bounds::{
    check_date, check_days, check_line, check_money, check_months, check_optional_money,
    check_text, check_url,
};
use crate::values::YEARS;
use crate::{DateRange, DomainError, YearMonth};

impl ContractTerms {
    /// Every value of the terms within its range.
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("número de contrato", &self.number)?;
        check_text("objeto", &self.purpose)?;
        check_date("fecha de firma", self.signing_date)?;
        check_date("fecha de inicio", self.start_date)?;
        check_date("fecha final", self.end_date)?;
        check_months("duración en meses", self.initial_duration_months)?;
        check_days("preaviso", self.preaviso_days)?;
        check_days(
            "aviso de terminación anticipada",
            self.early_termination_notice_days,
        )?;
        self.modality.check_bounds()?;
        if let Some(rule) = &self.adjustment {
            rule.index.check_bounds()?;
        }
        if let Some(grace) = &self.grace_period {
            grace.check_bounds()?;
        }
        check_requirements(&self.required_policies)?;
        check_text("cláusula penal", &self.penalty_clause)?;
        check_text("interés de mora", &self.late_payment_interest)?;
        if let Some(url) = &self.signed_document_url {
            check_url("enlace al documento firmado", url)?;
        }
        Ok(())
    }
}

impl PaymentModality {
    /// The canon or minimum within the money range (percentages are bounded by their type).
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        match *self {
            PaymentModality::Fijo { canon } => check_money("canon", canon),
            PaymentModality::Hibrido { minimum, .. } => check_money("canon", minimum),
            PaymentModality::VariablePuro { .. } => Ok(()),
        }
    }
}

impl AdjustmentIndex {
    /// The increase it yields stays within −100 %..=200 % (both parts are at most 100 %).
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        let largest = crate::Percentage::HUNDRED;
        check_increase(self.increase(largest))
    }
}

fn check_increase(increase: Decimal) -> Result<(), DomainError> {
    let range = Decimal::from(-100)..=Decimal::from(200);
    if range.contains(&increase) {
        Ok(())
    } else {
        Err(DomainError::OutOfRange {
            field: "incremento del ajuste",
        })
    }
}

impl GracePeriod {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_range("periodo de gracia", &self.period)?;
        check_money("canon del periodo de gracia", self.canon)?;
        check_text("condición del periodo de gracia", &self.condition)
    }
}

fn check_range(field: &'static str, range: &DateRange) -> Result<(), DomainError> {
    check_date(field, range.from())?;
    check_date(field, range.to())
}

fn check_period(field: &'static str, period: YearMonth) -> Result<(), DomainError> {
    if YEARS.contains(&period.year()) {
        Ok(())
    } else {
        Err(DomainError::OutOfRange { field })
    }
}

fn check_kind(kind: &PolicyKind) -> Result<(), DomainError> {
    match kind {
        PolicyKind::Otra(name) => check_line("tipo de póliza", name),
        _ => Ok(()),
    }
}

fn check_sublimits(
    rce: Option<&RceSublimits>,
    cover: Option<&CumplimientoCover>,
) -> Result<(), DomainError> {
    let rce = rce.map(RceSublimits::entries).into_iter().flatten();
    let cover = cover.map(CumplimientoCover::entries).into_iter().flatten();
    for (_, value) in rce.chain(cover) {
        check_optional_money("sublímites y coberturas", value)?;
    }
    Ok(())
}

fn check_requirements(requirements: &[PolicyRequirement]) -> Result<(), DomainError> {
    requirements.iter().try_for_each(|r| {
        check_kind(&r.kind)?;
        check_money("valor mínimo asegurado", r.minimum_insured)?;
        check_months("meses de cobertura", r.months_of_cover)?;
        check_sublimits(r.rce_sublimits.as_ref(), r.cumplimiento_cover.as_ref())
    })
}

impl OtroSiChanges {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_optional_money("canon", self.canon)?;
        check_optional_money("mínimo garantizado", self.minimum)?;
        if let Some(modality) = &self.modality {
            modality.check_bounds()?;
        }
        if let Some(end) = self.end_date {
            check_date("fecha final", end)?;
        }
        if let Some(months) = self.duration_months {
            check_months("duración en meses", months)?;
        }
        if let Some(index) = &self.adjustment_index {
            index.check_bounds()?;
        }
        if let Some(requirements) = &self.required_policies {
            check_requirements(requirements)?;
        }
        Ok(())
    }
}

impl PolizaData {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_kind(&self.kind)?;
        check_line("número de póliza", &self.number)?;
        check_line("aseguradora", &self.insurer)?;
        check_money("valor asegurado", self.insured_value)?;
        check_sublimits(
            self.rce_sublimits.as_ref(),
            self.cumplimiento_cover.as_ref(),
        )?;
        check_range("vigencia de la póliza", &self.validity)?;
        check_months("colchón", self.colchon_months)
    }
}

fn check_seguimiento(s: &Seguimiento) -> Result<(), DomainError> {
    check_date("fecha del seguimiento", s.date)?;
    if let Some(follow_up) = s.follow_up {
        check_date("fecha de seguimiento", follow_up)?;
    }
    check_text("nota de seguimiento", &s.note)
}

fn check_termination(t: &Termination) -> Result<(), DomainError> {
    check_date("fecha de terminación", t.date)?;
    check_text("motivo de la terminación", &t.reason)
}

fn check_adjustment(a: &CanonAdjustment) -> Result<(), DomainError> {
    if !YEARS.contains(&a.year) {
        return Err(DomainError::InvalidYear(a.year));
    }
    check_increase(a.increase)?;
    check_money("canon anterior", a.previous_canon)?;
    check_money("canon ajustado", a.new_canon)?;
    check_date("fecha del ajuste", a.effective_date)
}

impl ContratoEvent {
    /// Every value the event stores within its range. `by` (a username) is the app's, not typed
    /// in the command, and is not checked here.
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        use ContratoEvent::*;
        match self {
            ContractCreated(terms) => terms.check_bounds(),
            ContractTermsUpdated(update) => {
                update.terms.check_bounds()?;
                check_text("motivo", &update.reason)
            }
            SeguimientoAdded(s) => check_seguimiento(s),
            SeguimientoCorrected { note, .. } => check_text("nota de seguimiento", note),
            SeguimientoRetracted { reason, .. } => check_text("motivo del retiro", reason),
            ContractTerminated(t) => check_termination(t),
            ContractDeleted { reason, .. } => check_text("motivo de la eliminación", reason),
            ClauseChecklistRecorded { clause_ids, .. } => {
                if clause_ids.len() > super::decide::MAX_CHECKLIST {
                    return Err(DomainError::TooManyClauses {
                        max: super::decide::MAX_CHECKLIST,
                    });
                }
                Ok(())
            }
            OtroSiDrafted {
                effective_from,
                effective_to,
                changes,
                description,
                ..
            }
            | OtroSiEdited {
                effective_from,
                effective_to,
                changes,
                description,
                ..
            } => {
                check_date("vigencia desde", *effective_from)?;
                if let Some(to) = effective_to {
                    check_date("vigencia hasta", *to)?;
                }
                changes.check_bounds()?;
                check_text("descripción", description)
            }
            OtroSiRejected { reason, .. } => check_text("motivo del rechazo", reason),
            OtroSiDeleted { .. }
            | OtroSiSubmitted { .. }
            | OtroSiApproved { .. }
            | RenewalApproved { .. } => Ok(()),
            RenewalProposed {
                previous_end,
                new_end,
                ..
            } => {
                check_date("fecha final", *previous_end)?;
                check_date("fecha final de la renovación", *new_end)
            }
            RenewalAnnulled { reason, .. } => check_text("motivo de la anulación", reason),
            PolizaRegistered { poliza, .. } | PolizaUpdated { poliza, .. } => poliza.check_bounds(),
            PolizaRenewed { validity, .. } => check_range("vigencia de la póliza", validity),
            PolizaCancelled { date, reason, .. } => {
                check_date("fecha de cancelación", *date)?;
                check_text("motivo de la cancelación", reason)
            }
            PolizaSeguimientoAdded { seguimiento, .. } => check_seguimiento(seguimiento),
            PolizaSeguimientoCorrected { note, .. } => check_text("nota de seguimiento", note),
            PolizaSeguimientoRetracted { reason, .. } => check_text("motivo del retiro", reason),
            SalesReportRegistered { period, deadline } => {
                check_period("periodo del informe", *period)?;
                check_date("fecha límite del informe", *deadline)
            }
            SalesReportDelivered {
                period,
                date,
                gross_sales,
                returns,
                billed,
            } => {
                check_period("periodo del informe", *period)?;
                check_date("fecha de entrega", *date)?;
                check_money("ventas brutas", *gross_sales)?;
                check_money("devoluciones", *returns)?;
                billed.map_or(Ok(()), |billed| check_money("valor facturado", billed))
            }
            ReliquidacionRecorded { months, by, .. } => {
                check_text("autor de la reliquidación", by)?;
                months.iter().try_for_each(|month| {
                    check_period("periodo reliquidado", month.period)?;
                    check_money("valor facturado", month.previous)?;
                    check_money("valor reliquidado", month.corrected)
                })
            }
            SalesReportMarkedPending { period } => check_period("periodo del informe", *period),
            CanonAdjusted(adjustment) => check_adjustment(adjustment),
            DocumentAttached(attachment) => attachment.check_bounds(),
            AlertPostponed {
                kind,
                subject,
                until: date,
                note,
                by,
            }
            | AlertAcknowledged {
                kind,
                subject,
                date,
                note,
                by,
            } => {
                check_line("tipo de alerta", kind)?;
                check_line("alerta", subject)?;
                check_date("fecha", *date)?;
                check_text("nota", note)?;
                check_line("autor", by)
            }
            DocumentRemoved {
                reason,
                by,
                file_name,
                ..
            } => {
                check_line("nombre del archivo", file_name)?;
                check_text("motivo", reason)?;
                check_line("autor", by)
            }
        }
    }
}
