//! Colombian pesos.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::number::{group_thousands, normalize_es_number};
use super::{Percentage, bounds, quoted};
use crate::DomainError;

/// An amount of whole Colombian pesos, never negative. Shown `$ 1.234.567`; stored as an integer.
///
/// Cents do not exist here: typed decimals are rounded half up to whole pesos
/// (`1.234.567,50` → `$ 1.234.568`, `1.234.567,49` → `$ 1.234.567`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// The largest amount accepted from a user: $ 1.000.000.000.000.000 (see [`bounds`]).
    pub const MAX: Money = Money(bounds::MAX_PESOS);

    /// Whole pesos; refused when negative or above [`Money::MAX`].
    pub fn from_pesos(pesos: i64) -> Result<Money, DomainError> {
        let money = Money::from_stored(pesos)?;
        if money > Money::MAX {
            Err(DomainError::AmountTooLarge)
        } else {
            Ok(money)
        }
    }

    /// An amount read back from a stored event: only the sign is checked, so that an event
    /// recorded before the upper bound existed still reads (read-side arithmetic is checked).
    fn from_stored(pesos: i64) -> Result<Money, DomainError> {
        if pesos < 0 {
            Err(DomainError::NegativeAmount)
        } else {
            Ok(Money(pesos))
        }
    }

    /// Parses what people type: `1.234.567`, `1234567`, `$1.234.567`, `$ 1.234.567`,
    /// `1.234.567,50` (rounded half up to whole pesos). Negatives and garbage are refused.
    pub fn parse(text: &str) -> Result<Money, DomainError> {
        let original = text.trim();
        let invalid = || DomainError::InvalidMoney(quoted(original));
        // The longest amount people type ($ 1.000.000.000.000.000,50) has 27 characters.
        if original.len() > 64 {
            return Err(invalid());
        }
        let mut rest = original;
        let mut negative = false;
        if let Some(r) = rest.strip_prefix('-') {
            negative = true;
            rest = r.trim_start();
        }
        if let Some(r) = rest.strip_prefix('$') {
            rest = r.trim_start();
        }
        if let Some(r) = rest.strip_prefix('-') {
            negative = true;
            rest = r.trim_start();
        }
        let plain = normalize_es_number(rest).ok_or_else(invalid)?;
        let amount = Decimal::from_str(&plain).map_err(|_| invalid())?;
        if negative && !amount.is_zero() {
            return Err(DomainError::NegativeAmount);
        }
        let money = Money::from_decimal_rounded(amount)?;
        if money > Money::MAX {
            return Err(DomainError::AmountTooLarge);
        }
        Ok(money)
    }

    /// Rounds a decimal amount half up to whole pesos (any amount that fits in `i64`: this is
    /// for computed amounts; the bound of stored ones is checked when a command is decided).
    pub fn from_decimal_rounded(amount: Decimal) -> Result<Money, DomainError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(DomainError::NegativeAmount);
        }
        amount
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_i64()
            .map(Money)
            .ok_or(DomainError::AmountTooLarge)
    }

    pub fn pesos(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::from(self.0)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// `None` when the result would be negative.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).filter(|d| *d >= 0).map(Money)
    }

    /// Never below zero.
    pub fn saturating_sub(self, other: Money) -> Money {
        self.checked_sub(other).unwrap_or(Money::ZERO)
    }

    /// `self × percentage / 100`, rounded half up to whole pesos (used for billing by sales).
    pub fn percentage(self, percentage: Percentage) -> Money {
        // Both factors are non-negative and the percentage is at most 100, so the value is at
        // most `self` and always fits; `self` is the answer should that ever not hold.
        self.to_decimal()
            .checked_mul(percentage.as_decimal())
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
            .and_then(|v| Money::from_decimal_rounded(v).ok())
            .unwrap_or(self)
    }

    /// `1.234.567`, without the peso sign.
    pub fn digits_es(self) -> String {
        group_thousands(self.0.unsigned_abs().into())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$ {}", self.digits_es())
    }
}

impl FromStr for Money {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl TryFrom<i64> for Money {
    type Error = DomainError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Money::from_stored(value)
    }
}

impl From<Money> for i64 {
    fn from(value: Money) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn pesos(n: i64) -> Money {
        Money::from_pesos(n).unwrap()
    }

    #[test]
    fn parses_what_people_type() {
        for text in [
            "1.234.567",
            "1234567",
            "$1.234.567",
            "$ 1.234.567",
            "  $ 1.234.567  ",
        ] {
            assert_eq!(Money::parse(text), Ok(pesos(1_234_567)), "{text}");
        }
        assert_eq!(Money::parse("1.234.567,50"), Ok(pesos(1_234_568)));
        assert_eq!(Money::parse("1.234.567,49"), Ok(pesos(1_234_567)));
        assert_eq!(Money::parse("1.234"), Ok(pesos(1_234)));
        assert_eq!(Money::parse("0"), Ok(Money::ZERO));
    }

    #[test]
    fn refuses_negatives_with_a_clear_message() {
        for text in ["-1.000", "$ -1.000", "-$1.000", "- 5"] {
            let err = Money::parse(text).unwrap_err();
            assert_eq!(err.to_string(), "el valor no puede ser negativo", "{text}");
        }
        assert_eq!(Money::from_pesos(-1), Err(DomainError::NegativeAmount));
    }

    #[test]
    fn refuses_garbage() {
        assert_eq!(
            Money::parse("abc").unwrap_err().to_string(),
            "«abc» no es un valor en pesos válido"
        );
        for text in [
            "",
            "$",
            "1.23.456",
            "12,3,4",
            "1e5",
            "1 000",
            "99999999999999999999",
        ] {
            assert!(Money::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn refuses_more_than_10_to_the_15_pesos() {
        assert_eq!(
            Money::parse("1.000.000.000.000.000"),
            Ok(pesos(1_000_000_000_000_000))
        );
        for text in [
            "1.000.000.000.000.001",
            "1000000000000000,5",
            "9223372036854775807",
        ] {
            assert_eq!(
                Money::parse(text).unwrap_err().to_string(),
                "el valor no puede superar $ 1.000.000.000.000.000",
                "{text}"
            );
        }
        assert_eq!(
            Money::from_pesos(1_000_000_000_000_001),
            Err(DomainError::AmountTooLarge)
        );
    }

    #[test]
    fn a_stored_amount_above_the_bound_still_reads() {
        // An event stored before the bound existed must not become unreadable.
        let stored: Money = serde_json::from_str("9223372036854775807").unwrap();
        assert_eq!(stored.pesos(), i64::MAX);
        assert_eq!(stored.checked_add(pesos(1)), None);
        assert_eq!(stored.saturating_add(pesos(1)).pesos(), i64::MAX);
        let all = Percentage::new(dec!(100)).unwrap();
        assert_eq!(stored.percentage(all), stored);
    }

    #[test]
    fn a_megabyte_of_digits_is_refused_with_a_short_message() {
        let text = "9".repeat(1_000_000);
        let message = Money::parse(&text).unwrap_err().to_string();
        assert!(message.chars().count() < 100, "{message}");
        assert_eq!(
            Money::parse("12\u{0}3").unwrap_err().to_string(),
            "«12�3» no es un valor en pesos válido"
        );
    }

    #[test]
    fn displays_in_es_co() {
        assert_eq!(pesos(1_234_567).to_string(), "$ 1.234.567");
        assert_eq!(pesos(0).to_string(), "$ 0");
        assert_eq!(pesos(999).to_string(), "$ 999");
    }

    #[test]
    fn serializes_as_an_integer_and_refuses_negative_json() {
        assert_eq!(serde_json::to_string(&pesos(1500)).unwrap(), "1500");
        assert_eq!(serde_json::from_str::<Money>("1500").unwrap(), pesos(1500));
        assert!(serde_json::from_str::<Money>("-1").is_err());
    }

    #[test]
    fn percentage_rounds_half_up() {
        let p = Percentage::new(dec!(5)).unwrap();
        assert_eq!(pesos(1_000_010).percentage(p), pesos(50_001)); // 50.000,5 → 50.001
        assert_eq!(
            pesos(10).percentage(Percentage::new(dec!(100)).unwrap()),
            pesos(10)
        );
    }

    proptest! {
        #[test]
        fn display_then_parse_gives_it_back(n in 0i64..=bounds::MAX_PESOS) {
            let money = pesos(n);
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }

        #[test]
        fn any_non_negative_with_dots_parses(n in 0i64..=bounds::MAX_PESOS) {
            prop_assert_eq!(Money::parse(&pesos(n).digits_es()), Ok(pesos(n)));
            prop_assert_eq!(Money::parse(&n.to_string()), Ok(pesos(n)));
        }

        #[test]
        fn above_the_bound_is_always_refused(n in (bounds::MAX_PESOS + 1)..=i64::MAX) {
            prop_assert_eq!(Money::parse(&n.to_string()), Err(DomainError::AmountTooLarge));
            prop_assert_eq!(Money::from_pesos(n), Err(DomainError::AmountTooLarge));
        }

        #[test]
        fn negatives_are_always_refused(n in i64::MIN..0i64) {
            prop_assert_eq!(Money::parse(&n.to_string()), Err(DomainError::NegativeAmount));
            let dotted = format!("-{}", group_thousands(n.unsigned_abs().into()));
            prop_assert_eq!(Money::parse(&dotted), Err(DomainError::NegativeAmount));
            prop_assert_eq!(Money::from_pesos(n), Err(DomainError::NegativeAmount));
        }
    }
}
