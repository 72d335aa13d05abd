//! The catalogs (folded from `rm_catalog_events`), contracts per type, and a contract's checklists.

use std::collections::HashMap;

use arriendo_events::{Catalogos, ContratoEvent};
use uuid::Uuid;

use crate::store::{Db, StoreError};

/// The catalogs as the projector last recorded them.
pub async fn catalog(db: &Db) -> Result<Catalogos, StoreError> {
    crate::read_models::catalogos_state(db).await
}

/// How many contracts (not deleted) have each type.
pub async fn contracts_per_type(db: &Db) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<(String, i64)> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT type_id, COUNT(*) FROM rm_contracts \
             WHERE type_id IS NOT NULL AND status <> 'eliminado' GROUP BY type_id",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows.into_iter().collect())
}

/// One recorded checklist: who, when (RFC 3339, UTC), the clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChecklist {
    pub by: String,
    pub recorded_at: String,
    pub clause_ids: Vec<Uuid>,
}

/// sequence, event type, event version, payload, actor, recorded at.
type ChecklistRow = (i64, String, String, String, Option<String>, Option<String>);

/// Every checklist recorded for a contract, oldest first.
pub async fn checklists(db: &Db, contract_id: &str) -> Result<Vec<RecordedChecklist>, StoreError> {
    let rows: Vec<ChecklistRow> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT e.sequence, e.event_type, e.event_version, e.payload, h.actor, h.recorded_at \
             FROM rm_contract_events e LEFT JOIN rm_history h \
               ON h.aggregate_type = 'contrato' AND h.aggregate_id = e.contract_id \
              AND h.sequence = e.sequence \
             WHERE e.contract_id = $1 AND e.event_type = 'ClauseChecklistRecorded' \
             ORDER BY e.sequence",
        )
        .bind(contract_id)
        .fetch_all(pool)
        .await?
    });
    let mut lists = Vec::with_capacity(rows.len());
    for (sequence, event_type, version, payload, actor, recorded_at) in rows {
        let event: ContratoEvent = crate::read_models::payload::typed_parts(
            "contrato",
            contract_id,
            sequence,
            &event_type,
            &version,
            serde_json::from_str(&payload)?,
        )?;
        if let ContratoEvent::ClauseChecklistRecorded { clause_ids, by } = event {
            lists.push(RecordedChecklist {
                by: actor.unwrap_or(by),
                recorded_at: recorded_at.unwrap_or_default(),
                clause_ids,
            });
        }
    }
    Ok(lists)
}

/// (id, label) of the types the contract form offers: every active tipo de contrato, then every
/// active tipo de servicio, and `keep` (the contract's own type) even when inactive.
pub async fn type_options(db: &Db, keep: &str) -> Result<Vec<(String, String)>, StoreError> {
    use arriendo_events::TypeCatalog;
    let catalog = catalog(db).await?;
    let mut options = Vec::new();
    for (which, prefix) in [
        (TypeCatalog::Contrato, "Tipo de contrato"),
        (TypeCatalog::Servicio, "Tipo de servicio"),
    ] {
        for t in catalog.types_of(which) {
            let id = t.id.to_string();
            if t.active {
                options.push((id, format!("{prefix}: {}", t.name)));
            } else if id == keep {
                options.push((id, format!("{prefix}: {} (inactivo)", t.name)));
            }
        }
    }
    Ok(options)
}
