//! Local: the premises that are leased.

mod aggregate;
mod command;
mod data;
mod event;
#[cfg(test)]
mod tests;

pub use aggregate::Local;
pub use command::LocalCommand;
pub use data::LocalData;
pub use event::{LOCAL_REGISTERED_VERSION, LocalEvent};
