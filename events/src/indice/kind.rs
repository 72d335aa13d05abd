use std::fmt;

use serde::{Deserialize, Serialize};

/// Which published index a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndexKind {
    /// Índice de precios al consumidor (DANE), yearly variation.
    Ipc,
    /// Yearly increase of the salario mínimo legal vigente.
    SalarioMinimo,
}

impl IndexKind {
    /// The aggregate id of this index's stream.
    pub fn stream_id(self) -> &'static str {
        match self {
            IndexKind::Ipc => "ipc",
            IndexKind::SalarioMinimo => "salario_minimo",
        }
    }
}

impl fmt::Display for IndexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IndexKind::Ipc => "IPC",
            IndexKind::SalarioMinimo => "salario mínimo",
        })
    }
}
