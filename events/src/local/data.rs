use serde::{Deserialize, Serialize};

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
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::Required("nombre comercial"));
        }
        Ok(())
    }
}
