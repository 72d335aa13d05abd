//! `cargo bench --bench time_travel`: a contract with 200 events on the embedded SQLite store (a
//! portfolio of ARRIENDO_BENCH_CONTRACTS other contracts beside it, default 200), and how long its
//! page takes over HTTP today, in force on a past date, as recorded at a past moment, both, and
//! printed; plus its history export. The target: a time-travel view under 50 ms. Figures
//! only, no assertions.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use arriendo::App;
use arriendo::auth::users;
use arriendo::startup::Server;
use arriendo::store::Metadata;
use arriendo_events::actor::{Actor, Role};
use arriendo_events::{ContratoCommand, OtroSiChanges, OtroSiNumber};

const PASSWORD: &str = "clave-de-prueba-larga";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn send(app: &App, id: &str, command: ContratoCommand) {
    let current = app.commands.load_contrato(id).await.unwrap().unwrap();
    app.commands
        .contrato(
            id,
            command.prepared_from(&current),
            Metadata::system("bench"),
        )
        .await
        .unwrap();
}

/// The demo's first contract grown to 200 events: Otro Sí drafted, edited, submitted, approved,
/// and follow-up notes.
async fn grow(app: &App, id: &str) -> usize {
    let actor = Actor::new("bench", Role::Administrador);
    let mut count = arriendo::store::event_log::read_stream(&app.db, "contrato", id)
        .await
        .unwrap()
        .len();
    let state = app.commands.load_contrato(id).await.unwrap().unwrap();
    let start = state.terms.as_ref().unwrap().start_date;
    let mut n = state.otro_si.len() as u32;
    while count + 4 <= 200 {
        n += 1;
        let from = start + chrono::Duration::days(30 * i64::from(n));
        let canon = arriendo_events::Money::from_pesos(10_000_000 + i64::from(n) * 1_000).unwrap();
        let number = OtroSiNumber(n);
        for command in [
            ContratoCommand::DraftOtroSi {
                actor: actor.clone(),
                effective_from: from,
                effective_to: None,
                changes: OtroSiChanges {
                    canon: Some(canon),
                    ..Default::default()
                },
                description: format!("Ajuste pactado {n}"),
            },
            ContratoCommand::SubmitOtroSi {
                actor: actor.clone(),
                number,
            },
            ContratoCommand::ApproveOtroSi {
                actor: actor.clone(),
                number,
            },
        ] {
            send(app, id, command).await;
            count += 1;
        }
    }
    while count < 200 {
        send(
            app,
            id,
            ContratoCommand::AddSeguimiento {
                actor: actor.clone(),
                date: start,
                note: format!("Seguimiento {count}"),
                follow_up: None,
            },
        )
        .await;
        count += 1;
    }
    count
}

#[tokio::main]
async fn main() {
    let others: usize = std::env::var("ARRIENDO_BENCH_CONTRACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(None, dir.path().to_path_buf()).await.unwrap();
    let today = arriendo::app::today();
    arriendo::demo::load_sized(&app, today, others)
        .await
        .unwrap();
    app.projector.catch_up().await.unwrap();
    let model: String = arriendo::on_pool!(&app.db, pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts WHERE status = 'vigente' ORDER BY number LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    // A contract of its own, like the demo's first one but with no Otro Sí yet.
    let model = app.commands.load_contrato(&model).await.unwrap().unwrap();
    let mut terms = model.terms.clone().unwrap();
    terms.number = "CT-BENCH-200".into();
    terms.local_id = None;
    let id = uuid::Uuid::now_v7().to_string();
    app.commands
        .contrato(
            &id,
            ContratoCommand::CreateContract {
                actor: Actor::new("bench", Role::Administrador),
                terms,
            },
            Metadata::system("bench"),
        )
        .await
        .unwrap();
    let events = grow(&app, &id).await;
    app.projector.catch_up().await.unwrap();
    let recorded_at = arriendo::store::event_log::read_stream(&app.db, "contrato", &id)
        .await
        .unwrap()[events / 2]
        .recorded_at
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    users::create(
        &app,
        "auditor",
        Role::Auditor,
        PASSWORD.into(),
        Metadata::system("bench"),
    )
    .await
    .unwrap();
    let server = Server::bind(app.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", server.address());
    tokio::spawn(server.run());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let at = login.find(marker).unwrap() + marker.len();
    let token = &login[at..at + login[at..].find('"').unwrap()];
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("username", "auditor"),
            ("password", PASSWORD),
            ("csrf_token", token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "login");

    let past_day = (today - chrono::Duration::days(400))
        .format("%Y-%m-%d")
        .to_string();
    println!(
        "time travel: one contract with {events} events, {others} contracts beside it (SQLite)"
    );
    for (label, path) in [
        ("page today", format!("/contratos/{id}")),
        (
            "in force on a past date (vigente)",
            format!("/contratos/{id}?vigente={past_day}"),
        ),
        (
            "as recorded at a past moment (registrado)",
            format!("/contratos/{id}?registrado={recorded_at}"),
        ),
        (
            "both (vigente + registrado)",
            format!("/contratos/{id}?vigente={past_day}&registrado={recorded_at}"),
        ),
        (
            "printable version, whole history",
            format!("/contratos/{id}/imprimir?vigente={past_day}"),
        ),
        (
            "history export, CSV",
            format!("/contratos/{id}/historial/exportar?formato=csv"),
        ),
        (
            "history export, XLSX",
            format!("/contratos/{id}/historial/exportar?formato=xlsx"),
        ),
    ] {
        let mut samples = Vec::new();
        let mut bytes = 0;
        for _ in 0..21 {
            let started = Instant::now();
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200, "{path}");
            bytes = response.bytes().await.unwrap().len();
            samples.push(started.elapsed());
        }
        println!(
            "{label:<48} {:>8.2} ms  ({} KiB)",
            median(samples).as_secs_f64() * 1000.0,
            bytes / 1024
        );
    }
}
