//! The demo portfolio exercises every event of the domain, and rebuilding the read models from it gives
//! the same result as the incremental run, on both engines.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{Engine, TestStore};

async fn demo_exercises_every_event_and_rebuild_matches(engine: Engine) {
    let store = TestStore::new(engine).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let summary = arriendo::demo::load(&store.app, today).await.unwrap();
    assert_eq!(summary.contratos, 60);
    assert!(summary.terceros >= 20 && summary.locales >= 20);

    let recorded: BTreeSet<String> = arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar("SELECT DISTINCT event_type FROM events").fetch_all(pool).await.unwrap()
    })
    .into_iter()
    .collect();
    let catalog: BTreeSet<String> = arriendo_events::event_catalog()
        .into_iter()
        .map(|doc| doc.event_type.to_string())
        .collect();
    let missing: Vec<_> = catalog.difference(&recorded).collect();
    assert!(missing.is_empty(), "the demo never records {missing:?}");

    // A couple of alert digests are configured, with recipients.
    let digests = arriendo::digest::settings::all(store.db()).await.unwrap();
    assert_eq!(digests.iter().filter(|s| s.enabled).count(), 2);
    let recipients = arriendo::digest::recipients::list(store.db(), None)
        .await
        .unwrap();
    assert!(recipients.len() >= 2 && recipients.iter().all(|r| r.receives()));

    store.app.projector.catch_up().await.unwrap();
    let incremental = common::dump_read_models(store.db()).await;
    assert!(!incremental.is_empty());
    store.app.projector.rebuild().await.unwrap();
    assert_eq!(common::dump_read_models(store.db()).await, incremental);
}
both_engines!(
    demo_exercises_every_event_and_rebuild_matches,
    super::demo_exercises_every_event_and_rebuild_matches
);

/// (type, id, sequence, event type, payload) of every event in log order: what a seed decides
/// (metadata carries request ids and times, which it does not).
async fn facts(store: &TestStore) -> Vec<(String, String, i64, String, String)> {
    arriendo::on_pool!(store.db(), pool => {
        sqlx::query_as(
            "SELECT aggregate_type, aggregate_id, CAST(sequence AS BIGINT), event_type, \
             CAST(payload AS TEXT) FROM events ORDER BY position",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    })
}

async fn scalar(store: &TestStore, sql: &str) -> i64 {
    arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap()
    })
}

/// `demo --contracts N`: the old system's shape at a small N, every alert kind firing, and the same
/// events for the same seed (different ones for another seed).
async fn portfolio_has_the_old_shape_and_a_seed_decides_it(engine: Engine) {
    const N: usize = 120;
    let today = arriendo::app::today();
    let store = TestStore::new(engine).await;
    let summary = arriendo::demo::load_portfolio(&store.app, today, N, 7, false)
        .await
        .unwrap();
    store.app.projector.catch_up().await.unwrap();
    assert_eq!(summary.contracts, N);
    // 1,280 terceros and 1,600 locales per 2,000 contracts.
    assert_eq!(summary.terceros, (N * 1_280).div_ceil(2_000));
    assert_eq!(summary.locales, (N * 1_600).div_ceil(2_000));
    assert_eq!(
        summary.events,
        scalar(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM events").await
    );
    println!(
        "portfolio of {N}: {} events in {:?} ({:.0} events/s)",
        summary.events,
        summary.elapsed,
        summary.events_per_second()
    );

    // Modality mix: 975 fijo / 629 híbrido / 396 variable puro per 2,000, within a contract or two.
    let by_modality = |m: &'static str| {
        format!("SELECT CAST(COUNT(*) AS BIGINT) FROM rm_contracts WHERE modality = '{m}'")
    };
    for (modality, per_2000) in [("fijo", 975), ("hibrido", 629), ("variable", 396)] {
        let n = scalar(&store, &by_modality(modality)).await;
        let expected = (N * per_2000) as f64 / 2_000.0;
        assert!(
            (n as f64 - expected).abs() <= 2.0,
            "{modality}: {n} contracts, expected about {expected}"
        );
    }
    // About two pólizas and one Otro Sí per contract.
    let polizas = scalar(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM rm_polizas").await as f64;
    assert!(
        (1.7..=2.3).contains(&(polizas / N as f64)),
        "{polizas} pólizas"
    );
    let otros_si = scalar(
        &store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE event_type = 'OtroSiDrafted'",
    )
    .await as f64;
    assert!(
        (0.9..=1.5).contains(&(otros_si / N as f64)),
        "{otros_si} Otros Sí"
    );
    // Monthly sales reports for the variable and híbrido contracts: every one has reports, ten
    // months' worth on average for those running that long.
    let sales_based = scalar(
        &store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM rm_contracts WHERE modality <> 'fijo'",
    )
    .await;
    let reporting = scalar(
        &store,
        "SELECT CAST(COUNT(DISTINCT contract_id) AS BIGINT) FROM rm_sales_reports",
    )
    .await;
    let reports = scalar(
        &store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM rm_sales_reports",
    )
    .await;
    assert!(
        reporting * 10 >= sales_based * 9,
        "{reporting} of {sales_based} report"
    );
    assert!(
        reports >= reporting * 8,
        "{reports} reports of {reporting} contracts"
    );
    // Every contract alert kind fires.
    for kind in arriendo_projections::AlertKind::ALL {
        if kind == arriendo_projections::AlertKind::Respaldo {
            continue;
        }
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM rm_alerts WHERE kind = '{}'",
            kind.slug()
        );
        assert!(scalar(&store, &sql).await > 0, "no {} alert", kind.slug());
    }

    // The same seed gives the same events; another seed other ids.
    let again = TestStore::new(common_engine(&store)).await;
    arriendo::demo::load_portfolio(&again.app, today, N, 7, false)
        .await
        .unwrap();
    let first = facts(&store).await;
    assert_eq!(first, facts(&again).await);
    let other = TestStore::new(common_engine(&store)).await;
    arriendo::demo::load_portfolio(&other.app, today, 3, 8, false)
        .await
        .unwrap();
    let ids = |facts: &[(String, String, i64, String, String)]| -> BTreeSet<String> {
        facts
            .iter()
            .filter(|f| f.0 == "contrato")
            .map(|f| f.1.clone())
            .collect()
    };
    assert!(ids(&first).is_disjoint(&ids(&facts(&other).await)));
}
both_engines!(
    portfolio_has_the_old_shape_and_a_seed_decides_it,
    super::portfolio_has_the_old_shape_and_a_seed_decides_it
);

fn common_engine(store: &TestStore) -> Engine {
    match store.db() {
        arriendo::store::Db::Sqlite(_) => Engine::Sqlite,
        arriendo::store::Db::Postgres(_) => Engine::Postgres,
    }
}
