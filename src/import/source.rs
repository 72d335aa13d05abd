//! The Django database, opened read-only, read into rows whose columns are fetched by name with
//! the storage conventions of `tables.md` §1: decimals arrive as INTEGER or REAL and are rounded
//! half-even to their field's scale, `''` and NULL are alike, datetimes are UTC.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{Column, ConnectOptions, Row as _, TypeInfo, ValueRef};

/// Why the source could not be read (the report names the table, row and column).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot open {path} read-only: {reason}")]
    Open { path: String, reason: String },
    #[error("cannot read table {table}: {reason}")]
    Table { table: String, reason: String },
    #[error("{table} id {id}: column {column}: {reason}")]
    Value {
        table: &'static str,
        id: i64,
        column: String,
        reason: String,
    },
}

/// One stored value, as SQLite typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// One row of a Django table, columns by name.
#[derive(Debug, Clone)]
pub struct Row {
    pub table: &'static str,
    pub id: i64,
    values: BTreeMap<String, Val>,
}

type Res<T> = Result<T, SourceError>;

impl Row {
    fn err(&self, column: &str, reason: impl Into<String>) -> SourceError {
        SourceError::Value {
            table: self.table,
            id: self.id,
            column: column.to_string(),
            reason: reason.into(),
        }
    }

    fn get(&self, column: &str) -> &Val {
        self.values.get(column).unwrap_or(&Val::Null)
    }

    /// Text with `''` (and blanks) read as absent.
    pub fn opt_text(&self, column: &str) -> Option<String> {
        match self.get(column) {
            Val::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            Val::Int(i) => Some(i.to_string()),
            Val::Real(r) => Some(r.to_string()),
            _ => None,
        }
    }

    pub fn text(&self, column: &str) -> Res<String> {
        self.opt_text(column)
            .ok_or_else(|| self.err(column, "vacío y se requiere"))
    }

    pub fn opt_int(&self, column: &str) -> Res<Option<i64>> {
        match self.get(column) {
            Val::Null => Ok(None),
            Val::Int(i) => Ok(Some(*i)),
            Val::Text(t) if t.trim().is_empty() => Ok(None),
            Val::Text(t) => t
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.err(column, format!("no es un entero: {t:?}"))),
            Val::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => {
                // Whole REAL values are integers stored by an older schema.
                #[allow(clippy::cast_possible_truncation)]
                Ok(Some(*r as i64))
            }
            Val::Real(r) => Err(self.err(column, format!("no es un entero: {r}"))),
        }
    }

    /// 0/1 integers; NULL reads as false.
    pub fn flag(&self, column: &str) -> Res<bool> {
        Ok(self.opt_int(column)?.is_some_and(|v| v != 0))
    }

    /// A nullable boolean (`nuevo_exige_poliza_*`).
    pub fn opt_flag(&self, column: &str) -> Res<Option<bool>> {
        Ok(self.opt_int(column)?.map(|v| v != 0))
    }

    /// A decimal stored as INTEGER or REAL, rounded half-even to `scale` places (Django's rounding).
    pub fn opt_decimal(&self, column: &str, scale: u32) -> Res<Option<Decimal>> {
        let raw = match self.get(column) {
            Val::Null => return Ok(None),
            Val::Int(i) => Decimal::from(*i),
            // The shortest representation that reads back as the same double: what Django wrote.
            Val::Real(r) => Decimal::from_str(&r.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{r:e}")))
                .map_err(|_| self.err(column, format!("no es un decimal: {r}")))?,
            Val::Text(t) if t.trim().is_empty() => return Ok(None),
            Val::Text(t) => Decimal::from_str(t.trim())
                .map_err(|_| self.err(column, format!("no es un decimal: {t:?}")))?,
        };
        Ok(Some(raw.round_dp_with_strategy(
            scale,
            RoundingStrategy::MidpointNearestEven,
        )))
    }

    pub fn opt_date(&self, column: &str) -> Res<Option<NaiveDate>> {
        match self.opt_text(column) {
            None => Ok(None),
            Some(t) => NaiveDate::parse_from_str(t.get(..10).unwrap_or(&t), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| self.err(column, format!("no es una fecha AAAA-MM-DD: {t:?}"))),
        }
    }

    pub fn date(&self, column: &str) -> Res<NaiveDate> {
        self.opt_date(column)?
            .ok_or_else(|| self.err(column, "vacío y se requiere"))
    }

    /// A datetime column, UTC without offset (`YYYY-MM-DD HH:MM:SS[.ffffff]`).
    pub fn opt_datetime(&self, column: &str) -> Res<Option<NaiveDateTime>> {
        match self.opt_text(column) {
            None => Ok(None),
            Some(t) => NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S%.f"))
                .map(Some)
                .map_err(|_| self.err(column, format!("no es una fecha y hora: {t:?}"))),
        }
    }

    /// Builds an error about this row for the report.
    pub fn problem(&self, column: &str, reason: impl Into<String>) -> SourceError {
        self.err(column, reason)
    }
}

/// Rows of some tables, in id order, with each table's rows indexed by `contrato_id`.
#[derive(Debug, Default)]
struct Tables {
    rows: BTreeMap<&'static str, Vec<Row>>,
    /// Positions of each table's rows by `contrato_id`, so per-contract lookups stay linear.
    by_contract: BTreeMap<&'static str, HashMap<i64, Vec<usize>>>,
}

impl Tables {
    fn insert(&mut self, table: &'static str, rows: Vec<Row>) {
        let mut index: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if let Ok(Some(contract)) = row.opt_int("contrato_id") {
                index.entry(contract).or_default().push(i);
            }
        }
        self.by_contract.insert(table, index);
        self.rows.insert(table, rows);
    }
}

/// What the planner sees of the source at one time: the tables read whole (accounts, terceros,
/// locales, indices, catalogs, company, e-mail settings) and, while contracts are planned, one
/// window of contracts with every row that hangs from them. The window is all a large database
/// ever holds in memory of its contracts.
#[derive(Debug, Default)]
pub struct Source {
    whole: Arc<Tables>,
    window: Tables,
    /// Rows per table in the whole source, for the report.
    counts: Arc<BTreeMap<&'static str, usize>>,
}

/// Tables read whole, once: small, and needed by every contract.
pub const WHOLE: &[&str] = &[
    "auth_user",
    "gestion_tercero",
    "gestion_local",
    "gestion_tipocontrato",
    "gestion_tiposervicio",
    "gestion_ipchistorico",
    "gestion_salariominimohistorico",
    "gestion_clausula",
    "gestion_clausulaobligatoria",
    "gestion_configuracionalerta",
    "gestion_destinatarioalerta",
    "gestion_configuracionemail",
    "gestion_historialenvioemail",
    "gestion_configuracionempresa",
];

/// The contracts themselves, read a window at a time.
pub const CONTRACTS: &str = "gestion_contrato";

/// Tables whose rows hang from one contract (`contrato_id`), read with their contract's window.
pub const OF_CONTRACT: &[&str] = &[
    "gestion_otrosi",
    "gestion_renovacionautomatica",
    "gestion_poliza",
    "gestion_informeventas",
    "gestion_calculofacturacionventas",
    "gestion_calculoipc",
    "gestion_calculosalariominimo",
    "gestion_seguimientocontrato",
    "gestion_seguimientopoliza",
    "gestion_clausulacontrato",
];

/// Tables Arriendo does not import (code catalogs, the old product's license, requirements the
/// contract's own columns already hold): only counted for the report.
pub const COUNTED: &[&str] = &[
    "gestion_requerimientopoliza",
    "gestion_tipocondicionipc",
    "gestion_periodicidadipc",
    "gestion_clientelicense",
];

impl Source {
    pub fn rows(&self, table: &str) -> &[Row] {
        self.window
            .rows
            .get(table)
            .or_else(|| self.whole.rows.get(table))
            .map_or(&[], Vec::as_slice)
    }

    /// The rows of `table` whose `contrato_id` is `contract`, in id order (within the window).
    pub fn of_contract(&self, table: &str, contract: i64) -> Vec<&Row> {
        let rows = self.rows(table);
        self.window
            .by_contract
            .get(table)
            .and_then(|index| index.get(&contract))
            .map(|positions| positions.iter().filter_map(|i| rows.get(*i)).collect())
            .unwrap_or_default()
    }

    /// How many rows each table of the source holds.
    pub fn counts(&self) -> &BTreeMap<&'static str, usize> {
        &self.counts
    }
}

/// The Django database opened read-only (SQLite refuses every write on the connection), handing
/// out the whole tables once and then the contracts a window at a time, in id order.
pub struct SourceReader {
    conn: SqliteConnection,
    whole: Arc<Tables>,
    counts: Arc<BTreeMap<&'static str, usize>>,
    last_contract: Option<i64>,
}

impl SourceReader {
    /// Opens `path`, counts every table and reads the whole ones.
    pub async fn open(path: &Path) -> Res<SourceReader> {
        let open_err = |reason: String| SourceError::Open {
            path: path.display().to_string(),
            reason,
        };
        if !path.is_file() {
            return Err(open_err("no such file".into()));
        }
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true)
            .connect()
            .await
            .map_err(|e| open_err(e.to_string()))?;
        let mut counts = BTreeMap::new();
        for table in WHOLE
            .iter()
            .chain([&CONTRACTS])
            .chain(OF_CONTRACT)
            .chain(COUNTED)
        {
            let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
            let n: i64 = sqlx::query_scalar(&sql)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| table_err(table, &e))?;
            counts.insert(*table, usize::try_from(n).unwrap_or(0));
        }
        let mut whole = Tables::default();
        for table in WHOLE {
            let sql = format!("SELECT * FROM \"{table}\" ORDER BY id");
            whole.insert(table, fetch(&mut conn, table, &sql, &[]).await?);
        }
        Ok(SourceReader {
            conn,
            whole: Arc::new(whole),
            counts: Arc::new(counts),
            last_contract: None,
        })
    }

    /// The whole tables, with no contract in view.
    pub fn whole(&self) -> Source {
        Source {
            whole: Arc::clone(&self.whole),
            window: Tables::default(),
            counts: Arc::clone(&self.counts),
        }
    }

    /// The next `size` contracts in id order with every row that hangs from them; `None` after
    /// the last one.
    pub async fn next_window(&mut self, size: u32) -> Res<Option<Source>> {
        let sql = format!("SELECT * FROM \"{CONTRACTS}\" WHERE id > ? ORDER BY id LIMIT {size}");
        let after = self.last_contract.unwrap_or(i64::MIN);
        let contracts = fetch(&mut self.conn, CONTRACTS, &sql, &[after]).await?;
        let (Some(first), Some(last)) = (contracts.first(), contracts.last()) else {
            return Ok(None);
        };
        let (first, last) = (first.id, last.id);
        self.last_contract = Some(last);
        let mut window = Tables::default();
        window.insert(CONTRACTS, contracts);
        for table in OF_CONTRACT {
            let sql = format!(
                "SELECT * FROM \"{table}\" WHERE contrato_id >= ? AND contrato_id <= ? ORDER BY id"
            );
            window.insert(
                table,
                fetch(&mut self.conn, table, &sql, &[first, last]).await?,
            );
        }
        Ok(Some(Source {
            whole: Arc::clone(&self.whole),
            window,
            counts: Arc::clone(&self.counts),
        }))
    }

    /// Rows hanging from a contract the source does not have (or from none).
    pub async fn orphans(&mut self) -> Res<Vec<Row>> {
        let mut out = vec![];
        for table in OF_CONTRACT {
            let sql = format!(
                "SELECT * FROM \"{table}\" WHERE contrato_id IS NULL \
                 OR contrato_id NOT IN (SELECT id FROM \"{CONTRACTS}\") ORDER BY id"
            );
            out.extend(fetch(&mut self.conn, table, &sql, &[]).await?);
        }
        Ok(out)
    }
}

fn table_err(table: &str, e: &sqlx::Error) -> SourceError {
    SourceError::Table {
        table: table.to_string(),
        reason: e.to_string(),
    }
}

async fn fetch(
    conn: &mut SqliteConnection,
    table: &'static str,
    sql: &str,
    binds: &[i64],
) -> Res<Vec<Row>> {
    let mut query = sqlx::query(sql);
    for value in binds {
        query = query.bind(*value);
    }
    let rows = query
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| table_err(table, &e))?;
    rows.iter().map(|r| to_row(table, r)).collect()
}

fn to_row(table: &'static str, row: &SqliteRow) -> Res<Row> {
    let mut values = BTreeMap::new();
    for (i, column) in row.columns().iter().enumerate() {
        let bad = |e: sqlx::Error| SourceError::Table {
            table: table.to_string(),
            reason: format!("column {}: {e}", column.name()),
        };
        let raw = row.try_get_raw(i).map_err(bad)?;
        let val = if raw.is_null() {
            Val::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" | "BOOLEAN" => Val::Int(row.try_get(i).map_err(bad)?),
                "REAL" => Val::Real(row.try_get(i).map_err(bad)?),
                "TEXT" | "DATE" | "DATETIME" | "TIME" => Val::Text(row.try_get(i).map_err(bad)?),
                _ => Val::Null,
            }
        };
        values.insert(column.name().to_string(), val);
    }
    let id = match values.get("id") {
        Some(Val::Int(id)) => *id,
        _ => 0,
    };
    Ok(Row { table, id, values })
}

#[cfg(test)]
pub(crate) fn row_for_tests(table: &'static str, id: i64, values: &[(&str, Val)]) -> Row {
    Row {
        table,
        id,
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    }
}
