use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::bounds::{check_line, check_text};
use crate::contrato::ContractKind;

/// The largest «orden» of a clause.
pub const MAX_ORDER: u32 = 100_000;

/// Which catalog of types: tipos de contrato go with client contracts, tipos de servicio with
/// supplier contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TypeCatalog {
    Contrato,
    Servicio,
}

impl TypeCatalog {
    /// The catalog of a contract of this kind.
    pub fn of(kind: ContractKind) -> TypeCatalog {
        match kind {
            ContractKind::Cliente => TypeCatalog::Contrato,
            ContractKind::Proveedor => TypeCatalog::Servicio,
        }
    }

    /// `tipo de contrato`, `tipo de servicio`.
    pub fn label(self) -> &'static str {
        match self {
            TypeCatalog::Contrato => "tipo de contrato",
            TypeCatalog::Servicio => "tipo de servicio",
        }
    }
}

/// Where a clause is mandatory: every contract of a kind, or those of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClauseScope {
    AllClient,
    ContractType(Uuid),
    AllSupplier,
    ServiceType(Uuid),
}

impl ClauseScope {
    /// The type the scope names, with its catalog; `None` for the "all" scopes.
    pub fn type_ref(self) -> Option<(TypeCatalog, Uuid)> {
        match self {
            ClauseScope::ContractType(id) => Some((TypeCatalog::Contrato, id)),
            ClauseScope::ServiceType(id) => Some((TypeCatalog::Servicio, id)),
            ClauseScope::AllClient | ClauseScope::AllSupplier => None,
        }
    }

    /// Whether a contract of `kind` and type `type_id` falls under this scope.
    pub fn covers(self, kind: ContractKind, type_id: Option<Uuid>) -> bool {
        match (self, kind) {
            (ClauseScope::AllClient, ContractKind::Cliente)
            | (ClauseScope::AllSupplier, ContractKind::Proveedor) => true,
            (ClauseScope::ContractType(id), ContractKind::Cliente)
            | (ClauseScope::ServiceType(id), ContractKind::Proveedor) => type_id == Some(id),
            _ => false,
        }
    }
}

/// A clause of the catalog. Only the title is required (the old system stored no text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseData {
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub category: String,
    /// Position in lists and checklists (smaller first).
    #[serde(default)]
    pub order: u32,
    pub active: bool,
}

impl ClauseData {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        check_line("título", &self.title)?;
        check_text("texto", &self.text)?;
        check_line("categoría", &self.category)?;
        if self.order > MAX_ORDER {
            return Err(DomainError::OutOfRange { field: "orden" });
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        self.check_bounds()?;
        if self.title.trim().is_empty() {
            return Err(DomainError::Required("título"));
        }
        Ok(())
    }
}

/// The name two entries must not share: trimmed, spaces collapsed, lower-case, without accents
/// (`Tecnología` and ` TECNOLOGIA ` are the same name; ñ stays a letter of its own).
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            other => other,
        })
        .collect()
}

/// A type's name: required, one line within bounds.
pub(super) fn check_type_name(name: &str) -> Result<(), DomainError> {
    check_line("nombre", name)?;
    if name.trim().is_empty() {
        return Err(DomainError::Required("nombre"));
    }
    Ok(())
}
