//! The list of every póliza (from `rm_polizas`) with its filters, and the contract of a póliza.

use arriendo_views::pages::polizas::{PolizaFilters, PolizaRow};

use super::decode::iso_date;
use super::filters::{Bind, Filters, bind_all, limit_offset};
use crate::store::{Db, StoreError};

#[derive(sqlx::FromRow)]
struct PolizaListed {
    id: String,
    contract_id: String,
    contract_number: String,
    tercero_name: String,
    kind: String,
    number: String,
    insurer: String,
    insured_value: i64,
    valid_to: String,
    effective_expiry: String,
    status: String,
    compliance: String,
    required_by: String,
}

/// The kind as stored (its display name) for a filter slug.
fn kind_name(slug: &str) -> Option<&'static str> {
    match slug {
        "cumplimiento" => Some("Cumplimiento"),
        "rce" => Some("RCE"),
        "arrendamiento" => Some("Arrendamiento"),
        "todo_riesgo" => Some("Todo riesgo"),
        _ => None,
    }
}

/// What a search over pólizas looks in: the póliza's number and its contract's folded search text
/// (contract number, tenant, NIT and local).
const SEARCHED: &str = "(LOWER(number) || ' ' || COALESCE((SELECT c.search FROM rm_contracts c \
                        WHERE c.id = rm_polizas.contract_id), ''))";

/// The pólizas a search finds (the list's box and the global search).
pub fn searched(q: &str) -> Filters {
    let mut f = Filters::new();
    f.search_in(SEARCHED, q);
    f
}

const KNOWN_KINDS: &str = "('Cumplimiento', 'RCE', 'Arrendamiento', 'Todo riesgo')";

/// One page of pólizas, sorted by effective expiry (soonest first).
pub async fn list(
    db: &Db,
    filters: &PolizaFilters,
    page: u64,
) -> Result<(Vec<PolizaRow>, u64), StoreError> {
    let mut f = searched(&filters.q);
    match filters.estado.as_str() {
        "vigente" | "vencida" | "cancelada" => {
            f.add("status = ?", vec![Bind::Text(filters.estado.clone())])
        }
        "por_vencer" => f.add(
            "(status = ? OR status = ?)",
            vec![
                Bind::Text("por-vencer".into()),
                Bind::Text("por_vencer".into()),
            ],
        ),
        _ => {}
    }
    if matches!(filters.cumplimiento.as_str(), "cumple" | "no_cumple") {
        f.add(
            "compliance = ?",
            vec![Bind::Text(filters.cumplimiento.clone())],
        );
    }
    if !filters.contrato.is_empty() {
        f.add(
            "contract_id = ?",
            vec![Bind::Text(filters.contrato.clone())],
        );
    }
    if let Some(name) = kind_name(&filters.tipo) {
        f.add("kind = ?", vec![Bind::Text(name.to_string())]);
    } else if filters.tipo == "otra" {
        f.add(&format!("kind NOT IN {KNOWN_KINDS}"), vec![]);
    }
    if let Some(month) = filters.month() {
        // What the dashboard chart's bar counts (see `queries::dashboard::monthly_chart`).
        f.add(
            "status <> 'cancelada' AND contract_status NOT IN ('eliminado', 'terminado') \
             AND effective_expiry >= ? AND effective_expiry <= ?",
            vec![
                Bind::Text(month.first_day().format("%Y-%m-%d").to_string()),
                Bind::Text(month.last_day().format("%Y-%m-%d").to_string()),
            ],
        );
    }
    if matches!(filters.clase.as_str(), "cliente" | "proveedor") {
        f.add("contract_kind = ?", vec![Bind::Text(filters.clase.clone())]);
    }
    let (limit, offset) = limit_offset(page);
    let sql = format!(
        "SELECT id, contract_id, contract_number, tercero_name, kind, number, insurer, insured_value, \
         valid_to, effective_expiry, status, compliance, required_by FROM rm_polizas{} \
         ORDER BY effective_expiry, contract_number, id{}",
        f.where_sql(),
        f.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_polizas{}", f.where_sql());
    let rows: Vec<PolizaListed> = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_as(&sql), f.binds()).bind(limit).bind(offset).fetch_all(pool).await?
    });
    let total: i64 = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_scalar(&count_sql), f.binds()).fetch_one(pool).await?
    });
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(PolizaRow {
                valid_to: iso_date(&r.valid_to)?,
                effective_expiry: iso_date(&r.effective_expiry)?,
                id: r.id,
                contract_id: r.contract_id,
                contract_number: r.contract_number,
                tercero_name: r.tercero_name,
                kind: r.kind,
                number: r.number,
                insurer: r.insurer,
                insured_value: r.insured_value,
                status: r.status,
                compliance: r.compliance,
                required_by: r.required_by,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The contract a póliza belongs to.
pub async fn contract_of(db: &Db, poliza_id: &str) -> Result<Option<String>, StoreError> {
    let id: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT contract_id FROM rm_polizas WHERE id = $1")
            .bind(poliza_id)
            .fetch_optional(pool)
            .await?
    });
    Ok(id)
}
