use serde::{Deserialize, Serialize};

use super::LocalData;
use crate::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LocalCommand {
    RegisterLocal {
        actor: Actor,
        data: LocalData,
    },
    /// Replaces the whole record (the edit form); no event when nothing changed.
    UpdateLocal {
        actor: Actor,
        data: LocalData,
        /// The local's version the form showed.
        expected_version: u64,
    },
}

impl LocalCommand {
    pub fn actor(&self) -> &Actor {
        match self {
            Self::RegisterLocal { actor, .. } | Self::UpdateLocal { actor, .. } => actor,
        }
    }
}
