//! Otro Sí: the numbered amendments of a contract and their approval workflow.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::policies::PolicyRequirement;
use super::terms::{AdjustmentDate, AdjustmentIndex, PaymentModality};
use crate::{DomainError, Money, Percentage};

/// `OS-n`: the number of an Otro Sí within its contract. Serialized as the bare integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtroSiNumber(pub u32);

impl fmt::Display for OtroSiNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OS-{}", self.0)
    }
}

impl FromStr for OtroSiNumber {
    type Err = DomainError;
    /// `OS-2`, `os-2` or `2`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = t
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("OS-"))
            .map_or(t, |_| &t[3..]);
        digits
            .parse()
            .map(OtroSiNumber)
            .map_err(|_| DomainError::OtroSiNotFound(t.to_string()))
    }
}

/// borrador → en revisión → aprobado | rechazado.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OtroSiStatus {
    Borrador,
    EnRevision,
    Aprobado,
    Rechazado,
}

impl OtroSiStatus {
    /// How the status reads after "el Otro Sí OS-2 …" when it blocks an action.
    pub fn phrase(self) -> &'static str {
        match self {
            OtroSiStatus::Borrador => "está en borrador y aún no se ha enviado a revisión",
            OtroSiStatus::EnRevision => "ya fue enviado a revisión",
            OtroSiStatus::Aprobado => "ya fue aprobado",
            OtroSiStatus::Rechazado => "fue rechazado",
        }
    }
}

impl fmt::Display for OtroSiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OtroSiStatus::Borrador => "borrador",
            OtroSiStatus::EnRevision => "en revisión",
            OtroSiStatus::Aprobado => "aprobado",
            OtroSiStatus::Rechazado => "rechazado",
        })
    }
}

/// What an Otro Sí changes. Every field is optional: `None` means "unchanged".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtroSiChanges {
    /// New fixed canon (for `Fijo`; for `Híbrido` it is read as the minimum).
    pub canon: Option<Money>,
    /// New modality (applied before the canon, minimum and percentage of this same Otro Sí).
    pub modality: Option<PaymentModality>,
    /// New guaranteed minimum (híbrido).
    pub minimum: Option<Money>,
    /// New share of sales (variable puro, híbrido).
    pub percentage: Option<Percentage>,
    pub end_date: Option<NaiveDate>,
    pub duration_months: Option<u32>,
    /// New adjustment index and points.
    pub adjustment_index: Option<AdjustmentIndex>,
    /// New adjustment date.
    pub adjustment_on: Option<AdjustmentDate>,
    pub required_policies: Option<Vec<PolicyRequirement>>,
}

impl OtroSiChanges {
    pub fn is_empty(&self) -> bool {
        *self == OtroSiChanges::default()
    }

    /// `modality` with this Otro Sí's changes applied, in the order modality, canon/minimum, percentage.
    pub fn apply_to_modality(&self, modality: PaymentModality) -> PaymentModality {
        let mut result = self.modality.unwrap_or(modality);
        if let Some(canon) = self.canon {
            result = result.with_fixed_amount(canon);
        }
        if let Some(minimum) = self.minimum {
            result = result.with_fixed_amount(minimum);
        }
        if let Some(percentage) = self.percentage {
            result = result.with_sales_percentage(percentage);
        }
        result
    }

    pub fn validate(&self, contract_start: NaiveDate) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.is_empty() {
            return Err(DomainError::EmptyOtroSi);
        }
        if let Some(modality) = &self.modality {
            modality.validate()?;
            if matches!(modality, PaymentModality::VariablePuro { .. })
                && (self.canon.is_some() || self.minimum.is_some())
            {
                return Err(DomainError::OtroSiCanonWithVariable);
            }
        }
        if self.canon.is_some_and(Money::is_zero) || self.minimum.is_some_and(Money::is_zero) {
            return Err(DomainError::ZeroCanon);
        }
        if self.percentage.is_some_and(Percentage::is_zero) {
            return Err(DomainError::ZeroSalesPercentage);
        }
        if self.end_date.is_some_and(|end| end <= contract_start) {
            return Err(DomainError::OtroSiEndBeforeStart);
        }
        if self.duration_months == Some(0) {
            return Err(DomainError::ZeroDuration);
        }
        if let Some(on) = &self.adjustment_on {
            on.validate()?;
        }
        if let Some(requirements) = &self.required_policies {
            super::policies::validate_requirements(requirements)?;
        }
        Ok(())
    }
}

/// One Otro Sí of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtroSi {
    pub number: OtroSiNumber,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub changes: OtroSiChanges,
    pub description: String,
    pub status: OtroSiStatus,
    pub drafted_by: String,
    pub submitted_by: Option<String>,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
    pub rejection_reason: Option<String>,
}

impl OtroSi {
    /// Approved and effective on `date` (effective_from ≤ date ≤ effective_to, when there is one).
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.status == OtroSiStatus::Aprobado
            && self.effective_from <= date
            && self.effective_to.is_none_or(|to| date <= to)
    }

    pub(crate) fn wrong_status(&self) -> DomainError {
        DomainError::OtroSiWrongStatus {
            number: self.number.to_string(),
            status: self.status.phrase().to_string(),
        }
    }
}
