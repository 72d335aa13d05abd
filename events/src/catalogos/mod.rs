//! Catálogos: the tipos de contrato (client contracts), the tipos de servicio (supplier contracts)
//! and the cláusulas with the scopes where each is mandatory.
//!
//! One stream holds them all (aggregate type `catalogos`, id [`CATALOGOS_ID`]): the catalogs are
//! small and edited rarely, so one consistency boundary decides the uniqueness of names (case and
//! accents ignored) and that a mandatory scope names a type of the right catalog, with no trigger.
//! Every entry counts its own version, so editing one entry does not make another's form stale.

mod aggregate;
mod command;
mod data;
mod event;
#[cfg(test)]
mod tests;

pub use aggregate::{Catalogos, Clause, TypeEntry};
pub use command::CatalogosCommand;
pub use data::{ClauseData, ClauseScope, TypeCatalog, name_key};
pub use event::CatalogosEvent;

/// The id of the one stream of the catalogs.
pub const CATALOGOS_ID: &str = "catalogos";
