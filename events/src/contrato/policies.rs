//! Required policies (in the terms) and delivered pólizas.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::otro_si::OtroSiNumber;
use super::renewal::RenewalNumber;
use super::seguimiento::Seguimiento;
use crate::{DateRange, DomainError, Money, add_months};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    Cumplimiento,
    /// Responsabilidad civil extracontractual.
    Rce,
    Arrendamiento,
    TodoRiesgo,
    Otra(String),
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyKind::Cumplimiento => f.write_str("Cumplimiento"),
            PolicyKind::Rce => f.write_str("RCE"),
            PolicyKind::Arrendamiento => f.write_str("Arrendamiento"),
            PolicyKind::TodoRiesgo => f.write_str("Todo riesgo"),
            PolicyKind::Otra(name) => f.write_str(name),
        }
    }
}

/// RCE sub-limits; `None` means not required (in a requirement) or not covered (in a póliza).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RceSublimits {
    pub premises_operations: Option<Money>,
    pub employer_liability: Option<Money>,
    pub medical_expenses: Option<Money>,
    pub vehicles: Option<Money>,
    pub contractors: Option<Money>,
    /// Non-material and moral damages.
    pub non_material_damages: Option<Money>,
    pub lost_profit: Option<Money>,
}

impl RceSublimits {
    /// (Spanish label, value) of each sub-limit, in the order of the forms.
    pub fn entries(&self) -> [(&'static str, Option<Money>); 7] {
        [
            ("predios, labores y operaciones", self.premises_operations),
            ("responsabilidad patronal", self.employer_liability),
            ("gastos médicos", self.medical_expenses),
            ("vehículos propios y no propios", self.vehicles),
            ("contratistas y subcontratistas", self.contractors),
            (
                "daños extrapatrimoniales y morales",
                self.non_material_damages,
            ),
            ("lucro cesante", self.lost_profit),
        ]
    }
}

/// Cover of a cumplimiento / arrendamiento policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CumplimientoCover {
    pub rent: Option<Money>,
    pub utilities: Option<Money>,
    pub vat: Option<Money>,
    pub admin_fee: Option<Money>,
}

impl CumplimientoCover {
    pub fn entries(&self) -> [(&'static str, Option<Money>); 4] {
        [
            ("cánones de arrendamiento", self.rent),
            ("servicios públicos", self.utilities),
            ("IVA", self.vat),
            ("cuota de administración", self.admin_fee),
        ]
    }
}

/// A policy the contract (or an Otro Sí) requires the tenant to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRequirement {
    pub kind: PolicyKind,
    pub minimum_insured: Money,
    /// Months of cover beyond the contract's end date the policy must reach.
    pub months_of_cover: u32,
    pub rce_sublimits: Option<RceSublimits>,
    pub cumplimiento_cover: Option<CumplimientoCover>,
}

impl PolicyRequirement {
    /// Why `poliza` does not satisfy this requirement for a contract ending on `contract_end`,
    /// in Spanish; empty when it complies (covers the required end date and every required value).
    pub fn unmet_by(&self, poliza: &PolizaData, contract_end: NaiveDate) -> Vec<String> {
        let mut gaps = Vec::new();
        if poliza.kind != self.kind {
            gaps.push(format!(
                "la póliza es de tipo {} y se requiere {}",
                poliza.kind, self.kind
            ));
        }
        let required_until = add_months(
            contract_end,
            i32::try_from(self.months_of_cover).unwrap_or(i32::MAX),
        );
        if poliza.effective_expiry() < required_until {
            gaps.push(format!(
                "la vigencia efectiva termina el {} y debe cubrir hasta el {}",
                crate::format_date(poliza.effective_expiry()),
                crate::format_date(required_until)
            ));
        }
        if poliza.insured_value < self.minimum_insured {
            gaps.push(format!(
                "el valor asegurado {} es menor que el mínimo requerido {}",
                poliza.insured_value, self.minimum_insured
            ));
        }
        let mut compare = |label: &str, required: Option<Money>, covered: Option<Money>| {
            if let Some(required) = required
                && covered.is_none_or(|c| c < required)
            {
                gaps.push(format!("el sublímite de {label} no alcanza {required}"));
            }
        };
        if let Some(required) = &self.rce_sublimits {
            let covered = poliza.rce_sublimits.unwrap_or_default();
            for ((label, req), (_, cov)) in required.entries().into_iter().zip(covered.entries()) {
                compare(label, req, cov);
            }
        }
        if let Some(required) = &self.cumplimiento_cover {
            let covered = poliza.cumplimiento_cover.unwrap_or_default();
            for ((label, req), (_, cov)) in required.entries().into_iter().zip(covered.entries()) {
                compare(label, req, cov);
            }
        }
        gaps
    }
}

pub(crate) fn validate_requirements(requirements: &[PolicyRequirement]) -> Result<(), DomainError> {
    for (i, requirement) in requirements.iter().enumerate() {
        if requirements[..i]
            .iter()
            .any(|earlier| earlier.kind == requirement.kind)
        {
            return Err(DomainError::DuplicatePolicyRequirement(
                requirement.kind.to_string(),
            ));
        }
    }
    Ok(())
}

/// The state of a delivered póliza.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolizaState {
    AporteInicial,
    Actualizacion,
    Prorroga,
}

/// Which document required a póliza.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequiredBy {
    Contract,
    OtroSi(OtroSiNumber),
    Renovacion(RenewalNumber),
}

impl fmt::Display for RequiredBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequiredBy::Contract => f.write_str("contrato"),
            RequiredBy::OtroSi(n) => write!(f, "{n}"),
            RequiredBy::Renovacion(n) => write!(f, "{n}"),
        }
    }
}

/// What the póliza form holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolizaData {
    pub kind: PolicyKind,
    pub number: String,
    pub insurer: String,
    pub insured_value: Money,
    pub rce_sublimits: Option<RceSublimits>,
    pub cumplimiento_cover: Option<CumplimientoCover>,
    pub validity: DateRange,
    pub state: PolizaState,
    pub required_by: RequiredBy,
    /// Safety margin (colchón): moves the effective expiry this many months earlier.
    pub colchon_months: u32,
}

impl PolizaData {
    /// The validity end minus the colchón.
    pub fn effective_expiry(&self) -> NaiveDate {
        add_months(
            self.validity.to(),
            i32::try_from(self.colchon_months)
                .unwrap_or(i32::MAX)
                .saturating_neg(),
        )
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.number.trim().is_empty() {
            return Err(DomainError::Required("número de póliza"));
        }
        if self.insurer.trim().is_empty() {
            return Err(DomainError::Required("aseguradora"));
        }
        if self.colchon_months > 24 {
            return Err(DomainError::ColchonTooLong);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub date: NaiveDate,
    pub reason: String,
    pub by: String,
}

/// A póliza delivered for this contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poliza {
    pub id: Uuid,
    pub data: PolizaData,
    pub cancelled: Option<Cancellation>,
    pub seguimientos: Vec<Seguimiento>,
}
