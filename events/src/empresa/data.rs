use serde::{Deserialize, Serialize};

use crate::bounds::check_line;
use crate::{DomainError, Email, Nit};

/// «Configuración de la empresa»: who the landlord is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyData {
    pub name: String,
    pub nit: Nit,
    pub legal_representative: String,
    pub address: String,
    pub phone: String,
    pub email: Option<Email>,
}

impl CompanyData {
    /// Every text on one line within 200 characters.
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("nombre de la empresa", &self.name)?;
        check_line("representante legal", &self.legal_representative)?;
        check_line("dirección", &self.address)?;
        check_line("teléfono", &self.phone)?;
        Ok(())
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.name.trim().is_empty() {
            return Err(DomainError::Required("nombre de la empresa"));
        }
        Ok(())
    }
}
