use serde::{Deserialize, Serialize};

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
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.razon_social.trim().is_empty() {
            return Err(DomainError::Required("razón social"));
        }
        Ok(())
    }
}
