use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A follow-up note on a contract or a póliza.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seguimiento {
    pub date: NaiveDate,
    pub author: String,
    pub note: String,
}

/// The end of a contract before (or at) its term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    pub date: NaiveDate,
    pub reason: String,
    pub by: String,
}
