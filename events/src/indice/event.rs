use serde::{Deserialize, Serialize};

use super::IndexKind;
use crate::Percentage;
use crate::catalog::domain_event;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IndiceEvent {
    /// `previous` is the value it replaces, when it is a correction.
    IndexValueRecorded {
        kind: IndexKind,
        year: i32,
        value: Percentage,
        previous: Option<Percentage>,
        by: String,
    },
}

domain_event!(IndiceEvent, "indice", {
    IndexValueRecorded => "1.0", &["kind", "year", "value", "previous", "by"];
});
