//! NIT: the Colombian tax identification number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::number::group_thousands;
use super::quoted;
use crate::DomainError;

/// A NIT: 5 to 15 digits, with an optional DIAN check digit (`900123456-8`).
/// Dots and spaces are removed on parsing; the check digit, when given, must be right.
/// Serialized in its canonical form (`"900123456-8"`); shown with dots (`900.123.456-8`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nit {
    number: String,
    check_digit: Option<u8>,
}

/// DIAN weights, applied from the rightmost digit of the number.
const WEIGHTS: [u32; 15] = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

impl Nit {
    pub fn parse(text: &str) -> Result<Nit, DomainError> {
        let original = text.trim();
        let invalid = || DomainError::InvalidNit(quoted(original));
        let cleaned: String = original
            .chars()
            .filter(|c| *c != '.' && !c.is_whitespace())
            .collect();
        let (number, check) = match cleaned.split_once('-') {
            Some((number, check)) => (number.to_string(), Some(check)),
            None => (cleaned.clone(), None),
        };
        if !(5..=15).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let check_digit = match check {
            None => None,
            Some(c) if c.len() == 1 && c.bytes().all(|b| b.is_ascii_digit()) => {
                c.parse::<u8>().ok()
            }
            Some(_) => return Err(invalid()),
        };
        let expected = check_digit_of(&number);
        if let Some(given) = check_digit
            && given != expected
        {
            return Err(DomainError::WrongNitCheckDigit { number, expected });
        }
        Ok(Nit {
            number,
            check_digit,
        })
    }

    /// The digits without the check digit: what uniqueness is checked on.
    pub fn number(&self) -> &str {
        &self.number
    }

    pub fn check_digit(&self) -> Option<u8> {
        self.check_digit
    }

    /// The DIAN check digit of this number (whether or not it was typed).
    pub fn computed_check_digit(&self) -> u8 {
        check_digit_of(&self.number)
    }

    /// `900123456-8` (or `900123456` without check digit).
    pub fn canonical(&self) -> String {
        match self.check_digit {
            Some(d) => format!("{}-{d}", self.number),
            None => self.number.clone(),
        }
    }
}

/// The DIAN check digit ("dígito de verificación") of a string of digits.
pub fn check_digit_of(number: &str) -> u8 {
    let sum: u32 = number
        .bytes()
        .rev()
        .zip(WEIGHTS.iter())
        .map(|(b, w)| u32::from(b.saturating_sub(b'0')).saturating_mul(*w))
        .sum();
    let r = sum % 11;
    // r < 11, so the cast is lossless.
    (if r >= 2 { 11u32.saturating_sub(r) } else { r }) as u8
}

impl fmt::Display for Nit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grouped = self
            .number
            .parse::<u128>()
            .map(group_thousands)
            .unwrap_or_else(|_| self.number.clone());
        // Leading zeros are kept as typed.
        let grouped = if self.number.starts_with('0') {
            self.number.clone()
        } else {
            grouped
        };
        match self.check_digit {
            Some(d) => write!(f, "{grouped}-{d}"),
            None => write!(f, "{grouped}"),
        }
    }
}

impl FromStr for Nit {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nit::parse(s)
    }
}

impl TryFrom<String> for Nit {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nit::parse(&value)
    }
}

impl From<Nit> for String {
    fn from(value: Nit) -> Self {
        value.canonical()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_the_dian_check_digit() {
        assert_eq!(check_digit_of("900123456"), 8);
        assert_eq!(check_digit_of("860002964"), 4); // a well-known NIT
        assert_eq!(check_digit_of("800197268"), 4); // DIAN itself
    }

    #[test]
    fn normalises_dots_and_spaces() {
        let nit = Nit::parse(" 900.123.456 - 8 ").unwrap();
        assert_eq!(nit.canonical(), "900123456-8");
        assert_eq!(nit.to_string(), "900.123.456-8");
        assert_eq!(Nit::parse("900123456").unwrap().check_digit(), None);
    }

    #[test]
    fn refuses_a_wrong_check_digit_in_spanish() {
        assert_eq!(
            Nit::parse("900123456-7").unwrap_err().to_string(),
            "el dígito de verificación del NIT 900123456 debe ser 8"
        );
    }

    #[test]
    fn refuses_garbage() {
        for text in [
            "",
            "abc",
            "12",
            "900123456-",
            "900123456-12",
            "9001A3456",
            "900-123-456",
        ] {
            assert!(Nit::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn round_trips_through_json() {
        let nit = Nit::parse("900.123.456-8").unwrap();
        let json = serde_json::to_string(&nit).unwrap();
        assert_eq!(json, "\"900123456-8\"");
        assert_eq!(serde_json::from_str::<Nit>(&json).unwrap(), nit);
    }
}
