//! The base terms of a contract, as signed.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::policies::PolicyRequirement;
use crate::indice::IndexKind;
use crate::{DateRange, DomainError, Money, Percentage};

/// Client contracts lease our premises; supplier contracts buy services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContractKind {
    Cliente,
    Proveedor,
}

/// How the rent is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentModality {
    /// A fixed monthly canon.
    Fijo { canon: Money },
    /// A percentage of the tenant's monthly net sales.
    VariablePuro { percentage: Percentage },
    /// A guaranteed minimum canon plus the part of the percentage of sales that exceeds it.
    Hibrido {
        minimum: Money,
        percentage: Percentage,
    },
}

impl PaymentModality {
    /// The fixed amount: the canon of `Fijo`, the minimum of `Hibrido`; `None` for `VariablePuro`.
    pub fn fixed_amount(&self) -> Option<Money> {
        match self {
            PaymentModality::Fijo { canon } => Some(*canon),
            PaymentModality::Hibrido { minimum, .. } => Some(*minimum),
            PaymentModality::VariablePuro { .. } => None,
        }
    }

    /// The share of sales: `None` for `Fijo`.
    pub fn sales_percentage(&self) -> Option<Percentage> {
        match self {
            PaymentModality::Fijo { .. } => None,
            PaymentModality::VariablePuro { percentage }
            | PaymentModality::Hibrido { percentage, .. } => Some(*percentage),
        }
    }

    /// Variable and híbrido contracts report sales monthly.
    pub fn is_sales_based(&self) -> bool {
        !matches!(self, PaymentModality::Fijo { .. })
    }

    /// The same modality with its fixed amount replaced (no change for `VariablePuro`).
    pub fn with_fixed_amount(self, amount: Money) -> PaymentModality {
        match self {
            PaymentModality::Fijo { .. } => PaymentModality::Fijo { canon: amount },
            PaymentModality::Hibrido { percentage, .. } => PaymentModality::Hibrido {
                minimum: amount,
                percentage,
            },
            variable @ PaymentModality::VariablePuro { .. } => variable,
        }
    }

    /// The same modality with its share of sales replaced (no change for `Fijo`).
    pub fn with_sales_percentage(self, percentage: Percentage) -> PaymentModality {
        match self {
            fijo @ PaymentModality::Fijo { .. } => fijo,
            PaymentModality::VariablePuro { .. } => PaymentModality::VariablePuro { percentage },
            PaymentModality::Hibrido { minimum, .. } => PaymentModality::Hibrido {
                minimum,
                percentage,
            },
        }
    }

    /// `Fijo`, `Variable puro`, `Híbrido`.
    pub fn label(&self) -> &'static str {
        match self {
            PaymentModality::Fijo { .. } => "Fijo",
            PaymentModality::VariablePuro { .. } => "Variable puro",
            PaymentModality::Hibrido { .. } => "Híbrido",
        }
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        if self.fixed_amount().is_some_and(Money::is_zero) {
            return Err(DomainError::ZeroCanon);
        }
        if self.sales_percentage().is_some_and(Percentage::is_zero) {
            return Err(DomainError::ZeroSalesPercentage);
        }
        Ok(())
    }
}

impl fmt::Display for PaymentModality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which index drives the yearly adjustment, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentIndex {
    /// IPC plus extra points: increase = IPC + points.
    Ipc { points: Percentage },
    /// A share of the minimum-wage increase: increase = increase × share / 100.
    SalarioMinimo { percentage_of_increase: Percentage },
}

impl AdjustmentIndex {
    pub fn kind(&self) -> IndexKind {
        match self {
            AdjustmentIndex::Ipc { .. } => IndexKind::Ipc,
            AdjustmentIndex::SalarioMinimo { .. } => IndexKind::SalarioMinimo,
        }
    }

    /// The increase, in percent, for a published index value.
    pub fn increase(&self, index_value: Percentage) -> Decimal {
        match self {
            AdjustmentIndex::Ipc { points } => {
                index_value.as_decimal().checked_add(points.as_decimal())
            }
            AdjustmentIndex::SalarioMinimo {
                percentage_of_increase,
            } => index_value
                .as_decimal()
                .checked_mul(percentage_of_increase.fraction()),
        }
        // Both are percentages of at most 100: the operation cannot overflow.
        .unwrap_or(Decimal::MAX)
    }
}

/// When in the year the adjustment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentDate {
    /// The anniversary of the start date.
    Anniversary,
    /// A fixed day every year (29 February is not allowed).
    FixedDate { month: u32, day: u32 },
}

impl AdjustmentDate {
    /// The adjustment date in `year` for a contract that started on `start_date`
    /// (an anniversary of 29 February falls on 28 February in common years).
    pub fn in_year(&self, year: i32, start_date: NaiveDate) -> Option<NaiveDate> {
        let (month, day) = match self {
            AdjustmentDate::Anniversary => (start_date.month(), start_date.day()),
            AdjustmentDate::FixedDate { month, day } => (*month, *day),
        };
        NaiveDate::from_ymd_opt(year, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(year, month, day.saturating_sub(1)))
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        if let AdjustmentDate::FixedDate { month, day } = *self
            && NaiveDate::from_ymd_opt(2001, month, day).is_none()
        {
            return Err(DomainError::InvalidAdjustmentDate { month, day });
        }
        Ok(())
    }
}

/// The yearly canon adjustment agreed in the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentRule {
    pub index: AdjustmentIndex,
    pub on: AdjustmentDate,
}

/// A range of dates with reduced or zero canon, and the condition attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GracePeriod {
    pub period: DateRange,
    /// The canon during the period (zero allowed).
    pub canon: Money,
    pub condition: String,
}

pub(crate) fn default_notice_days() -> u32 {
    ContractTerms::DEFAULT_NOTICE_DAYS
}

/// The base terms of a contract, as signed (before any Otro Sí or renewal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractTerms {
    /// Unique contract number, e.g. `CT-001` (uniqueness is checked by the app).
    pub number: String,
    pub kind: ContractKind,
    /// Objeto / destinación.
    pub purpose: String,
    /// The tenant (client contracts) or supplier (supplier contracts).
    pub tercero_id: Uuid,
    /// The premises; supplier contracts may have none.
    pub local_id: Option<Uuid>,
    pub signing_date: NaiveDate,
    pub start_date: NaiveDate,
    pub initial_duration_months: u32,
    /// Must be after the start date.
    pub end_date: NaiveDate,
    /// Prórroga automática.
    pub automatic_extension: bool,
    /// Preaviso: notice days for non-renewal (60 by default).
    #[serde(default = "default_notice_days")]
    pub preaviso_days: u32,
    /// Notice days for early termination (60 by default).
    #[serde(default = "default_notice_days")]
    pub early_termination_notice_days: u32,
    pub modality: PaymentModality,
    /// Day of the month (1..=28) the sales report is due; required for variable and híbrido.
    pub sales_report_due_day: Option<u8>,
    pub adjustment: Option<AdjustmentRule>,
    pub grace_period: Option<GracePeriod>,
    pub required_policies: Vec<PolicyRequirement>,
    pub penalty_clause: String,
    pub late_payment_interest: String,
    pub signed_document_url: Option<String>,
    /// The tipo de contrato (client contracts) or tipo de servicio (supplier contracts) of the
    /// catalogs; the app checks it names an active entry of the right catalog. Absent in events
    /// recorded before the catalogs existed, which read as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_id: Option<Uuid>,
}

impl ContractTerms {
    pub const DEFAULT_NOTICE_DAYS: u32 = 60;

    /// The contract's own validity: start to end.
    pub fn validity(&self) -> Result<DateRange, DomainError> {
        DateRange::new(self.start_date, self.end_date)
    }

    /// Every rule the base terms must satisfy on their own (bounds first: the rules below
    /// compute with these dates and amounts).
    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.number.trim().is_empty() {
            return Err(DomainError::Required("número de contrato"));
        }
        if self.purpose.trim().is_empty() {
            return Err(DomainError::Required("objeto"));
        }
        let validity = self.validity()?;
        if self.initial_duration_months == 0 {
            return Err(DomainError::ZeroDuration);
        }
        self.modality.validate()?;
        match self.sales_report_due_day {
            Some(day) if !(1..=28).contains(&day) => {
                return Err(DomainError::InvalidSalesReportDueDay);
            }
            None if self.modality.is_sales_based() => {
                return Err(DomainError::SalesReportDueDayRequired);
            }
            _ => {}
        }
        if let Some(rule) = &self.adjustment {
            rule.on.validate()?;
        }
        if let Some(grace) = &self.grace_period {
            if grace.condition.trim().is_empty() {
                return Err(DomainError::Required("condición del periodo de gracia"));
            }
            if !grace.period.within(&validity) {
                return Err(DomainError::GracePeriodOutsideContract);
            }
        }
        super::policies::validate_requirements(&self.required_policies)
    }
}
