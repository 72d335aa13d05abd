//! Contracts folded from the read model are kept in memory between page views and catch-ups
//! (`read_models::folds`). A kept fold must never be served once the kept events it came from are
//! no longer the ones in the store: rewritten by another log (a restore), cut back (a transaction
//! that rolled back, an older backup), or extended by another process.
#![allow(clippy::unwrap_used)]

mod common;
mod web_fixtures;

use arriendo::App;
use arriendo::store::Metadata;
use arriendo_events::*;
use chrono::NaiveDate;
use common::{Engine, TestStore};
use uuid::Uuid;
use web_fixtures::admin;

async fn note(app: &App, id: &str, text: &str) {
    let command = ContratoCommand::AddSeguimiento {
        actor: admin(),
        date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        note: text.to_string(),
        follow_up: None,
    };
    app.commands
        .contrato(id, command, Metadata::system("folds-test"))
        .await
        .unwrap();
    app.projector.catch_up().await.unwrap();
}

async fn notes_on_page(app: &App, id: &str) -> Vec<String> {
    let state = arriendo::queries::contract_state(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    state.seguimientos.iter().map(|s| s.note.clone()).collect()
}

/// The same contract folded from its kept events with no kept fold involved.
async fn notes_folded_afresh(app: &App, id: &str) -> Vec<String> {
    let folded = arriendo::read_models::contract_events::load_many(&app.db, &[id.to_string()])
        .await
        .unwrap();
    folded[id]
        .seguimientos
        .iter()
        .map(|s| s.note.clone())
        .collect()
}

async fn execute(app: &App, sql: &str, id: &str) {
    arriendo::on_pool!(&app.db, pool => {
        sqlx::query(sql).bind(id).execute(pool).await.unwrap();
    });
}

async fn a_kept_fold_follows_the_store(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let id = Uuid::now_v7().to_string();
    let terms = web_fixtures::fijo_terms("CF-001");
    let create = ContratoCommand::CreateContract {
        actor: admin(),
        terms,
    };
    app.commands
        .contrato(&id, create, Metadata::system("folds-test"))
        .await
        .unwrap();
    for n in 1..=3 {
        note(app, &id, &format!("Nota {n}")).await;
    }
    let three = vec!["Nota 1", "Nota 2", "Nota 3"];
    assert_eq!(notes_on_page(app, &id).await, three);
    assert_eq!(notes_on_page(app, &id).await, three, "read again, kept");

    // A command: the projector extends the kept fold, the page sees the new note.
    note(app, &id, "Nota 4").await;
    let kept = arriendo::read_models::folds::Folds::of(&app.db).get(&id);
    assert_eq!(
        kept.map(|(last, state)| (last.sequence, state.seguimientos.len())),
        Some((5, 4)),
        "the catch-up kept the contract folded up to its new event"
    );
    assert_eq!(notes_on_page(app, &id).await[3], "Nota 4");

    // Another log restored under the same contract: the last kept event now says something else.
    execute(
        app,
        "UPDATE rm_contract_events SET payload = REPLACE(payload, 'Nota 4', 'Nota de otro registro') \
         WHERE contract_id = $1 AND sequence = (SELECT MAX(sequence) FROM rm_contract_events WHERE contract_id = $1)",
        &id,
    )
    .await;
    let rewritten = notes_on_page(app, &id).await;
    assert_eq!(rewritten[3], "Nota de otro registro");
    assert_eq!(rewritten, notes_folded_afresh(app, &id).await);

    // An older backup: the kept events end before the kept fold did.
    execute(
        app,
        "DELETE FROM rm_contract_events WHERE contract_id = $1 AND sequence > 2",
        &id,
    )
    .await;
    assert_eq!(notes_on_page(app, &id).await, vec!["Nota 1"]);
    assert_eq!(notes_folded_afresh(app, &id).await, vec!["Nota 1"]);

    // Another process appended kept events the fold has not seen: read and applied on top.
    execute(
        app,
        "INSERT INTO rm_contract_events (contract_id, sequence, event_type, event_version, payload) \
         SELECT contract_id, sequence + 1, event_type, event_version, REPLACE(payload, 'Nota 1', 'Nota 2 bis') \
         FROM rm_contract_events WHERE contract_id = $1 AND sequence = 2",
        &id,
    )
    .await;
    assert_eq!(notes_on_page(app, &id).await, vec!["Nota 1", "Nota 2 bis"]);
    assert_eq!(
        notes_on_page(app, &id).await,
        notes_folded_afresh(app, &id).await
    );
}
both_engines!(
    a_kept_fold_follows_the_store,
    super::a_kept_fold_follows_the_store
);
