//! Índices: yearly IPC and minimum-wage increase values, one stream per index kind
//! (aggregate ids `"ipc"` and `"salario_minimo"`, see [`IndexKind::stream_id`]).

mod aggregate;
mod command;
mod event;
mod kind;
#[cfg(test)]
mod tests;

pub use aggregate::{IndexValue, Indice};
pub use command::IndiceCommand;
pub use event::IndiceEvent;
pub use kind::IndexKind;
