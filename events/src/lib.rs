//! Write side of Arriendo: aggregates, commands, events, domain rules and value types.
//! No I/O here: the app loads aggregates with cqrs-es and stores what they decide.

pub mod actor;
pub mod error;
pub mod values;

pub use actor::{Actor, Role};
pub use error::DomainError;
pub use values::*;
