//! Renovación automática: numbered `RA-n`, extends the contract by its initial duration.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// `RA-n`: the number of a renewal within its contract. Serialized as the bare integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RenewalNumber(pub u32);

impl fmt::Display for RenewalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RA-{}", self.0)
    }
}

impl FromStr for RenewalNumber {
    type Err = DomainError;
    /// `RA-1`, `ra-1` or `1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = t
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("RA-"))
            .map_or(t, |_| &t[3..]);
        digits
            .parse()
            .map(RenewalNumber)
            .map_err(|_| DomainError::RenewalNotFound(t.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RenewalStatus {
    /// Proposed, waiting for an administrador.
    Propuesta,
    Aprobada,
    Anulada,
}

impl RenewalStatus {
    pub fn phrase(self) -> &'static str {
        match self {
            RenewalStatus::Propuesta => "aún no ha sido aprobada",
            RenewalStatus::Aprobada => "ya fue aprobada",
            RenewalStatus::Anulada => "fue anulada",
        }
    }
}

impl fmt::Display for RenewalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RenewalStatus::Propuesta => "propuesta",
            RenewalStatus::Aprobada => "aprobada",
            RenewalStatus::Anulada => "anulada",
        })
    }
}

/// One automatic renewal of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    pub number: RenewalNumber,
    /// The end date in force when it was proposed.
    pub previous_end: NaiveDate,
    /// previous_end + the duration in force (initial duration unless an Otro Sí changed it).
    pub new_end: NaiveDate,
    pub status: RenewalStatus,
    pub proposed_by: String,
    pub approved_by: Option<String>,
    pub annulment_reason: Option<String>,
}

impl Renewal {
    /// The day after the end it extends.
    pub fn effective_from(&self) -> NaiveDate {
        self.previous_end.succ_opt().unwrap_or(self.previous_end)
    }

    pub(crate) fn wrong_status(&self) -> DomainError {
        DomainError::RenewalWrongStatus {
            number: self.number.to_string(),
            status: self.status.phrase().to_string(),
        }
    }
}
