//! Terceros, locales and index values.

use arriendo_events::{
    Indice, IndiceEvent, Local, LocalData, LocalEvent, Tercero, TerceroData, TerceroEvent,
    TerceroKind,
};

use super::contracts;
use super::payload::typed;
use crate::store::event_log::StoredEvent;
use crate::store::{StoreError, Tx};

pub fn kind_slug(kind: TerceroKind) -> &'static str {
    match kind {
        TerceroKind::Arrendatario => "arrendatario",
        TerceroKind::Proveedor => "proveedor",
    }
}

/// The data of the catalog entry's last event (`TerceroData`, `LocalData`): an event payload, so its
/// format is kept readable by the event discipline, unlike the aggregate struct around it.
async fn load_data<T: serde::de::DeserializeOwned>(
    tx: &mut Tx,
    table: &str,
    id: &str,
) -> Result<Option<T>, StoreError> {
    let sql = format!("SELECT data FROM {table} WHERE id = $1");
    let data: Option<Option<String>> = crate::on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(id).fetch_optional(&mut *conn).await?
    });
    Ok(match data.flatten() {
        Some(json) => Some(serde_json::from_str(&json)?),
        None => None,
    })
}

/// A tercero as its aggregate would hold it after an event carrying `data`.
pub fn tercero_from(data: TerceroData) -> Tercero {
    let mut state = Tercero::default();
    state.apply_event(TerceroEvent::TerceroUpdated(data));
    state
}

/// A local as its aggregate would hold it after an event carrying `data`.
pub fn local_from(data: LocalData) -> Local {
    let mut state = Local::default();
    state.apply_event(LocalEvent::LocalUpdated(data));
    state
}

pub async fn apply_tercero(
    tx: &mut Tx,
    event: &StoredEvent,
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let id = event.aggregate_id.as_str();
    let mut state = load_data(tx, "rm_terceros", id)
        .await?
        .map_or_else(Tercero::default, tercero_from);
    state.apply_event(typed::<TerceroEvent>(event)?);
    let Some(data) = &state.data else {
        return Ok(());
    };
    let nit = data.nit.canonical();
    let search = super::search::key(&[&data.razon_social], &[&nit]);
    let json = serde_json::to_string(data)?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_terceros (id, nit, kind, razon_social, search, data) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO UPDATE SET nit = $2, kind = $3, razon_social = $4, search = $5, data = $6",
        )
        .bind(id)
        .bind(&nit)
        .bind(kind_slug(data.kind))
        .bind(&data.razon_social)
        .bind(&search)
        .bind(&json)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    contracts::refresh_where(tx, "tercero_id", id, today).await
}

pub async fn apply_local(
    tx: &mut Tx,
    event: &StoredEvent,
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    let id = event.aggregate_id.as_str();
    let mut state = load_data(tx, "rm_locales", id)
        .await?
        .map_or_else(Local::default, local_from);
    state.apply_event(typed::<LocalEvent>(event)?);
    let Some(data) = &state.data else {
        return Ok(());
    };
    let area = data.area_m2.square_metres().to_string();
    let search = super::search::key(&[&data.name, &data.location], &[]);
    let json = serde_json::to_string(data)?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_locales (id, name, location, area_m2, search, data) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO UPDATE SET name = $2, location = $3, area_m2 = $4, search = $5, data = $6",
        )
        .bind(id)
        .bind(&data.name)
        .bind(&data.location)
        .bind(&area)
        .bind(&search)
        .bind(&json)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    contracts::refresh_where(tx, "local_id", id, today).await
}

pub async fn apply_indice(tx: &mut Tx, event: &StoredEvent) -> Result<(), StoreError> {
    let IndiceEvent::IndexValueRecorded {
        kind, year, value, ..
    } = typed::<IndiceEvent>(event)?;
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO rm_indices (kind, year, value) VALUES ($1, $2, $3) \
             ON CONFLICT (kind, year) DO UPDATE SET value = $3",
        )
        .bind(kind.stream_id())
        .bind(i64::from(year))
        .bind(value.as_decimal().to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// One published index value as `rm_indices` keeps it (the value as decimal text).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndexValueRow {
    pub kind: String,
    pub year: i64,
    pub value: String,
}

/// The index histories, as the projections' canon schedule wants them.
pub fn indices_from_rows(rows: Vec<IndexValueRow>) -> arriendo_projections::schedule::Indices {
    let mut ipc = Indice::default();
    let mut salario_minimo = Indice::default();
    for IndexValueRow { kind, year, value } in rows {
        let (Ok(year), Ok(value)) = (
            i32::try_from(year),
            arriendo_events::Percentage::parse(&value),
        ) else {
            continue;
        };
        let target = if kind == "ipc" {
            &mut ipc
        } else {
            &mut salario_minimo
        };
        let index_kind = if kind == "ipc" {
            arriendo_events::IndexKind::Ipc
        } else {
            arriendo_events::IndexKind::SalarioMinimo
        };
        target.apply_event(IndiceEvent::IndexValueRecorded {
            kind: index_kind,
            year,
            value,
            previous: None,
            by: String::new(),
        });
    }
    arriendo_projections::schedule::Indices {
        ipc,
        salario_minimo,
    }
}
