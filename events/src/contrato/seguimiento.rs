use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A follow-up note on a contract or a póliza. `follow_up` (1.1) is the day to act again, which
/// raises a reminder; notes of 1.0 have none. A correction replaces the text (the event keeps the
/// original in the history); a retraction keeps the note, marked as withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seguimiento {
    pub date: NaiveDate,
    pub author: String,
    pub note: String,
    #[serde(default)]
    pub follow_up: Option<NaiveDate>,
    /// Who corrected the text last (state only: never in the event that adds the note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_by: Option<String>,
    /// Why and by whom the note was withdrawn (state only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracted: Option<Retraction>,
}

impl Seguimiento {
    /// A new note as the add command records it.
    pub fn new(
        date: NaiveDate,
        author: String,
        note: String,
        follow_up: Option<NaiveDate>,
    ) -> Self {
        Seguimiento {
            date,
            author,
            note,
            follow_up,
            corrected_by: None,
            retracted: None,
        }
    }

    /// Still in force: not withdrawn.
    pub fn is_active(&self) -> bool {
        self.retracted.is_none()
    }
}

/// A follow-up note withdrawn: it stays, marked, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    pub reason: String,
    pub by: String,
}

/// The end of a contract before (or at) its term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    pub date: NaiveDate,
    pub reason: String,
    pub by: String,
}
