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
