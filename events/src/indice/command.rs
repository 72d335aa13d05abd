use serde::{Deserialize, Serialize};

use super::IndexKind;
use crate::{Actor, Percentage};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IndiceCommand {
    /// Records the value of a year, or corrects it (the history stays in the events).
    RecordIndexValue {
        actor: Actor,
        kind: IndexKind,
        year: i32,
        value: Percentage,
    },
}
