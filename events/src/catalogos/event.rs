use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::data::{ClauseData, ClauseScope, TypeCatalog, check_type_name};
use crate::catalog::domain_event;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CatalogosEvent {
    TypeRegistered {
        id: Uuid,
        catalog: TypeCatalog,
        name: String,
    },
    /// A rename, a deactivation (no longer offered on the contract form) or a reactivation.
    TypeUpdated {
        id: Uuid,
        name: String,
        active: bool,
    },
    ClauseRegistered {
        id: Uuid,
        clause: ClauseData,
    },
    ClauseUpdated {
        id: Uuid,
        clause: ClauseData,
    },
    MandatoryClauseAdded {
        clause_id: Uuid,
        scope: ClauseScope,
    },
    MandatoryClauseRemoved {
        clause_id: Uuid,
        scope: ClauseScope,
    },
}

impl CatalogosEvent {
    pub fn check_bounds(&self) -> Result<(), crate::DomainError> {
        match self {
            Self::TypeRegistered { name, .. } | Self::TypeUpdated { name, .. } => {
                check_type_name(name)
            }
            Self::ClauseRegistered { clause, .. } | Self::ClauseUpdated { clause, .. } => {
                clause.check_bounds()
            }
            Self::MandatoryClauseAdded { .. } | Self::MandatoryClauseRemoved { .. } => Ok(()),
        }
    }
}

domain_event!(CatalogosEvent, "catalogos", {
    TypeRegistered => "1.0", &["id", "catalog", "name"];
    TypeUpdated => "1.0", &["id", "name", "active"];
    ClauseRegistered => "1.0", &["id", "clause"];
    ClauseUpdated => "1.0", &["id", "clause"];
    MandatoryClauseAdded => "1.0", &["clause_id", "scope"];
    MandatoryClauseRemoved => "1.0", &["clause_id", "scope"];
});
