use serde::{Deserialize, Serialize};

use crate::bounds::check_line;
use crate::{DomainError, Email, Nit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TerceroKind {
    Arrendatario,
    Proveedor,
}

/// What a tercero's form holds. The NIT is unique per kind: the app checks that before registering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerceroData {
    pub nit: Nit,
    pub razon_social: String,
    pub kind: TerceroKind,
    pub legal_representative: Option<String>,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<Email>,
}

impl TerceroData {
    /// Names within 200 characters, no control characters (the NIT and e-mail are bounded by
    /// their types).
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("razón social", &self.razon_social)?;
        if let Some(name) = &self.legal_representative {
            check_line("representante legal", name)?;
        }
        if let Some(name) = &self.supervisor_name {
            check_line("nombre del supervisor", name)?;
        }
        if let Some(email) = &self.supervisor_email {
            check_line("correo del supervisor", email.as_str())?;
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.razon_social.trim().is_empty() {
            return Err(DomainError::Required("razón social"));
        }
        Ok(())
    }
}
