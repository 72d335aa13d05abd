use serde::{Deserialize, Serialize};

use super::TerceroData;
use crate::catalog::domain_event;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TerceroEvent {
    TerceroRegistered(TerceroData),
    TerceroUpdated(TerceroData),
}

impl TerceroEvent {
    pub fn check_bounds(&self) -> Result<(), crate::DomainError> {
        match self {
            TerceroEvent::TerceroRegistered(data) | TerceroEvent::TerceroUpdated(data) => {
                data.check_bounds()
            }
        }
    }
}

domain_event!(TerceroEvent, "tercero", {
    TerceroRegistered => "1.0", &["nit", "razon_social", "kind", "legal_representative", "supervisor_name", "supervisor_email"];
    TerceroUpdated => "1.0", &["nit", "razon_social", "kind", "legal_representative", "supervisor_name", "supervisor_email"];
});
