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
    /// As `RecordIndexValue`, from a form that showed `seen` as the year's value (`None`: none on
    /// file): refused when the value on file changed since, so a correction never overwrites one
    /// its author did not see.
    ReviseIndexValue {
        actor: Actor,
        kind: IndexKind,
        year: i32,
        value: Percentage,
        seen: Option<Percentage>,
    },
}
