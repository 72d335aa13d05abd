//! Tercero: a party to contracts, tenant (arrendatario) or supplier (proveedor).

mod aggregate;
mod command;
mod data;
mod event;
#[cfg(test)]
mod tests;

pub use aggregate::Tercero;
pub use command::TerceroCommand;
pub use data::{TerceroData, TerceroKind};
pub use event::TerceroEvent;
