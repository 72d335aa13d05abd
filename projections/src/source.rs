//! The document behind a value: the contract itself, an Otro Sí, a renewal, an adjustment.

use std::fmt;

use arriendo_events::{AdjustmentIndex, OtroSiNumber, RenewalNumber, RequiredBy};
use serde::{Deserialize, Serialize};

/// Which document set a value (or a date an alert is about).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// The contract as signed (or as last edited).
    Contrato,
    /// An approved Otro Sí: `"OS-2"`.
    OtroSi(String),
    /// An approved renovación automática: `"RA-1"`.
    Renovacion(String),
    /// A recorded (or, in the schedule, projected) yearly adjustment: `"IPC 2026"`,
    /// `"salario mínimo 2026"`. The canon in force after an adjustment is set by it.
    Ajuste(String),
    /// Not a contract document: the backup system (the Respaldo alert).
    Sistema,
}

impl Source {
    pub fn otro_si(number: OtroSiNumber) -> Source {
        Source::OtroSi(number.to_string())
    }

    pub fn renovacion(number: RenewalNumber) -> Source {
        Source::Renovacion(number.to_string())
    }

    /// `"IPC 2026"` or `"salario mínimo 2026"`.
    pub fn ajuste(index: &AdjustmentIndex, year: i32) -> Source {
        Source::Ajuste(format!("{} {year}", index.kind()))
    }

    /// The document a póliza was delivered for.
    pub fn required_by(required_by: RequiredBy) -> Source {
        match required_by {
            RequiredBy::Contract => Source::Contrato,
            RequiredBy::OtroSi(n) => Source::otro_si(n),
            RequiredBy::Renovacion(n) => Source::renovacion(n),
        }
    }

    /// How the UI names it after a value: "contrato original", "modificado por OS-2",
    /// "renovado por RA-1", "ajustado por IPC 2026", "sistema de respaldos".
    pub fn phrase(&self) -> String {
        match self {
            Source::Contrato => "contrato original".to_string(),
            Source::OtroSi(n) => format!("modificado por {n}"),
            Source::Renovacion(n) => format!("renovado por {n}"),
            Source::Ajuste(what) => format!("ajustado por {what}"),
            Source::Sistema => "sistema de respaldos".to_string(),
        }
    }

    /// The short name: "Contrato", "OS-2", "RA-1", "Ajuste IPC 2026", "Sistema".
    pub fn short(&self) -> String {
        match self {
            Source::Contrato => "Contrato".to_string(),
            Source::OtroSi(n) | Source::Renovacion(n) => n.clone(),
            Source::Ajuste(what) => format!("Ajuste {what}"),
            Source::Sistema => "Sistema".to_string(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

/// A value and the document that set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: Source) -> Sourced<T> {
        Sourced { value, source }
    }

    pub fn contrato(value: T) -> Sourced<T> {
        Sourced::new(value, Source::Contrato)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sourced<U> {
        Sourced {
            value: f(self.value),
            source: self.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_document_in_spanish() {
        assert_eq!(Source::Contrato.phrase(), "contrato original");
        assert_eq!(
            Source::otro_si(OtroSiNumber(2)).phrase(),
            "modificado por OS-2"
        );
        assert_eq!(
            Source::renovacion(RenewalNumber(1)).phrase(),
            "renovado por RA-1"
        );
        assert_eq!(Source::otro_si(OtroSiNumber(2)).to_string(), "OS-2");
    }
}
