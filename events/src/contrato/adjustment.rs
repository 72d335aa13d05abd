//! Ajuste anual del canon.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::terms::AdjustmentIndex;
use crate::{DomainError, Money, Percentage};

/// New canon = previous canon × (1 + increase / 100), rounded half up to whole pesos
/// (`increase` is in percent: IPC + points, or the share of the minimum-wage increase).
///
/// 10.000.000 with IPC 5,2 and 2 points (increase 7,2) → 10.720.000.
pub fn adjust_canon(previous: Money, increase_percent: Decimal) -> Result<Money, DomainError> {
    let factor = increase_percent
        .checked_div(Decimal::ONE_HUNDRED)
        .and_then(|fraction| Decimal::ONE.checked_add(fraction))
        .ok_or(DomainError::AmountTooLarge)?;
    let value = previous
        .to_decimal()
        .checked_mul(factor)
        .ok_or(DomainError::AmountTooLarge)?;
    Money::from_decimal_rounded(value)
}

/// A yearly canon adjustment, as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonAdjustment {
    pub year: i32,
    /// The rule in force when it was applied (index kind and points or share).
    pub rule: AdjustmentIndex,
    /// The published index value (IPC, or the minimum-wage increase).
    pub index_value: Percentage,
    /// The resulting increase in percent.
    pub increase: Decimal,
    pub previous_canon: Money,
    pub new_canon: Money,
    pub effective_date: NaiveDate,
    pub by: String,
}
