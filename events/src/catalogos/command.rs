use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::data::{ClauseData, ClauseScope, TypeCatalog};
use crate::Actor;

/// Changes of the catalogs: only administradores make them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CatalogosCommand {
    /// `id` is chosen by the app (a new uuid).
    RegisterType {
        actor: Actor,
        id: Uuid,
        catalog: TypeCatalog,
        name: String,
    },
    /// Renames and (de)activates; no event when nothing changed.
    UpdateType {
        actor: Actor,
        id: Uuid,
        name: String,
        active: bool,
        /// The type's version the form showed.
        expected_version: u64,
    },
    RegisterClause {
        actor: Actor,
        id: Uuid,
        clause: ClauseData,
    },
    UpdateClause {
        actor: Actor,
        id: Uuid,
        clause: ClauseData,
        expected_version: u64,
    },
    /// Makes the clause mandatory in `scope` (`mandatory`) or no longer; no event when it
    /// already is (or is not).
    SetMandatory {
        actor: Actor,
        clause_id: Uuid,
        scope: ClauseScope,
        mandatory: bool,
    },
}

impl CatalogosCommand {
    pub fn actor(&self) -> &Actor {
        match self {
            Self::RegisterType { actor, .. }
            | Self::UpdateType { actor, .. }
            | Self::RegisterClause { actor, .. }
            | Self::UpdateClause { actor, .. }
            | Self::SetMandatory { actor, .. } => actor,
        }
    }
}
