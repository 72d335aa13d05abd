//! The names a contract's rows show, read in bulk for a batch of contracts.

use std::collections::{HashMap, HashSet};

use arriendo_events::Contrato;
use uuid::Uuid;

use super::CHUNK;
use crate::store::{StoreError, Tx};

/// A tenant's name and NIT as `rm_terceros` keeps them.
#[derive(sqlx::FromRow)]
struct TerceroName {
    id: String,
    razon_social: String,
    nit: String,
}

/// A premises' name as `rm_locales` keeps it.
#[derive(sqlx::FromRow)]
struct LocalName {
    id: String,
    name: String,
}

/// The tenants' names and NITs and the premises' names the contracts of one batch show, read from the
/// catalog read models in one statement per few hundred ids.
#[derive(Default)]
pub struct Names {
    terceros: HashMap<String, (String, String)>,
    locales: HashMap<String, String>,
}

impl Names {
    pub async fn load<'a>(
        tx: &mut Tx,
        states: impl IntoIterator<Item = &'a Contrato>,
    ) -> Result<Self, StoreError> {
        let mut terceros = HashSet::new();
        let mut locales = HashSet::new();
        for state in states {
            if let Some(terms) = &state.terms {
                terceros.insert(terms.tercero_id.to_string());
                if let Some(local) = terms.local_id {
                    locales.insert(local.to_string());
                }
            }
        }
        let terceros: Vec<String> = terceros.into_iter().collect();
        let locales: Vec<String> = locales.into_iter().collect();
        let mut names = Names::default();
        for chunk in terceros.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, razon_social, nit FROM rm_terceros WHERE id IN ({})",
                marks(chunk.len())
            );
            let rows: Vec<TerceroName> = crate::on_tx!(tx, conn => {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                query.fetch_all(&mut *conn).await?
            });
            names
                .terceros
                .extend(rows.into_iter().map(|t| (t.id, (t.razon_social, t.nit))));
        }
        for chunk in locales.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, name FROM rm_locales WHERE id IN ({})",
                marks(chunk.len())
            );
            let rows: Vec<LocalName> = crate::on_tx!(tx, conn => {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                query.fetch_all(&mut *conn).await?
            });
            names
                .locales
                .extend(rows.into_iter().map(|l| (l.id, l.name)));
        }
        Ok(names)
    }

    pub(super) fn tercero(&self, id: Uuid) -> (String, String) {
        self.terceros
            .get(&id.to_string())
            .cloned()
            .unwrap_or_else(|| ("(tercero desconocido)".into(), String::new()))
    }

    pub(super) fn local(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.locales.get(&id.to_string()).cloned())
    }
}

/// `$1, $2, …, $n`.
pub(super) fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
