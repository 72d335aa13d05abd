use serde::{Deserialize, Serialize};

use super::TerceroData;
use crate::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TerceroCommand {
    RegisterTercero {
        actor: Actor,
        data: TerceroData,
    },
    /// Replaces the whole record (the edit form); no event when nothing changed.
    UpdateTercero {
        actor: Actor,
        data: TerceroData,
        /// The tercero's version the form showed.
        expected_version: u64,
    },
}

impl TerceroCommand {
    pub fn actor(&self) -> &Actor {
        match self {
            Self::RegisterTercero { actor, .. } | Self::UpdateTercero { actor, .. } => actor,
        }
    }
}
