//! Percentages: shares of sales, IPC values, adjustment points.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::quoted;
use crate::DomainError;

/// A percentage between 0 and 100 inclusive (`5,2 %` is `Percentage(5.2)`).
/// Serialized as a decimal string (`"5.2"`), never a float.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Percentage(Decimal);

impl Percentage {
    pub const ZERO: Percentage = Percentage(Decimal::ZERO);
    pub const HUNDRED: Percentage = Percentage(Decimal::ONE_HUNDRED);

    pub fn new(value: Decimal) -> Result<Percentage, DomainError> {
        if value.is_sign_negative() && !value.is_zero() {
            Err(DomainError::NegativePercentage)
        } else if value > Decimal::ONE_HUNDRED {
            Err(DomainError::PercentageAbove100)
        } else {
            Ok(Percentage(value.normalize()))
        }
    }

    /// Parses `5,2`, `5.2`, `5,2 %`, `5,2%`. Either the comma or the dot is the decimal mark.
    pub fn parse(text: &str) -> Result<Percentage, DomainError> {
        let original = text.trim();
        let invalid = || DomainError::InvalidPercentage(quoted(original));
        // `100,000000` is long already; anything much longer is not a percentage someone typed.
        if original.len() > 40 {
            return Err(invalid());
        }
        let number = original.strip_suffix('%').unwrap_or(original).trim_end();
        if number.contains(',') && number.contains('.') {
            return Err(invalid());
        }
        let plain = number.replace(',', ".");
        let valid_shape = !plain.is_empty()
            && plain.matches('.').count() <= 1
            && plain
                .strip_prefix('-')
                .unwrap_or(&plain)
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
            && !plain.starts_with('.')
            && !plain.ends_with('.');
        if !valid_shape {
            return Err(invalid());
        }
        let value = Decimal::from_str(&plain).map_err(|_| invalid())?;
        Percentage::new(value)
    }

    /// The number of percent: `5.2` for `5,2 %`.
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The fraction: `0.052` for `5,2 %`.
    pub fn fraction(self) -> Decimal {
        // At most 100 / 100: the division cannot overflow.
        self.0.checked_div(Decimal::ONE_HUNDRED).unwrap_or_default()
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Percentage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.0.normalize().to_string().replace('.', ","))
    }
}

impl FromStr for Percentage {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Percentage::parse(s)
    }
}

impl TryFrom<Decimal> for Percentage {
    type Error = DomainError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Percentage::new(value)
    }
}

impl From<Percentage> for Decimal {
    fn from(value: Percentage) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_both_decimal_marks_and_the_sign() {
        for text in ["5,2", "5.2", "5,2 %", "5,2%", " 5,20 % "] {
            assert_eq!(Percentage::parse(text), Ok(Percentage(dec!(5.2))), "{text}");
        }
        assert_eq!(Percentage::parse("100"), Ok(Percentage::HUNDRED));
        assert_eq!(Percentage::parse("0"), Ok(Percentage::ZERO));
    }

    #[test]
    fn refuses_out_of_range_and_garbage() {
        assert_eq!(
            Percentage::parse("100,01").unwrap_err().to_string(),
            "el porcentaje no puede ser mayor que 100 %"
        );
        assert_eq!(
            Percentage::parse("-1").unwrap_err().to_string(),
            "el porcentaje no puede ser negativo"
        );
        assert_eq!(
            Percentage::parse("abc").unwrap_err().to_string(),
            "«abc» no es un porcentaje válido"
        );
        for text in ["", "%", "1.000,5", "5,", ",5", "5..2", "5 2", "5\u{0}"] {
            assert!(Percentage::parse(text).is_err(), "{text}");
        }
        let message = Percentage::parse(&"1".repeat(100_000))
            .unwrap_err()
            .to_string();
        assert!(message.chars().count() < 80, "{message}");
    }

    #[test]
    fn displays_with_a_comma() {
        assert_eq!(Percentage::parse("5.2").unwrap().to_string(), "5,2 %");
        assert_eq!(Percentage::parse("5").unwrap().to_string(), "5 %");
        assert_eq!(Percentage::parse("5,20").unwrap().to_string(), "5,2 %");
    }

    #[test]
    fn serializes_as_a_decimal_string() {
        let p = Percentage::parse("5,2").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"5.2\"");
        assert_eq!(serde_json::from_str::<Percentage>("\"5.2\"").unwrap(), p);
        assert!(serde_json::from_str::<Percentage>("\"101\"").is_err());
    }
}
