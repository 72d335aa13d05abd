//! Write side of Arriendo: aggregates, commands, events, domain rules and value types.
//! No I/O here: the app loads aggregates with cqrs-es and stores what they decide.
//!
//! Aggregates (cqrs-es `TYPE`): [`Tercero`] (`tercero`), [`Local`] (`local`),
//! [`Contrato`] (`contrato`), [`Indice`] (`indice`), [`Empresa`] (`empresa`), [`Catalogos`]
//! (`catalogos`, one stream). Each has a pure
//! `decide(&self, command) -> Result<Vec<Event>, DomainError>`; `handle` only writes its events.
//! Event payloads are externally tagged (`{"EventName": {…}}`); every event is version `1.0`.

// No unchecked arithmetic outside tests: stored events reach `apply` and the in-force rules
// unvalidated (issue 9). Tests compute freely.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod actor;
pub mod catalog;
pub mod catalogos;
pub mod contrato;
pub mod empresa;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod indice;
pub mod local;
pub mod tercero;
#[cfg(test)]
mod testing;
pub mod upcasting;
pub mod values;

pub use actor::{Actor, Role};
pub use catalog::{EventDoc, event_catalog};
pub use catalogos::{
    CATALOGOS_ID, Catalogos, CatalogosCommand, CatalogosEvent, Clause, ClauseData, ClauseScope,
    TypeCatalog, TypeEntry,
};
pub use contrato::*;
pub use empresa::{COMPANY_ID, CompanyData, Empresa, EmpresaCommand, EmpresaEvent};
pub use error::DomainError;
pub use indice::{IndexKind, IndexValue, Indice, IndiceCommand, IndiceEvent};
pub use local::{Local, LocalCommand, LocalData, LocalEvent};
pub use tercero::{Tercero, TerceroCommand, TerceroData, TerceroEvent, TerceroKind};
pub use upcasting::upcasters;
pub use values::*;
