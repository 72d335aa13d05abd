//! Issue 9, "a projector that cannot be stopped by one event": an event the read models cannot
//! apply is set aside in quarantine and everything else goes on; the administrador sees it; a retry
//! applies it after a fix; maintenance commands never catch up first. Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::process::{Command, Output};

use arriendo::App;
use arriendo::store::Db;
use arriendo::store::event_log::{self, StoredEvent};
use arriendo_events::PaymentModality;
use arriendo_events::actor::Role;
use auth_support::{Web, location};
use chrono::NaiveDate;
use common::{Engine, TestStore};
use serde_json::{Value, json};
use uuid::Uuid;
use web_fixtures::{contract, local, money, tenant, terms};

fn today() -> NaiveDate {
    arriendo::app::today()
}

/// A fixed-canon contract numbered `number` (ending in three digits), made with the domain's commands.
async fn good_contract(app: &App, number: &str) -> Uuid {
    // One tenant per contract: NITs are unique per class.
    let serial = &number[number.len() - 3..];
    let tercero = tenant(app, &format!("900123{serial}"), "Café Andino S.A.S.").await;
    let local = local(app, &format!("Local {number}")).await;
    let modality = PaymentModality::Fijo {
        canon: money(4_500_000),
    };
    contract(
        app,
        terms(number, tercero, Some(local), modality, today(), 200),
    )
    .await
}

/// The terms a stored ContractCreated carries, as JSON, to build raw events from.
async fn created_terms(db: &Db, id: Uuid) -> Value {
    let stream = event_log::read_stream(db, "contrato", &id.to_string())
        .await
        .unwrap();
    stream[0].payload["ContractCreated"].clone()
}

/// Appends `payload` as event `sequence` of contract `id`, bypassing the domain (as a restore, an old
/// bug or a hand edit could have stored it). Returns its position.
async fn append_raw(db: &Db, id: Uuid, sequence: i64, event_type: &str, payload: Value) -> i64 {
    let (_, head) = event_log::head(db).await.unwrap();
    let event = StoredEvent {
        position: head + 1,
        aggregate_type: "contrato".into(),
        aggregate_id: id.to_string(),
        sequence,
        event_type: event_type.into(),
        event_version: "1.0".into(),
        payload,
        metadata: json!({"user": "restaurado", "request_id": "raw"}),
        recorded_at: chrono::Utc::now(),
    };
    let mut tx = db.begin().await.unwrap();
    event_log::append_raw(&mut tx, &event).await.unwrap();
    event_log::resync_position_sequence(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    event.position
}

/// A ContractCreated whose payload does not decode (the number is not text), and a valid later
/// edit of the same contract. Returns (contract id, position of the creation, of the edit).
async fn append_poison(db: &Db, template: &Value) -> (Uuid, i64, i64) {
    let id = Uuid::now_v7();
    let mut broken = template.clone();
    broken["number"] = json!(12345);
    let created = append_raw(
        db,
        id,
        1,
        "ContractCreated",
        json!({"ContractCreated": broken}),
    )
    .await;
    let mut edited = template.clone();
    edited["number"] = json!("CT-REPARADO");
    edited["purpose"] = json!("Restaurante");
    let edit = append_raw(
        db,
        id,
        2,
        "ContractTermsUpdated",
        json!({"ContractTermsUpdated": edited}),
    )
    .await;
    (id, created, edit)
}

/// Stands in for shipping a fix (an upcaster): the stored payload now decodes.
async fn repair(db: &Db, position: i64, payload: &Value) {
    let text = payload.to_string();
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("UPDATE events SET payload = $1 WHERE position = $2")
                .bind(text)
                .bind(position)
                .execute(pool)
                .await
                .unwrap();
        }
        Db::Postgres(pool) => {
            sqlx::query("UPDATE events SET payload = $1::json WHERE position = $2")
                .bind(text)
                .bind(position)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

/// The contract's number in the list read model and its folded state (as JSON) in the detail one.
async fn contract_number(db: &Db, id: Uuid) -> Option<(String, String)> {
    let number: Option<String> = arriendo::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT number FROM rm_contracts WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await
            .unwrap()
    });
    let state = arriendo::queries::contract_state(db, &id.to_string())
        .await
        .unwrap()?;
    Some((number?, serde_json::to_string(&state).unwrap()))
}

async fn poison_event_is_quarantined_and_commands_keep_working(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let first = good_contract(app, "CT-2024-001").await;
    let template = created_terms(store.db(), first).await;
    let (poisoned, created, edit) = append_poison(store.db(), &template).await;

    // Today this is where everything stopped: every catch-up failed on the same event.
    let processed = app.projector.catch_up().await.unwrap();
    assert_eq!(processed, 2);
    let status = app.projector.status().await.unwrap();
    assert_eq!(
        status.lag(),
        0,
        "the checkpoint moved past the poison event"
    );
    assert_eq!(status.quarantined, 2);
    assert_eq!(app.projector.quarantined(), 2);

    let listed = arriendo::projector::quarantine::list(store.db(), 100)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].position, created);
    assert_eq!(listed[0].event_type, "ContractCreated");
    assert!(
        listed[0].error.starts_with("No se pudo aplicar"),
        "{}",
        listed[0].error
    );
    assert_eq!(listed[0].held_behind, None);
    assert_eq!(listed[1].position, edit);
    assert_eq!(
        listed[1].held_behind,
        Some(created),
        "the later edit waits behind the creation"
    );
    assert!(contract_number(store.db(), poisoned).await.is_none());

    // Commands keep working and their events reach the screens.
    let second = good_contract(app, "CT-2024-002").await;
    let (number, _) = contract_number(store.db(), second).await.unwrap();
    assert_eq!(number, "CT-2024-002");
    assert_eq!(app.projector.status().await.unwrap().lag(), 0);

    // Nothing changed: a retry leaves both where they are.
    let outcome = app.projector.retry().await.unwrap();
    assert_eq!((outcome.applied, outcome.remaining), (0, 2));

    // After the fix both apply, in order: the edit's purpose wins over the creation's.
    let mut fixed = template.clone();
    fixed["number"] = json!("CT-REPARADO");
    repair(store.db(), created, &json!({"ContractCreated": fixed})).await;
    let outcome = app.projector.retry().await.unwrap();
    assert_eq!((outcome.applied, outcome.remaining), (2, 0));
    assert_eq!(app.projector.quarantined(), 0);
    let (number, state) = contract_number(store.db(), poisoned).await.unwrap();
    assert_eq!(number, "CT-REPARADO");
    assert!(
        state.contains("Restaurante"),
        "the held edit was applied after the creation"
    );
}
both_engines!(
    poison_event_is_quarantined_and_commands_keep_working,
    super::poison_event_is_quarantined_and_commands_keep_working
);

/// The first break of issue 9: `preaviso_dias=100000000` made the alert computation panic on every
/// catch-up. Whether the projection now quarantines it or applies it, it must not stop anything.
async fn notice_days_of_100_million_do_not_stop_the_projector(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let first = good_contract(app, "CT-2024-001").await;
    let mut huge = created_terms(store.db(), first).await;
    huge["number"] = json!("CT-2024-900");
    huge["preaviso_days"] = json!(100_000_000);
    append_raw(
        store.db(),
        Uuid::now_v7(),
        1,
        "ContractCreated",
        json!({"ContractCreated": huge}),
    )
    .await;

    app.projector.catch_up().await.unwrap();
    let second = good_contract(app, "CT-2024-002").await;
    assert!(contract_number(store.db(), second).await.is_some());
    let status = app.projector.status().await.unwrap();
    assert_eq!(status.lag(), 0);
    // A rebuild goes through the same event and finishes too.
    app.projector.rebuild().await.unwrap();
    assert_eq!(app.projector.status().await.unwrap().lag(), 0);
}
both_engines!(
    notice_days_of_100_million_do_not_stop_the_projector,
    super::notice_days_of_100_million_do_not_stop_the_projector
);

/// On PostgreSQL a contract number over ~2,700 bytes cannot enter the btree index of
/// `rm_contracts.number`: the SQL of the read model fails, not the decoding.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contract_number_of_3000_bytes_never_reaches_the_store_on_postgres() {
    let store = TestStore::new(Engine::Postgres).await;
    let app = &store.app;
    let first = good_contract(app, "CT-2024-001").await;
    let mut long = created_terms(store.db(), first).await;
    // Random text: PostgreSQL compresses index entries, so a repeated pattern would fit.
    let number: String = (0..94)
        .map(|_| Uuid::new_v4().simple().to_string())
        .collect::<String>()[..3_000]
        .to_string();
    long["number"] = json!(number);
    // Even written raw (as an old bug or a restore could), the event is refused in the append's own
    // transaction by the unique-claims index: nothing is stored that the projector would choke on.
    let (_, head) = event_log::head(store.db()).await.unwrap();
    let event = StoredEvent {
        position: head + 1,
        aggregate_type: "contrato".into(),
        aggregate_id: Uuid::now_v7().to_string(),
        sequence: 1,
        event_type: "ContractCreated".into(),
        event_version: "1.0".into(),
        payload: json!({"ContractCreated": long}),
        metadata: json!({"user": "restaurado", "request_id": "raw"}),
        recorded_at: chrono::Utc::now(),
    };
    let mut tx = store.db().begin().await.unwrap();
    assert!(event_log::append_raw(&mut tx, &event).await.is_err());
    drop(tx);
    assert_eq!(event_log::head(store.db()).await.unwrap().1, head);

    app.projector.catch_up().await.unwrap();
    let listed = arriendo::projector::quarantine::list(store.db(), 100)
        .await
        .unwrap();
    assert!(listed.is_empty());
    let second = good_contract(app, "CT-2024-002").await;
    assert!(contract_number(store.db(), second).await.is_some());
    assert_eq!(app.projector.status().await.unwrap().lag(), 0);
}

/// A rebuild starts the quarantine afresh and sets the same events aside again.
async fn rebuild_sets_the_same_events_aside(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let first = good_contract(app, "CT-2024-001").await;
    let template = created_terms(store.db(), first).await;
    append_poison(store.db(), &template).await;
    app.projector.catch_up().await.unwrap();
    let before = common::dump_read_models(store.db()).await;

    app.projector.rebuild().await.unwrap();
    assert_eq!(app.projector.status().await.unwrap().quarantined, 2);
    assert_eq!(common::dump_read_models(store.db()).await, before);
}
both_engines!(
    rebuild_sets_the_same_events_aside,
    super::rebuild_sets_the_same_events_aside
);

async fn administrador_sees_a_red_banner_and_the_quarantine_page(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana-admin", Role::Administrador).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let first = good_contract(&web.app, "CT-2024-001").await;
    let template = created_terms(web.store.db(), first).await;
    let (_, created, _) = append_poison(web.store.db(), &template).await;
    web.app.projector.catch_up().await.unwrap();

    let admin = web.logged_in("ana-admin").await;
    let gestor = web.logged_in("gus-gestor").await;
    for path in ["/", "/contratos", "/respaldos"] {
        let html = admin.get(path).await.text().await.unwrap();
        assert!(html.contains("Hay 2 eventos en cuarentena."), "{path}");
    }
    let html = gestor.get("/").await.text().await.unwrap();
    assert!(!html.contains("quarantine-banner"));
    assert_eq!(gestor.get("/cuarentena").await.status(), 403);

    let response = admin.get("/cuarentena").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!(">{created}<")));
    assert!(html.contains("ContractCreated"));
    assert!(html.contains("ContractTermsUpdated"));
    assert!(html.contains("No se pudo aplicar"));
    assert!(html.contains("En espera"));

    let mut fixed = template.clone();
    fixed["number"] = json!("CT-REPARADO");
    repair(web.store.db(), created, &json!({"ContractCreated": fixed})).await;
    let response = admin.post("/cuarentena/reintentar", &[]).await;
    assert_eq!(location(&response), "/cuarentena");
    let html = admin.get("/cuarentena").await.text().await.unwrap();
    assert!(
        html.contains("2 eventos aplicados; ya no hay eventos en cuarentena."),
        "{html}"
    );
    assert!(!html.contains("quarantine-banner"));
    let html = admin.get("/contratos").await.text().await.unwrap();
    assert!(html.contains("CT-REPARADO"));
}
both_engines!(
    administrador_sees_a_red_banner_and_the_quarantine_page,
    super::administrador_sees_a_red_banner_and_the_quarantine_page
);

fn arriendo(store: &TestStore, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_arriendo"));
    command
        .arg("--data-dir")
        .arg(store.data_dir())
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("BACKUP_REMOTE_DESTINATION")
        .env_remove("BACKUP_REMOTE_ENABLED")
        .env_remove("BACKUP_OUTPUT_DIR");
    if let Some(url) = &store.database_url {
        command.env("DATABASE_URL", url);
    }
    command.output().unwrap()
}

fn exits_0(output: &Output, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{what}: {text}");
    text
}

/// Maintenance commands are how an operator gets out of trouble: with a poison event in the store
/// (never caught up), each one exits 0.
async fn maintenance_commands_work_with_a_poison_event_in_the_store(engine: Engine) {
    let store = TestStore::new(engine).await;
    let first = good_contract(&store.app, "CT-2024-001").await;
    let template = created_terms(store.db(), first).await;
    let backup = exits_0(
        &arriendo(&store, &["backup", "--format", "json", "--no-remote"]),
        "backup",
    );
    assert!(backup.contains("backup_"), "{backup}");
    append_poison(store.db(), &template).await;

    exits_0(&arriendo(&store, &["migrate"]), "migrate");
    let status = exits_0(&arriendo(&store, &["projections", "status"]), "status");
    assert!(
        status.contains("lag: 2"),
        "status does not catch up first: {status}"
    );
    exits_0(&arriendo(&store, &["user", "list"]), "user list");
    exits_0(&arriendo(&store, &["lockout", "list"]), "lockout list");
    exits_0(
        &arriendo(&store, &["backup", "list", "--local"]),
        "backup list",
    );
    exits_0(
        &arriendo(&store, &["backup", "--format", "json", "--no-remote"]),
        "backup",
    );
    exits_0(&arriendo(&store, &["projections", "rebuild"]), "rebuild");
    let status = exits_0(&arriendo(&store, &["projections", "status"]), "status");
    assert!(status.contains("quarantined: 2"), "{status}");
    let retry = exits_0(&arriendo(&store, &["projections", "retry"]), "retry");
    assert!(retry.contains("still quarantined: 2"), "{retry}");

    let set = backup
        .split_whitespace()
        .find(|w| w.starts_with("backup_"))
        .map(|w| w.trim_end_matches(['.', ',', ':']).to_string())
        .unwrap();
    exits_0(&arriendo(&store, &["restore", &set, "--force"]), "restore");
    let status = exits_0(&arriendo(&store, &["projections", "status"]), "status");
    assert!(
        status.contains("quarantined: 0"),
        "the restored log has no poison: {status}"
    );
}
both_engines!(
    maintenance_commands_work_with_a_poison_event_in_the_store,
    super::maintenance_commands_work_with_a_poison_event_in_the_store
);

async fn panics(_: axum::extract::State<App>) -> &'static str {
    panic!("NaiveDate - Days out of range")
}

/// A handler that panics answers the Spanish 500 page, with the security headers, and the server
/// keeps serving.
async fn a_panicking_handler_answers_500_in_spanish(engine: Engine) {
    use arriendo::http::{Access, Route, security};
    let store = TestStore::new(engine).await;
    let routes = vec![
        Route::get("/panico", Access::Public, panics),
        Route::get("/salud-prueba", Access::Public, || async { "ok" }),
    ];
    let router = security::protect(routes, &store.app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, service).await.unwrap();
    });
    let response = reqwest::get(format!("http://{address}/panico"))
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert!(response.headers().contains_key("content-security-policy"));
    let html = response.text().await.unwrap();
    assert!(html.contains("Algo salió mal"), "{html}");
    assert!(
        !html.contains("NaiveDate"),
        "no technical detail reaches the user"
    );
    let after = reqwest::get(format!("http://{address}/salud-prueba"))
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
}
both_engines!(
    a_panicking_handler_answers_500_in_spanish,
    super::a_panicking_handler_answers_500_in_spanish
);
