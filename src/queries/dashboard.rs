//! Dashboard queries: counts with GROUP BY, each alert kind's count and first entries with LIMIT,
//! the 12-month chart grouped by month in SQL, and the paginated list of alerts. Nothing here
//! loads every contract, so the dashboard stays small and fast at 10,000 contracts.

use arriendo_events::YearMonth;
use arriendo_projections::{AlertKind, Severity};
use std::sync::Arc;

use arriendo_views::pages::dashboard::{AlertFilters, AlertRow, InForceCounts, KindSummary};
use arriendo_views::pages::tareas::MyTasks;
use chrono::NaiveDate;

use super::contratos::{ALERT_COLUMNS, AlertRecord, alert_row};
use super::stamped::{Stamp, StampedCache};
use crate::store::{Db, StoreError};

/// What every user sees on the dashboard for one query string: contracts in force, the alert
/// cards and the 12-month chart.
#[derive(Clone)]
pub struct Panel {
    pub counts: InForceCounts,
    pub cards: Vec<KindSummary>,
    pub chart: Vec<(YearMonth, u32, u32)>,
}

/// The dashboard's read-model parts kept while the read models stay the same (see
/// [`super::stamped`]): the panel by query string and day, the tasks by user, role and day.
#[derive(Clone)]
pub struct DashboardCache {
    pub panels: Arc<StampedCache<(String, NaiveDate), Panel>>,
    pub tasks: Arc<StampedCache<(String, bool, NaiveDate), MyTasks>>,
    /// `/alertas` pages (rows and total) by query string.
    pub alert_pages: Arc<StampedCache<String, (Vec<AlertRow>, u64)>>,
    /// The approval inbox's count in every administrador's navigation.
    pub inbox_count: Arc<StampedCache<(), u64>>,
}

impl Default for DashboardCache {
    fn default() -> Self {
        Self {
            panels: Arc::new(StampedCache::new(64)),
            tasks: Arc::new(StampedCache::new(256)),
            alert_pages: Arc::new(StampedCache::new(64)),
            inbox_count: Arc::new(StampedCache::new(1)),
        }
    }
}

/// Longest query string whose panel is kept (longer ones are read every time).
const KEPT_QUERY: usize = 200;

impl DashboardCache {
    /// The panel for `query` (parsed as `filters`) on `day`: the one kept under `stamp`, or read.
    pub async fn panel(
        &self,
        db: &Db,
        stamp: &Stamp,
        query: &str,
        filters: &AlertFilters,
        day: NaiveDate,
        per_card: u64,
    ) -> Result<Arc<Panel>, StoreError> {
        let read = || panel(db, filters, day, per_card);
        if query.len() > KEPT_QUERY {
            return Ok(Arc::new(read().await?));
        }
        self.panels
            .get_or_read((query.to_string(), day), stamp, read)
            .await
    }
}

impl DashboardCache {
    /// Page `page` of the alert list for `query` (parsed as `filters`): the one kept under `stamp`,
    /// or read.
    pub async fn alert_page(
        &self,
        db: &Db,
        stamp: &Stamp,
        query: &str,
        filters: &AlertFilters,
        (page, per_page): (u64, u64),
    ) -> Result<Arc<(Vec<AlertRow>, u64)>, StoreError> {
        let read = || alert_page(db, filters, page, per_page);
        if query.len() > KEPT_QUERY {
            return Ok(Arc::new(read().await?));
        }
        self.alert_pages
            .get_or_read(query.to_string(), stamp, read)
            .await
    }
}

/// The panel for `filters` on `day`, straight from the read models.
pub async fn panel(
    db: &Db,
    filters: &AlertFilters,
    day: NaiveDate,
    per_card: u64,
) -> Result<Panel, StoreError> {
    let clase = filters.clase.as_deref();
    Ok(Panel {
        counts: in_force_counts(db, clase).await?,
        cards: alert_cards(db, filters, per_card).await?,
        chart: monthly_chart(db, day, clase).await?,
    })
}

#[derive(sqlx::FromRow)]
struct InForceGroup {
    modality: String,
    kind: String,
    n: i64,
}

/// Contracts in force today by modality and by kind (`clase` filter applied to the modality counts).
pub async fn in_force_counts(db: &Db, clase: Option<&str>) -> Result<InForceCounts, StoreError> {
    let rows: Vec<InForceGroup> = crate::on_pool!(db, pool => {
        sqlx::query_as(
            "SELECT modality, kind, COUNT(*) AS n FROM rm_contracts WHERE status = 'vigente' \
             GROUP BY modality, kind",
        )
        .fetch_all(pool)
        .await?
    });
    let mut c = InForceCounts::default();
    for InForceGroup { modality, kind, n } in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match kind.as_str() {
            "proveedor" => c.proveedor += n,
            _ => c.cliente += n,
        }
        if clase.is_some_and(|k| k != kind) {
            continue;
        }
        c.total += n;
        match modality.as_str() {
            "fijo" => c.fijo += n,
            "variable" => c.variable += n,
            _ => c.hibrido += n,
        }
    }
    Ok(c)
}

/// `WHERE …` of the alert filters and its bind values (`$1`… in order).
fn alert_filter(f: &AlertFilters, kind: Option<AlertKind>) -> (String, Vec<String>) {
    // Alerts acknowledged or postponed leave the panel; the list shows them on request.
    let mut clauses = vec![if f.atendidas {
        "1 = 1".to_string()
    } else {
        "a.handled IS NULL".to_string()
    }];
    let mut binds = Vec::new();
    let mut add = |clause: &str, value: &str| {
        binds.push(value.to_string());
        clauses.push(format!("{clause} ${}", binds.len()));
    };
    if let Some(c) = &f.clase {
        add("a.contract_kind =", c);
    }
    if let Some(k) = kind.or(f.tipo) {
        add("a.kind =", k.slug());
    }
    if let Some(s) = f.severidad {
        add("a.severity =", s.slug());
    }
    (clauses.join(" AND "), binds)
}

// Ends on the primary key so that pages (and the export, which reads every page) never repeat or
// skip an alert that ties on the visible columns.
const ORDER: &str =
    "ORDER BY a.severity_rank, a.days_left, a.contract_number, a.contract_id, a.ordinal";
/// Counts read the alerts alone: every filter is on a column of `rm_alerts` (the contract's number and
/// kind are kept on the alert row), so joining the contracts would only cost a lookup per alert.
const FROM: &str = "FROM rm_alerts a";

/// One page of alerts in the list's order. The page is cut from `rm_alerts` first (walking the
/// `rm_alerts_kind_order` / `rm_alerts_order` index, so the first entries are read, not every alert
/// sorted), and only its rows are joined to their contract for the tenant's name.
async fn alert_rows(
    db: &Db,
    where_sql: &str,
    binds: &[String],
    limit: u64,
    offset: u64,
) -> Result<Vec<AlertRow>, StoreError> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM (SELECT * {FROM} WHERE {where_sql} {ORDER} \
         LIMIT {limit} OFFSET {offset}) a LEFT JOIN rm_contracts c ON c.id = a.contract_id {ORDER}"
    );
    let rows: Vec<AlertRecord> = crate::on_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, AlertRecord>(&sql);
        for b in binds {
            q = q.bind(b);
        }
        q.fetch_all(pool).await?
    });
    rows.into_iter().map(alert_row).collect()
}

#[derive(sqlx::FromRow)]
struct KindCount {
    kind: String,
    n: i64,
    worst_rank: i64,
}

/// One card per contract alert kind (in the order of the domain table), with at most `per_card`
/// entries each; kinds filtered out by `tipo` are left out.
pub async fn alert_cards(
    db: &Db,
    f: &AlertFilters,
    per_card: u64,
) -> Result<Vec<KindSummary>, StoreError> {
    let (where_sql, binds) = alert_filter(f, None);
    let sql = format!(
        "SELECT a.kind, COUNT(*) AS n, MIN(a.severity_rank) AS worst_rank {FROM} \
         WHERE {where_sql} GROUP BY a.kind"
    );
    let counts: Vec<KindCount> = crate::on_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, KindCount>(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        q.fetch_all(pool).await?
    });
    let mut cards = Vec::new();
    for kind in AlertKind::ALL {
        if kind == AlertKind::Respaldo || f.tipo.is_some_and(|t| t != kind) {
            continue;
        }
        let (count, worst) = counts
            .iter()
            .find(|c| c.kind == kind.slug())
            .map_or((0, None), |c| {
                let worst = match c.worst_rank {
                    0 => Severity::Danger,
                    1 => Severity::Warning,
                    _ => Severity::Info,
                };
                (u64::try_from(c.n).unwrap_or(0), Some(worst))
            });
        let entries = if count > 0 {
            let (w, b) = alert_filter(f, Some(kind));
            alert_rows(db, &w, &b, per_card, 0).await?
        } else {
            Vec::new()
        };
        cards.push(KindSummary {
            kind,
            count,
            worst,
            entries,
        });
    }
    Ok(cards)
}

/// One page of the alert list, and the total.
pub async fn alert_page(
    db: &Db,
    f: &AlertFilters,
    page: u64,
    per_page: u64,
) -> Result<(Vec<AlertRow>, u64), StoreError> {
    let (where_sql, binds) = alert_filter(f, None);
    let count_sql = format!("SELECT COUNT(*) {FROM} WHERE {where_sql}");
    let total: i64 = crate::on_pool!(db, pool => {
        let mut q = sqlx::query_scalar::<_, i64>(&count_sql);
        for b in &binds {
            q = q.bind(b);
        }
        q.fetch_one(pool).await?
    });
    let offset = page.saturating_sub(1).saturating_mul(per_page);
    let rows = alert_rows(db, &where_sql, &binds, per_page, offset).await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

type MonthCounts = Vec<(String, i64)>;

/// The 12 months from `today`'s: (year-month, contracts ending, pólizas expiring), grouped in SQL
/// over `rm_contracts.end_date` and `rm_polizas.effective_expiry` (the póliza row carries its
/// contract's kind and status, so the second count reads one index and no contract).
pub async fn monthly_chart(
    db: &Db,
    today: NaiveDate,
    clase: Option<&str>,
) -> Result<Vec<(YearMonth, u32, u32)>, StoreError> {
    let mut months = Vec::with_capacity(12);
    let mut m = YearMonth::of(today);
    for _ in 0..12 {
        months.push((m, 0u32, 0u32));
        m = m.next();
    }
    let from = months[0].0.first_day().format("%Y-%m-%d").to_string();
    let to = months[11].0.last_day().format("%Y-%m-%d").to_string();
    let kind = clase.unwrap_or("");
    let contracts_sql = "SELECT substr(end_date, 1, 7), COUNT(*) FROM rm_contracts \
         WHERE status NOT IN ('eliminado', 'terminado') AND end_date >= $1 AND end_date <= $2 \
         AND (CAST($3 AS text) = '' OR kind = $3) GROUP BY substr(end_date, 1, 7)";
    let polizas_sql = "SELECT substr(p.effective_expiry, 1, 7), COUNT(*) FROM rm_polizas p \
         WHERE p.status <> 'cancelada' AND p.contract_status NOT IN ('eliminado', 'terminado') \
         AND p.effective_expiry >= $1 AND p.effective_expiry <= $2 \
         AND (CAST($3 AS text) = '' OR p.contract_kind = $3) \
         GROUP BY substr(p.effective_expiry, 1, 7)";
    let (contracts, polizas): (MonthCounts, MonthCounts) = crate::on_pool!(db, pool => {
        let c = sqlx::query_as(contracts_sql).bind(&from).bind(&to).bind(kind).fetch_all(pool).await?;
        let p = sqlx::query_as(polizas_sql).bind(&from).bind(&to).bind(kind).fetch_all(pool).await?;
        (c, p)
    });
    for (month, c, p) in &mut months {
        let key = format!("{:04}-{:02}", month.year(), month.month());
        *c = contracts
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(0));
        *p = polizas
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(0));
    }
    Ok(months)
}

/// At most this many alerts in «Mis tareas».
const TASKS_LIMIT: i64 = 20;

/// «Mis tareas» of `username`: sales reports overdue or due within `week` days (contracts have no
/// owner, so every gestor sees them), and the follow-up dates of `username`'s own notes; alerts
/// acknowledged or postponed are left out. Most urgent first.
pub async fn task_alerts(db: &Db, username: &str, week: i64) -> Result<Vec<AlertRow>, StoreError> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} {FROM} LEFT JOIN rm_contracts c ON c.id = a.contract_id \
         WHERE a.handled IS NULL AND a.days_left <= $1 \
         AND (a.kind = 'informe-ventas' OR (a.kind = 'seguimiento' AND a.owner = $2)) \
         {ORDER} LIMIT $3"
    );
    let rows: Vec<AlertRecord> = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql)
            .bind(week)
            .bind(username)
            .bind(TASKS_LIMIT)
            .fetch_all(pool)
            .await?
    });
    rows.into_iter().map(alert_row).collect()
}
