//! The approval inbox: Otro Sí en revisión (`rm_otrosi`) and proposed renewals (`rm_renewals`) of
//! contracts neither deleted nor terminated, and what one user sent.

use arriendo_events::format_date;
use arriendo_views::pages::bandeja::{InboxItem, InboxKind};

use crate::store::{Db, StoreError};

/// Contracts whose pending items still matter.
const OPEN: &str = "c.status NOT IN ('eliminado', 'terminado')";

/// Upper bound of what one user's «sent» list shows.
const SENT_LIMIT: i64 = 100;

type OtroSiTuple = (
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

type RenewalTuple = (
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn date(iso: &str) -> String {
    iso.parse().map_or_else(|_| iso.to_string(), format_date)
}

fn number(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn otrosi_item(t: OtroSiTuple) -> InboxItem {
    let (id, contract, tercero, n, status, from, description, sent_by, decided_by, reason) = t;
    let pending = status == "en_revision";
    let summary = if description.trim().is_empty() {
        format!("Rige desde el {}.", date(&from))
    } else {
        format!("Rige desde el {}: {description}", date(&from))
    };
    InboxItem {
        kind: InboxKind::OtroSi,
        contract_id: id,
        contract_number: contract,
        tercero_name: tercero,
        number: number(n),
        status: match status.as_str() {
            "en_revision" => "en revisión".to_string(),
            other => other.to_string(),
        },
        pending,
        summary,
        sent_by,
        decided_by,
        reason,
    }
}

fn renewal_item(t: RenewalTuple) -> InboxItem {
    let (id, contract, tercero, n, status, previous_end, new_end, approved_by, reason, by) = t;
    InboxItem {
        kind: InboxKind::Renovacion,
        contract_id: id,
        contract_number: contract,
        tercero_name: tercero,
        number: number(n),
        pending: status == "propuesta",
        status,
        summary: format!(
            "Prórroga automática: el contrato terminaba el {} y seguiría hasta el {}.",
            date(&previous_end),
            date(&new_end)
        ),
        sent_by: by,
        decided_by: approved_by,
        reason,
    }
}

const OTROSI_SELECT: &str = "SELECT o.contract_id, o.contract_number, o.tercero_name, o.number, o.status, \
     o.effective_from, o.description, COALESCE(o.submitted_by, o.drafted_by), o.decided_by, \
     o.rejection_reason FROM rm_otrosi o JOIN rm_contracts c ON c.id = o.contract_id";

const RENEWAL_SELECT: &str = "SELECT r.contract_id, r.contract_number, r.tercero_name, r.number, r.status, \
     r.previous_end, r.new_end, r.approved_by, r.annulment_reason, r.proposed_by \
     FROM rm_renewals r JOIN rm_contracts c ON c.id = r.contract_id";

async fn renewals(db: &Db, sql: &str, bind: Option<&str>) -> Result<Vec<InboxItem>, StoreError> {
    let rows: Vec<RenewalTuple> = crate::on_pool!(db, pool => {
        let q = sqlx::query_as(sql);
        match bind {
            Some(b) => q.bind(b).bind(SENT_LIMIT).fetch_all(pool).await?,
            None => q.fetch_all(pool).await?,
        }
    });
    Ok(rows.into_iter().map(renewal_item).collect())
}

/// Everything waiting for an administrador, the oldest start first.
pub async fn pending(db: &Db) -> Result<Vec<InboxItem>, StoreError> {
    let sql = format!(
        "{OTROSI_SELECT} WHERE o.status = 'en_revision' AND {OPEN} \
         ORDER BY o.effective_from, o.contract_number, o.number"
    );
    let rows: Vec<OtroSiTuple> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).fetch_all(pool).await?
    });
    let mut items: Vec<InboxItem> = rows.into_iter().map(otrosi_item).collect();
    let sql = format!(
        "{RENEWAL_SELECT} WHERE r.status = 'propuesta' AND {OPEN} \
         ORDER BY r.previous_end, r.contract_number, r.number"
    );
    items.extend(renewals(db, &sql, None).await?);
    Ok(items)
}

/// How many items wait for an administrador (the navigation's count).
pub async fn pending_count(db: &Db) -> Result<u64, StoreError> {
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM rm_otrosi o JOIN rm_contracts c ON c.id = o.contract_id \
         WHERE o.status = 'en_revision' AND {OPEN}) + (SELECT COUNT(*) FROM rm_renewals r \
         JOIN rm_contracts c ON c.id = r.contract_id WHERE r.status = 'propuesta' AND {OPEN})"
    );
    let count: i64 = crate::on_pool!(db, pool => {
        sqlx::query_scalar(&sql).fetch_one(pool).await?
    });
    Ok(u64::try_from(count).unwrap_or(0))
}

/// What `username` sent for approval (Otro Sí sent to revisión, renewals proposed), pending first.
pub async fn sent_by(db: &Db, username: &str) -> Result<Vec<InboxItem>, StoreError> {
    let sql = format!(
        "{OTROSI_SELECT} WHERE o.submitted_by = $1 AND c.status <> 'eliminado' \
         ORDER BY CASE o.status WHEN 'en_revision' THEN 0 ELSE 1 END, o.contract_number, o.number \
         LIMIT $2"
    );
    let rows: Vec<OtroSiTuple> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(username).bind(SENT_LIMIT).fetch_all(pool).await?
    });
    let mut items: Vec<InboxItem> = rows.into_iter().map(otrosi_item).collect();
    let sql = format!(
        "{RENEWAL_SELECT} WHERE r.proposed_by = $1 AND c.status <> 'eliminado' \
         ORDER BY CASE r.status WHEN 'propuesta' THEN 0 ELSE 1 END, r.contract_number, r.number \
         LIMIT $2"
    );
    items.extend(renewals(db, &sql, Some(username)).await?);
    Ok(items)
}
