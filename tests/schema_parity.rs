//! The SQLite and PostgreSQL migrations are two hand-kept trees (`migrations/sqlite`,
//! `migrations/postgres`). This migrates a fresh store on each engine and compares what they built:
//! tables, columns (name and a coarse type class) and index names. Drift fails here, unless it is one
//! of the intentional differences listed below with the reason.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use arriendo::store::Db;
use common::{Engine, TestStore};
use sqlx::Row;

/// table → column → type class.
type Columns = BTreeMap<String, BTreeMap<String, &'static str>>;

struct Schema {
    columns: Columns,
    indexes: BTreeSet<String>,
    /// Trigger names (the unique-claim and chain checks live in triggers on both engines).
    triggers: BTreeSet<String>,
}

/// A coarse class, so `text` and `character varying`, or `bigint` and `integer`, count as the same.
fn class(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("timestamp") || t == "date" || t.contains("time zone") {
        "timestamp"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("json") {
        "json"
    } else if t.contains("int") || t == "serial" || t == "bigserial" {
        "integer"
    } else if t.contains("real")
        || t.contains("double")
        || t.contains("numeric")
        || t.contains("float")
    {
        "real"
    } else if t.contains("char") || t.contains("text") || t == "uuid" {
        "text"
    } else if t.contains("bytea") || t.contains("blob") {
        "blob"
    } else {
        "other"
    }
}

async fn schema(db: &Db) -> Schema {
    let mut columns = Columns::new();
    let mut indexes = BTreeSet::new();
    let mut triggers = BTreeSet::new();
    match db {
        Db::Sqlite(pool) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for table in tables {
                let rows = sqlx::query("SELECT name, type FROM pragma_table_info($1)")
                    .bind(&table)
                    .fetch_all(pool)
                    .await
                    .unwrap();
                let entry = columns.entry(table).or_default();
                for row in rows {
                    let name: String = row.get("name");
                    let declared: String = row.get("type");
                    entry.insert(name, class(&declared));
                }
            }
            // Automatic indexes (primary keys, UNIQUE) have engine-made names: only named ones count.
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            indexes.extend(names);
            let names: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            triggers.extend(names);
        }
        Db::Postgres(pool) => {
            let rows = sqlx::query(
                "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                 c.data_type::text AS data_type FROM information_schema.columns c \
                 JOIN information_schema.tables t ON t.table_schema = c.table_schema \
                 AND t.table_name = c.table_name \
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                 AND c.table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for row in rows {
                let table: String = row.get("table_name");
                let name: String = row.get("column_name");
                let declared: String = row.get("data_type");
                columns
                    .entry(table)
                    .or_default()
                    .insert(name, class(&declared));
            }
            // Indexes that back a constraint (primary keys, UNIQUE) have engine-made names, like
            // SQLite's automatic ones: only named indexes count.
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() \
                 AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            indexes.extend(names);
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT trigger_name::text FROM information_schema.triggers \
                 WHERE trigger_schema = current_schema()",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            triggers.extend(names);
        }
    }
    Schema {
        columns,
        indexes,
        triggers,
    }
}

/// Intentional differences: (table, column, sqlite class, postgres class, why).
const KNOWN_TYPE_DIFFERENCES: &[(&str, &str, &str, &str, &str)] = &[
    // The library tables: sqlite-es and postgres-es create and read them with these types (JSON as
    // text on SQLite, jsonb on PostgreSQL); our code reads both through `store::event_log`.
    (
        "events",
        "payload",
        "text",
        "json",
        "sqlite-es stores JSON as text",
    ),
    (
        "events",
        "metadata",
        "text",
        "json",
        "sqlite-es stores JSON as text",
    ),
    (
        "snapshots",
        "payload",
        "text",
        "json",
        "sqlite-es stores JSON as text",
    ),
    // SQLite has no timestamp type: RFC 3339 text, which sorts like the time it names.
    (
        "events",
        "recorded_at",
        "text",
        "timestamp",
        "SQLite keeps times as RFC 3339 text",
    ),
    // SQLite has no boolean type: 0/1 integers, which sqlx decodes as bool.
    (
        "rm_contracts",
        "in_force",
        "integer",
        "boolean",
        "SQLite booleans are 0/1",
    ),
    (
        "rm_sales_reports",
        "overdue",
        "integer",
        "boolean",
        "SQLite booleans are 0/1",
    ),
    // tower-sessions-sqlx-store's own layout differs per engine (Unix seconds vs timestamptz).
    (
        "tower_sessions",
        "expiry_date",
        "integer",
        "timestamp",
        "the session store's own schema",
    ),
];

/// Tables only one engine has, and why (none today: keep it that way or say why here).
const ONLY_SQLITE_TABLES: &[(&str, &str)] = &[];
const ONLY_POSTGRES_TABLES: &[(&str, &str)] = &[];

/// Triggers only one engine has, and why. The unique claims (0009): PostgreSQL runs them all in one
/// PL/pgSQL function behind one trigger; SQLite has no procedural language, so each claimed field
/// is a trigger of its own. `tests/concurrency.rs` and the web tests check both behave the same.
const ONLY_SQLITE_TRIGGERS: &[(&str, &str)] = &[
    (
        "events_claim_contrato_numero",
        "one SQLite trigger per claim (0009)",
    ),
    (
        "events_claim_local_nombre",
        "one SQLite trigger per claim (0009)",
    ),
    (
        "events_claim_nit_arrendatario",
        "one SQLite trigger per claim (0009)",
    ),
    (
        "events_claim_nit_proveedor",
        "one SQLite trigger per claim (0009)",
    ),
];
const ONLY_POSTGRES_TRIGGERS: &[(&str, &str)] = &[(
    "events_0_claim_unique",
    "the PL/pgSQL function doing every claim (0009)",
)];

/// Indexes only one engine has, and why (none today).
const ONLY_SQLITE_INDEXES: &[(&str, &str)] = &[];
const ONLY_POSTGRES_INDEXES: &[(&str, &str)] = &[];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_build_the_same_schema() {
    let sqlite = TestStore::new(Engine::Sqlite).await;
    let postgres = TestStore::new(Engine::Postgres).await;
    let lite = schema(sqlite.db()).await;
    let pg = schema(postgres.db()).await;
    let mut drift = Vec::new();

    let known = |list: &[(&str, &str)], name: &str| list.iter().any(|(n, _)| *n == name);
    for table in lite.columns.keys() {
        if !pg.columns.contains_key(table) && !known(ONLY_SQLITE_TABLES, table) {
            drift.push(format!("table {table} only on SQLite"));
        }
    }
    for table in pg.columns.keys() {
        if !lite.columns.contains_key(table) && !known(ONLY_POSTGRES_TABLES, table) {
            drift.push(format!("table {table} only on PostgreSQL"));
        }
    }
    for (table, lite_columns) in &lite.columns {
        let Some(pg_columns) = pg.columns.get(table) else {
            continue;
        };
        for (column, lite_class) in lite_columns {
            match pg_columns.get(column) {
                None => drift.push(format!("column {table}.{column} only on SQLite")),
                Some(pg_class) if pg_class != lite_class => {
                    let listed = KNOWN_TYPE_DIFFERENCES.iter().any(|(t, c, l, p, _)| {
                        t == table && c == column && l == lite_class && p == pg_class
                    });
                    if !listed {
                        drift.push(format!(
                            "column {table}.{column}: {lite_class} on SQLite, {pg_class} on PostgreSQL"
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        for column in pg_columns.keys() {
            if !lite_columns.contains_key(column) {
                drift.push(format!("column {table}.{column} only on PostgreSQL"));
            }
        }
    }
    for index in lite.indexes.difference(&pg.indexes) {
        if !known(ONLY_SQLITE_INDEXES, index) {
            drift.push(format!("index {index} only on SQLite"));
        }
    }
    for index in pg.indexes.difference(&lite.indexes) {
        if !known(ONLY_POSTGRES_INDEXES, index) {
            drift.push(format!("index {index} only on PostgreSQL"));
        }
    }
    for trigger in lite.triggers.difference(&pg.triggers) {
        if !known(ONLY_SQLITE_TRIGGERS, trigger) {
            drift.push(format!("trigger {trigger} only on SQLite"));
        }
    }
    for trigger in pg.triggers.difference(&lite.triggers) {
        if !known(ONLY_POSTGRES_TRIGGERS, trigger) {
            drift.push(format!("trigger {trigger} only on PostgreSQL"));
        }
    }
    // A listed difference that no longer exists is stale: remove it so the list stays true.
    for (table, column, _, _, _) in KNOWN_TYPE_DIFFERENCES {
        let differs = matches!(
            (lite.columns.get(*table).and_then(|c| c.get(*column)),
             pg.columns.get(*table).and_then(|c| c.get(*column))),
            (Some(l), Some(p)) if l != p
        );
        if !differs {
            drift.push(format!(
                "listed type difference {table}.{column} no longer exists"
            ));
        }
    }
    assert!(
        lite.columns.len() > 10,
        "the SQLite schema was read: {:?}",
        lite.columns.keys()
    );
    assert!(
        pg.columns.len() > 10,
        "the PostgreSQL schema was read: {:?}",
        pg.columns.keys()
    );
    assert!(
        drift.is_empty(),
        "schema drift between the engines:\n{}",
        drift.join("\n")
    );
}
