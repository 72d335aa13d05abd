use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::bounds::{MAX_AREA_M2, check_line};
use crate::{Area, DomainError};

/// A local's form. The commercial name is unique: the app checks that before registering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalData {
    /// Commercial name.
    pub name: String,
    pub location: String,
    pub area_m2: Area,
}

impl LocalData {
    /// Name and location within 200 characters, no control characters, area within range.
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("nombre comercial", &self.name)?;
        check_line("ubicación", &self.location)?;
        if self.area_m2.square_metres() > Decimal::from(MAX_AREA_M2) {
            return Err(DomainError::AreaTooLarge);
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.name.trim().is_empty() {
            return Err(DomainError::Required("nombre comercial"));
        }
        Ok(())
    }
}
