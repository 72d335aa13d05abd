//! The global search (`/buscar`): contracts, terceros, locales and pólizas that match what was
//! typed, with the same filters as each kind's own list (so the counts are the lists' totals), the
//! first rows of each kind and how many there are.

use arriendo_events::Nit;
use arriendo_views::pages::buscar::{Found, Group, Kind, SHOWN};

use super::filters::{Filters, bind_all};
use crate::store::{Db, StoreError};

#[derive(sqlx::FromRow)]
struct ContractFound {
    id: String,
    number: String,
    tercero_name: String,
    local_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TerceroFound {
    id: String,
    nit: String,
    razon_social: String,
}

#[derive(sqlx::FromRow)]
struct LocalFound {
    id: String,
    name: String,
    location: String,
}

#[derive(sqlx::FromRow)]
struct PolizaFound {
    id: String,
    kind: String,
    number: String,
    contract_number: String,
    insurer: String,
}

/// Where one kind is read: its columns, its table and its list's order.
struct Source {
    columns: &'static str,
    table: &'static str,
    order: &'static str,
}

const CONTRACTS: Source = Source {
    columns: "id, number, tercero_name, local_name",
    table: "rm_contracts",
    order: "number ASC",
};
const TERCEROS: Source = Source {
    columns: "id, nit, razon_social",
    table: "rm_terceros",
    order: "razon_social, id",
};
const LOCALES: Source = Source {
    columns: "id, name, location",
    table: "rm_locales",
    order: "name, id",
};
const POLIZAS: Source = Source {
    columns: "id, kind, number, contract_number, insurer",
    table: "rm_polizas",
    order: "effective_expiry, contract_number, id",
};

/// The first [`SHOWN`] rows of `from` matching `filters` in the list's order, and how many match.
async fn first_rows<T>(
    db: &Db,
    from: &Source,
    filters: &Filters,
) -> Result<(Vec<T>, u64), StoreError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let Source {
        columns,
        table,
        order,
    } = from;
    let sql = format!(
        "SELECT {columns} FROM {table}{} ORDER BY {order} LIMIT {SHOWN}",
        filters.where_sql()
    );
    let count_sql = format!("SELECT COUNT(*) FROM {table}{}", filters.where_sql());
    let (rows, total): (Vec<T>, i64) = crate::on_pool!(db, pool => {
        let rows = bind_all!(sqlx::query_as(&sql), filters.binds()).fetch_all(pool).await?;
        let total = bind_all!(sqlx::query_scalar(&count_sql), filters.binds()).fetch_one(pool).await?;
        (rows, total)
    });
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

fn group<T>(kind: Kind, (rows, total): (Vec<T>, u64), found: impl Fn(T) -> Found) -> Group {
    Group {
        kind,
        total,
        rows: rows.into_iter().map(found).collect(),
    }
}

/// One group per kind (in [`Kind::ALL`]'s order) for what was typed; nothing for an empty search.
pub async fn everything(db: &Db, q: &str) -> Result<Vec<Group>, StoreError> {
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut by_text = Filters::new();
    by_text.search(q);
    let contracts = first_rows(db, &CONTRACTS, &super::contratos::searched(q)).await?;
    let terceros = first_rows(db, &TERCEROS, &by_text).await?;
    let locales = first_rows(db, &LOCALES, &by_text).await?;
    let polizas = first_rows(db, &POLIZAS, &super::polizas::searched(q)).await?;
    Ok(vec![
        group(Kind::Contratos, contracts, |c: ContractFound| Found {
            href: format!("/contratos/{}", c.id),
            detail: match c.local_name {
                Some(local) => format!("{} · {local}", c.tercero_name),
                None => c.tercero_name,
            },
            title: c.number,
        }),
        group(Kind::Terceros, terceros, |t: TerceroFound| Found {
            href: format!("/terceros/{}", t.id),
            detail: format!(
                "NIT {}",
                Nit::parse(&t.nit).map(|n| n.to_string()).unwrap_or(t.nit)
            ),
            title: t.razon_social,
        }),
        group(Kind::Locales, locales, |l: LocalFound| Found {
            href: format!("/locales/{}", l.id),
            title: l.name,
            detail: l.location,
        }),
        group(Kind::Polizas, polizas, |p: PolizaFound| Found {
            href: format!("/polizas/{}", p.id),
            title: format!("{} {}", p.kind, p.number),
            detail: format!("Contrato {} · {}", p.contract_number, p.insurer),
        }),
    ])
}
