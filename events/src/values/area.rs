//! Floor area of a local, in square metres.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::number::{group_thousands, normalize_es_number};
use super::{bounds, quoted};
use crate::DomainError;

/// An area in m², strictly positive. Parses `120`, `120,5`, `1.250,75 m²`; shows `1.250,75 m²`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Area(Decimal);

impl Area {
    /// Refused when not positive or above 10.000.000 m² (see [`super::bounds`]).
    pub fn new(value: Decimal) -> Result<Area, DomainError> {
        let area = Area::from_stored(value)?;
        if area.0 > Decimal::from(bounds::MAX_AREA_M2) {
            Err(DomainError::AreaTooLarge)
        } else {
            Ok(area)
        }
    }

    /// An area read back from a stored event: only the sign is checked, so that an event
    /// recorded before the upper bound existed still reads.
    fn from_stored(value: Decimal) -> Result<Area, DomainError> {
        if value <= Decimal::ZERO {
            Err(DomainError::NonPositiveArea)
        } else {
            Ok(Area(value.normalize()))
        }
    }

    pub fn parse(text: &str) -> Result<Area, DomainError> {
        let original = text.trim();
        let invalid = || DomainError::InvalidArea(quoted(original));
        if original.len() > 40 {
            return Err(invalid());
        }
        let number = ["m²", "m2", "mts", "m"]
            .iter()
            .find_map(|unit| original.strip_suffix(unit))
            .unwrap_or(original)
            .trim_end();
        if number.starts_with('-') {
            return Err(DomainError::NonPositiveArea);
        }
        let plain = normalize_es_number(number).ok_or_else(invalid)?;
        Area::new(Decimal::from_str(&plain).map_err(|_| invalid())?)
    }

    pub fn square_metres(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0.normalize();
        let whole = value.trunc();
        let frac = value.fract().normalize().to_string();
        let grouped = whole
            .to_string()
            .parse::<u128>()
            .map(group_thousands)
            .unwrap_or_else(|_| whole.to_string());
        match frac.strip_prefix("0.") {
            Some(digits) => write!(f, "{grouped},{digits} m²"),
            None => write!(f, "{grouped} m²"),
        }
    }
}

impl FromStr for Area {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::parse(s)
    }
}

impl TryFrom<Decimal> for Area {
    type Error = DomainError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Area::from_stored(value)
    }
}

impl From<Area> for Decimal {
    fn from(value: Area) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_and_displays_es_co() {
        assert_eq!(Area::parse("120").unwrap().square_metres(), dec!(120));
        assert_eq!(
            Area::parse("1.250,75 m²").unwrap().square_metres(),
            dec!(1250.75)
        );
        assert_eq!(
            Area::parse("1.250,75 m²").unwrap().to_string(),
            "1.250,75 m²"
        );
        assert_eq!(Area::parse("85m2").unwrap().to_string(), "85 m²");
    }

    #[test]
    fn refuses_zero_negative_and_garbage() {
        assert_eq!(
            Area::parse("0").unwrap_err().to_string(),
            "el área debe ser mayor que cero"
        );
        assert_eq!(Area::parse("-5").unwrap_err(), DomainError::NonPositiveArea);
        assert!(Area::parse("mucho").is_err());
        assert_eq!(
            Area::parse("10.000.000,01").unwrap_err().to_string(),
            "el área no puede superar 10.000.000 m²"
        );
        assert!(Area::parse("10.000.000").is_ok());
        assert!(serde_json::from_str::<Area>("\"0\"").is_err());
    }
}
