//! Operations over HTTP: every response carries an `x-request-id`, and the events a request appends
//! carry the same id in their metadata; `/metrics` for administradores only; a page view that changes
//! nothing writes nothing to the session store; `/salud` answers as before without counting the log.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::store::{Db, event_log};
use arriendo_events::Role;
use auth_support::{Web, location};
use common::Engine;

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .expect("every response has an x-request-id")
        .to_str()
        .unwrap()
        .to_string()
}

async fn the_request_id_is_returned_and_stored_with_the_events(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let gus = web.logged_in("gus").await;

    // Anonymous and unknown paths get one too, and a client cannot choose it.
    let anonymous = web
        .browser()
        .client
        .get(format!("{}/login", web.base))
        .header("x-request-id", "elegido-por-el-cliente")
        .send()
        .await
        .unwrap();
    let chosen = request_id(&anonymous);
    assert_ne!(chosen, "elegido-por-el-cliente");
    assert!(uuid::Uuid::parse_str(&chosen).is_ok(), "{chosen}");

    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "900.123.456-8"),
                ("razon_social", "Café Andino S.A.S."),
                ("tipo", "arrendatario"),
                ("representante", "Ana Pérez"),
                ("supervisor", ""),
                ("correo", "ana@andino.com.co"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let id = request_id(&response);
    let tercero = location(&response)
        .trim_start_matches("/terceros/")
        .to_string();
    let events = event_log::read_stream(&web.app.db, "tercero", &tercero)
        .await
        .unwrap();
    assert!(!events.is_empty(), "the POST appended the tercero's events");
    for event in &events {
        assert_eq!(
            event.metadata["request_id"].as_str(),
            Some(id.as_str()),
            "{event:?}"
        );
        assert_eq!(event.actor(), "gus");
    }

    // Another request, another id.
    let page = gus.get(&location(&response)).await;
    assert_eq!(page.status(), 200);
    assert_ne!(request_id(&page), id);
}
both_engines!(
    request_id_is_returned_and_stored,
    super::the_request_id_is_returned_and_stored_with_the_events
);

async fn metrics_for_administradores_only(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;

    // Anonymous: to the login page. Gestor: 403.
    let anonymous = web.browser().get("/metrics").await;
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login"));
    let gus = web.logged_in("gus").await;
    assert_eq!(gus.get("/metrics").await.status(), 403);

    // A request to a route with an id, and an event appended.
    let ana = web.logged_in("ana").await;
    let response = ana
        .post(
            "/terceros",
            &[
                ("nit", "800.197.268-4"),
                ("razon_social", "Inversiones Métricas S.A.S."),
                ("tipo", "arrendatario"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(ana.get(&location(&response)).await.status(), 200);

    let scrape = ana.get("/metrics").await;
    assert_eq!(scrape.status(), 200);
    assert!(
        scrape.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = scrape.text().await.unwrap();
    // The route as matched, with its parameter, never the raw URI with the id.
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_http_requests_total{")
                && l.contains("route=\"/terceros/{id}\"")
                && l.contains("status=\"200\"")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_http_requests_total{")
                && l.contains("method=\"POST\"")
                && l.contains("route=\"/terceros\"")
                && l.contains("status=\"303\"")),
        "{text}"
    );
    assert!(!text.contains(&location(&response)), "no raw URIs");
    assert!(
        text.contains("arriendo_http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("arriendo_events_appended_total{aggregate=\"tercero\"}")),
        "{text}"
    );
    // Store gauges, read from this app's store at scrape time.
    let value = |name: &str| -> String {
        text.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .split(' ')
            .nth(1)
            .unwrap()
            .to_string()
    };
    // The command caught the projector up before answering.
    assert_eq!(value("arriendo_projector_lag_events"), "0");
    // This store never made a backup: infinitely old, so an age alert fires.
    assert_eq!(value("arriendo_backup_last_success_age_seconds"), "+Inf");
}
both_engines!(metrics_admin_only, super::metrics_for_administradores_only);

/// Counts every row the session store inserts, updates or deletes, with triggers on its table: what
/// reaches the database, whatever the session library decides.
async fn count_session_writes(db: &Db) {
    match db {
        Db::Sqlite(pool) => {
            for sql in [
                "CREATE TABLE test_session_writes (n INTEGER NOT NULL)",
                "INSERT INTO test_session_writes (n) VALUES (0)",
                "CREATE TRIGGER test_sw_i AFTER INSERT ON tower_sessions \
                 BEGIN UPDATE test_session_writes SET n = n + 1; END",
                "CREATE TRIGGER test_sw_u AFTER UPDATE ON tower_sessions \
                 BEGIN UPDATE test_session_writes SET n = n + 1; END",
                "CREATE TRIGGER test_sw_d AFTER DELETE ON tower_sessions \
                 BEGIN UPDATE test_session_writes SET n = n + 1; END",
            ] {
                sqlx::query(sql).execute(pool).await.unwrap();
            }
        }
        Db::Postgres(pool) => {
            for sql in [
                "CREATE TABLE test_session_writes (n bigint NOT NULL)",
                "INSERT INTO test_session_writes (n) VALUES (0)",
                "CREATE FUNCTION test_sw() RETURNS trigger AS $$ BEGIN \
                 UPDATE test_session_writes SET n = n + 1; RETURN NULL; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER test_sw AFTER INSERT OR UPDATE OR DELETE ON tower_sessions \
                 FOR EACH ROW EXECUTE FUNCTION test_sw()",
            ] {
                sqlx::query(sql).execute(pool).await.unwrap();
            }
        }
    }
}

async fn session_writes(db: &Db) -> i64 {
    let sql = "SELECT CAST(n AS BIGINT) FROM test_session_writes";
    arriendo::on_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn page_views_write_nothing(engine: Engine) {
    let web = Web::start(engine).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    web.add_user("gus", Role::Gestor).await;
    let gus = web.logged_in("gus").await;
    let contract: String = arriendo::on_pool!(&web.app.db, pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts ORDER BY number LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    count_session_writes(&web.app.db).await;

    let pages = [
        "/".to_string(),
        "/alertas?tipo=ajuste".to_string(),
        "/contratos".to_string(),
        format!("/contratos/{contract}"),
        "/polizas".to_string(),
        "/terceros".to_string(),
        "/locales".to_string(),
    ];
    for i in 0..100 {
        let path = &pages[i % pages.len()];
        assert_eq!(gus.get(path).await.status(), 200, "GET {path}");
    }
    assert_eq!(
        session_writes(&web.app.db).await,
        0,
        "100 page views wrote the session"
    );

    // The counter sees real writes: a flash is stored by the POST, taken (one write) by the page
    // that shows it, and the page after it writes nothing again.
    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "800.197.268-4"),
                ("razon_social", "Inversiones Sesión S.A.S."),
                ("tipo", "arrendatario"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let after_post = session_writes(&web.app.db).await;
    assert_eq!(after_post, 1, "the flash is stored once");
    let page = gus.get(&location(&response)).await.text().await.unwrap();
    assert!(page.contains("registrado"), "{page}");
    assert_eq!(session_writes(&web.app.db).await, after_post + 1);
    assert_eq!(gus.get("/").await.status(), 200);
    assert_eq!(session_writes(&web.app.db).await, after_post + 1);

    // Activity is recorded at most once a minute: the idle timeout needs it, the minute bounds it.
    web.clock.advance(chrono::Duration::seconds(61));
    for _ in 0..10 {
        assert_eq!(gus.get("/contratos").await.status(), 200);
    }
    assert_eq!(session_writes(&web.app.db).await, after_post + 2);
}
both_engines!(page_views_write_nothing, super::page_views_write_nothing);

async fn health_answers_without_counting_the_log(engine: Engine) {
    let web = Web::start(engine).await;
    let probe = web.browser();
    let answer = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    };
    assert_eq!(
        answer(probe.get("/salud").await).await,
        (200, "ok".to_string()),
        "an empty log"
    );
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    let last = event_log::last_position(&web.app.db).await.unwrap();
    let (count, head) = event_log::head(&web.app.db).await.unwrap();
    assert!(count > 0);
    assert_eq!(last, head, "the same position the count reported with");
    assert_eq!(
        answer(probe.get("/salud").await).await,
        (200, "ok".to_string())
    );
    // The scrape's lag, now read without the count, is what the status reports.
    let status = web.app.projector.status().await.unwrap();
    assert_eq!(web.app.projector.lag().await.unwrap(), status.lag());
    web.app.projector.catch_up().await.unwrap();
    assert_eq!(web.app.projector.lag().await.unwrap(), 0);

    // A store that does not answer: 503, in Spanish, as before.
    web.app.db.close().await;
    assert_eq!(
        answer(probe.get("/salud").await).await,
        (503, "sin base de datos".to_string())
    );
}
both_engines!(health, super::health_answers_without_counting_the_log);
