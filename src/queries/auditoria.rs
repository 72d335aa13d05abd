//! What the auditor's log needs besides the events themselves: a contract's id from its number, and
//! the names of the records a page of events touches.

use std::collections::HashMap;

use crate::store::{Db, StoreError};

/// The id of the contract numbered `number` (deleted contracts included: their history stays).
pub async fn contract_id(db: &Db, number: &str) -> Result<Option<String>, StoreError> {
    crate::on_pool!(db, pool => {
        Ok(sqlx::query_scalar("SELECT id FROM rm_contracts WHERE number = $1")
            .bind(number.trim())
            .fetch_optional(pool)
            .await?)
    })
}

/// `(aggregate type, id) → name`: contract numbers, razón social of terceros, names of locales.
pub async fn subjects(
    db: &Db,
    ids: &[(String, String)],
) -> Result<HashMap<(String, String), String>, StoreError> {
    let mut names = HashMap::new();
    for (kind, table, column) in [
        ("contrato", "rm_contracts", "number"),
        ("tercero", "rm_terceros", "razon_social"),
        ("local", "rm_locales", "name"),
    ] {
        let wanted: Vec<&String> = ids
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| id)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let marks: Vec<String> = (1..=wanted.len()).map(|i| format!("${i}")).collect();
        // `table` and `column` come from the list above, never from the request.
        let sql = format!(
            "SELECT id, {column} FROM {table} WHERE id IN ({})",
            marks.join(", ")
        );
        let rows: Vec<(String, String)> = crate::on_pool!(db, pool => {
            let mut q = sqlx::query_as(&sql);
            for id in &wanted {
                q = q.bind(id.as_str());
            }
            q.fetch_all(pool).await?
        });
        for (id, name) in rows {
            names.insert((kind.to_string(), id), name);
        }
    }
    Ok(names)
}
