//! Terceros and locales: list with search, state of one, uniqueness checks, and their contracts.

use arriendo_events::{Local, Nit, Tercero};
use arriendo_views::pages::catalogos::ContractRow;

use super::decode::iso_date;
use super::filters::{Bind, Filters, bind_all, limit_offset};
use crate::store::{Db, StoreError};

/// One tercero of the list: the NIT in canonical form, the kind as its slug.
#[derive(Debug, sqlx::FromRow)]
pub struct TerceroListRow {
    pub id: String,
    pub nit: String,
    pub kind: String,
    pub razon_social: String,
}

/// One page of terceros matching a search (NIT with or without dots, or razón social) and a kind.
pub async fn terceros(
    db: &Db,
    q: &str,
    kind: Option<&str>,
    page: u64,
) -> Result<(Vec<TerceroListRow>, u64), StoreError> {
    let mut f = Filters::new();
    f.search(q);
    if let Some(kind) = kind {
        f.add("kind = ?", vec![Bind::Text(kind.to_string())]);
    }
    let (limit, offset) = limit_offset(page);
    let sql = format!(
        "SELECT id, nit, kind, razon_social FROM rm_terceros{} ORDER BY razon_social, id{}",
        f.where_sql(),
        f.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_terceros{}", f.where_sql());
    let rows: Vec<TerceroListRow> = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_as(&sql), f.binds()).bind(limit).bind(offset).fetch_all(pool).await?
    });
    let total: i64 = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_scalar(&count_sql), f.binds()).fetch_one(pool).await?
    });
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The data of one catalog entry's last event (see `read_models::catalogs`).
async fn data_of<T: serde::de::DeserializeOwned>(
    db: &Db,
    sql: &str,
    id: &str,
) -> Result<Option<T>, StoreError> {
    let data: Option<Option<String>> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?
    });
    Ok(match data.flatten() {
        Some(json) => Some(serde_json::from_str(&json)?),
        None => None,
    })
}

pub async fn tercero(db: &Db, id: &str) -> Result<Option<Tercero>, StoreError> {
    let data = data_of(db, "SELECT data FROM rm_terceros WHERE id = $1", id).await?;
    Ok(data.map(crate::read_models::tercero_from))
}

pub async fn local(db: &Db, id: &str) -> Result<Option<Local>, StoreError> {
    let data = data_of(db, "SELECT data FROM rm_locales WHERE id = $1", id).await?;
    Ok(data.map(crate::read_models::local_from))
}

/// The id of another tercero of `kind` with the same NIT (typed with or without check digit).
pub async fn nit_taken(
    db: &Db,
    kind: &str,
    nit: &Nit,
    except_id: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let bare = nit.number().to_string();
    let full = format!("{bare}-{}", nit.computed_check_digit());
    let except = except_id.unwrap_or("");
    let id: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT id FROM rm_terceros WHERE kind = $1 AND (nit = $2 OR nit = $3) AND id <> $4 LIMIT 1",
        )
        .bind(kind)
        .bind(&bare)
        .bind(&full)
        .bind(except)
        .fetch_optional(pool)
        .await?
    });
    Ok(id)
}

/// One local of the list, its area in m² as decimal text.
#[derive(Debug, sqlx::FromRow)]
pub struct LocalListRow {
    pub id: String,
    pub name: String,
    pub location: String,
    pub area_m2: String,
}

pub async fn locales(db: &Db, q: &str, page: u64) -> Result<(Vec<LocalListRow>, u64), StoreError> {
    let mut f = Filters::new();
    f.search(q);
    let (limit, offset) = limit_offset(page);
    let sql = format!(
        "SELECT id, name, location, area_m2 FROM rm_locales{} ORDER BY name, id{}",
        f.where_sql(),
        f.limit_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM rm_locales{}", f.where_sql());
    let rows: Vec<LocalListRow> = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_as(&sql), f.binds()).bind(limit).bind(offset).fetch_all(pool).await?
    });
    let total: i64 = crate::on_pool!(db, pool => {
        bind_all!(sqlx::query_scalar(&count_sql), f.binds()).fetch_one(pool).await?
    });
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The id of another local with the same commercial name (case and spaces ignored).
pub async fn local_name_taken(
    db: &Db,
    name: &str,
    except_id: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let except = except_id.unwrap_or("");
    let id: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT id FROM rm_locales WHERE LOWER(TRIM(name)) = $1 AND id <> $2 LIMIT 1",
        )
        .bind(name.trim().to_lowercase())
        .bind(except)
        .fetch_optional(pool)
        .await?
    });
    Ok(id)
}

/// Which contracts to list: those of a tercero or of a local.
#[derive(Clone, Copy, Debug)]
pub enum ContractsOf<'a> {
    Tercero(&'a str),
    Local(&'a str),
}

#[derive(sqlx::FromRow)]
struct ContractListed {
    id: String,
    number: String,
    kind: String,
    tercero_name: String,
    local_name: Option<String>,
    modality: String,
    start_date: String,
    end_date: String,
    status: String,
}

/// The contracts of a tercero or a local, newest start first (at most 500).
pub async fn contracts_of(db: &Db, of: ContractsOf<'_>) -> Result<Vec<ContractRow>, StoreError> {
    let (column, id) = match of {
        ContractsOf::Tercero(id) => ("tercero_id", id),
        ContractsOf::Local(id) => ("local_id", id),
    };
    let sql = format!(
        "SELECT id, number, kind, tercero_name, local_name, modality, start_date, end_date, status \
         FROM rm_contracts WHERE {column} = $1 ORDER BY start_date DESC, number LIMIT 500"
    );
    let rows: Vec<ContractListed> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql).bind(id).fetch_all(pool).await?
    });
    rows.into_iter()
        .map(|r| {
            Ok(ContractRow {
                start_date: iso_date(&r.start_date)?,
                end_date: iso_date(&r.end_date)?,
                id: r.id,
                number: r.number,
                kind: r.kind,
                tercero_name: r.tercero_name,
                local_name: r.local_name,
                modality: r.modality,
                status: r.status,
            })
        })
        .collect()
}

/// The number of a contract (for list headers filtered by contract).
pub async fn contract_number(db: &Db, id: &str) -> Result<Option<String>, StoreError> {
    let number: Option<String> = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT number FROM rm_contracts WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    Ok(number)
}
