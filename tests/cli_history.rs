//! Issue 12, item 1 on the command line: `arriendo history CONTRACT --in-force-on D
//! --as-recorded-at T --format text|json` prints what the contract page shows with
//! `?vigente=D&registrado=T`, on both engines.
#![allow(clippy::unwrap_used)]

mod common;
mod web_fixtures;

use std::process::{Command, Output};

use arriendo_events::{ContratoCommand, OtroSiChanges, OtroSiNumber, PaymentModality};
use chrono::NaiveDate;
use common::{Engine, TestStore};
use web_fixtures::*;

fn history(store: &TestStore, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_arriendo"));
    command.arg("--data-dir").arg(store.dir.path());
    match &store.database_url {
        Some(url) => command.arg("--database-url").arg(url),
        None => command.env_remove("DATABASE_URL"),
    };
    command.arg("history").args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn history_prints_the_contract_as_it_stood(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let fixed = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(app, terms("CT-H-1", tercero, None, fixed, start, 0)).await;
    let created = arriendo::store::event_log::read_stream(&app.db, "contrato", &id.to_string())
        .await
        .unwrap()[0]
        .recorded_at
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    run(
        app,
        id,
        ContratoCommand::DraftOtroSi {
            actor: admin(),
            effective_from: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            effective_to: None,
            changes: OtroSiChanges {
                canon: Some(money(14_000_000)),
                ..OtroSiChanges::default()
            },
            description: "Incremento pactado".into(),
        },
    )
    .await;
    for command in [
        ContratoCommand::SubmitOtroSi {
            actor: admin(),
            number: OtroSiNumber(1),
        },
        ContratoCommand::ApproveOtroSi {
            actor: admin(),
            number: OtroSiNumber(1),
        },
    ] {
        run(app, id, command).await;
    }
    app.projector.catch_up().await.unwrap();

    let march = stdout(&history(&store, &["CT-H-1", "--in-force-on", "2026-03-01"]));
    assert!(march.contains("En vigor el 01/03/2026"), "{march}");
    assert!(march.contains("  Canon mensual: $ 12.500.000\n"), "{march}");
    assert!(
        march.contains("Aprobó el Otro Sí OS-1"),
        "the whole history: {march}"
    );
    let july = stdout(&history(&store, &["CT-H-1", "--in-force-on", "01/07/2026"]));
    assert!(
        july.contains("  Canon mensual: $ 14.000.000 (OS-1)\n"),
        "{july}"
    );
    // As recorded at the creation: no Otro Sí yet, and the history stops there.
    let as_created = stdout(&history(
        &store,
        &[
            "CT-H-1",
            "--in-force-on",
            "2026-07-01",
            "--as-recorded-at",
            &created,
        ],
    ));
    assert!(as_created.contains("según lo registrado al"));
    assert!(
        as_created.contains("  Canon mensual: $ 12.500.000\n"),
        "{as_created}"
    );
    assert!(!as_created.contains("OS-1"), "{as_created}");
    // JSON: the same terms, by id.
    let json: serde_json::Value = serde_json::from_str(&stdout(&history(
        &store,
        &[
            &id.to_string(),
            "--in-force-on",
            "2026-07-01",
            "--format",
            "json",
        ],
    )))
    .unwrap();
    assert_eq!(json["contract"], "CT-H-1");
    let canon = json["terms_text"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "Canon mensual")
        .unwrap();
    assert_eq!(canon["value"], "$ 14.000.000");
    assert_eq!(canon["source"], "OS-1");
    // Worst input: a usage error (exit 2) in English, nothing printed on stdout.
    for args in [
        vec!["NO-EXISTE"],
        vec!["CT-H-1", "--in-force-on", "zzz"],
        vec!["CT-H-1", "--as-recorded-at", "ayer"],
    ] {
        let output = history(&store, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
    }
    let before = history(&store, &["CT-H-1", "--as-recorded-at", "2000-01-01"]);
    assert_eq!(before.status.code(), Some(1));
}
both_engines!(
    history_prints_the_contract_as_it_stood,
    super::history_prints_the_contract_as_it_stood
);
