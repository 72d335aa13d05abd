//! Races between users and between instances (issue 9, items 2 and 3), on both engines.
//!
//! Lost updates: every edit carries the version of what its author saw; no acknowledged edit may
//! have been prepared from an older version than the one right before it in the stream.
//! Uniqueness: a contract number, a NIT per kind of tercero and a local name are claimed in the
//! transaction that appends the event; of two instances posting the same value at once, exactly
//! one wins and the other gets a typed error for the field.
#![allow(clippy::unwrap_used)]

mod common;
mod web_fixtures;

use std::collections::HashMap;
use std::sync::Arc;

use arriendo::App;
use arriendo::store::{ClaimScope, CommandError, Metadata};
use arriendo_events::*;
use chrono::NaiveDate;
use common::{Engine, TestStore};
use tokio::sync::{Barrier, Mutex};
use uuid::Uuid;
use web_fixtures::admin;

fn meta() -> Metadata {
    Metadata::system("concurrency-test")
}

async fn create_contract(
    app: &App,
    id: &str,
    number: &str,
) -> Result<(), CommandError<DomainError>> {
    let command = ContratoCommand::CreateContract {
        actor: admin(),
        terms: web_fixtures::fijo_terms(number),
    };
    app.commands.contrato(id, command, meta()).await
}

/// (sequence, payload) of every event of a contract, in order.
async fn contract_stream(app: &App, id: &str) -> Vec<(i64, String)> {
    arriendo::on_pool!(&app.db, pool => {
        sqlx::query_as(
            "SELECT sequence, CAST(payload AS TEXT) FROM events \
             WHERE aggregate_type = 'contrato' AND aggregate_id = $1 ORDER BY sequence",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
    })
}

async fn count(app: &App, sql: &str) -> i64 {
    arriendo::on_pool!(&app.db, pool => {
        sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
    })
}

async fn two_edits_from_the_same_version_the_second_is_refused(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let id = Uuid::now_v7().to_string();
    create_contract(app, &id, "CT-2025-014").await.unwrap();
    // Ana and Luis open the edit form at the same version.
    let seen = app.commands.load_contrato(&id).await.unwrap().unwrap();
    let edit = |purpose: &str| ContratoCommand::UpdateContractTerms {
        actor: admin(),
        terms: ContractTerms {
            purpose: purpose.into(),
            ..web_fixtures::fijo_terms("CT-2025-014")
        },
        expected_version: seen.versions.of(ContratoPart::Terms),
        reason: "Cambio del objeto".into(),
    };
    app.commands
        .contrato(&id, edit("Venta de calzado"), meta())
        .await
        .unwrap();
    let luis = app
        .commands
        .contrato(&id, edit("Venta de ropa infantil"), meta())
        .await;
    match luis {
        Err(CommandError::Refused(e)) => {
            assert_eq!(e.to_string(), "el contrato cambió mientras lo editaba");
            assert!(e.is_stale());
        }
        other => panic!("expected a stale refusal, got {other:?}"),
    }
    let stream = contract_stream(app, &id).await;
    assert_eq!(stream.len(), 2, "nothing of Luis's edit was written");
    assert!(stream[1].1.contains("Venta de calzado"));
}
both_engines!(
    two_edits_from_the_same_version_the_second_is_refused,
    super::two_edits_from_the_same_version_the_second_is_refused
);

/// Four clients on two instances (two pools on one database) edit one contract's terms, each
/// from the version it just read. Every acknowledged edit must sit right after the version its
/// author saw: an edit acknowledged over a change its author never saw is a lost update.
async fn concurrent_edits_on_two_instances_lose_nothing(engine: Engine) {
    const CLIENTS: usize = 4;
    const EDITS_EACH: usize = 12;
    let store = TestStore::new(engine).await;
    let instances = [store.app.clone(), store.reopen().await];
    let id = Uuid::now_v7().to_string();
    create_contract(&instances[0], &id, "CT-2025-020")
        .await
        .unwrap();

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let start = Arc::new(Barrier::new(CLIENTS));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let app = instances[client % 2].clone();
        let (id, acknowledged, start) = (id.clone(), acknowledged.clone(), start.clone());
        clients.push(tokio::spawn(async move {
            start.wait().await;
            let mut refused = 0;
            for edit in 0..EDITS_EACH {
                let current = app.commands.load_contrato(&id).await.unwrap().unwrap();
                let seen = current.versions.of(ContratoPart::Terms);
                let purpose = format!("Objeto escrito por el cliente {client}, edición {edit}");
                let command = ContratoCommand::UpdateContractTerms {
                    actor: admin(),
                    terms: ContractTerms {
                        purpose: purpose.clone(),
                        ..current.terms.unwrap()
                    },
                    expected_version: seen,
                    reason: "Cambio del objeto".into(),
                };
                match app.commands.contrato(&id, command, meta()).await {
                    Ok(()) => acknowledged.lock().await.push((purpose, seen)),
                    Err(CommandError::Refused(e)) if e.is_stale() => refused += 1,
                    Err(CommandError::Conflict) => refused += 1,
                    Err(other) => panic!("client {client}: {other}"),
                }
                tokio::task::yield_now().await;
            }
            refused
        }));
    }
    let mut refused = 0;
    for client in clients {
        refused += client.await.unwrap();
    }

    let stream = contract_stream(&instances[0], &id).await;
    let sequence_of: HashMap<String, i64> = stream
        .iter()
        .filter_map(|(sequence, payload)| {
            let json: serde_json::Value = serde_json::from_str(payload).ok()?;
            let purpose = json["ContractTermsUpdated"]["purpose"].as_str()?;
            Some((purpose.to_string(), *sequence))
        })
        .collect();
    let acknowledged = acknowledged.lock().await;
    assert!(!acknowledged.is_empty());
    assert_eq!(
        acknowledged.len() + refused,
        CLIENTS * EDITS_EACH,
        "every edit was either acknowledged or refused"
    );
    assert_eq!(
        acknowledged.len(),
        stream.len() - 1,
        "every stored edit was acknowledged, and only those"
    );
    for (purpose, seen) in acknowledged.iter() {
        let sequence = sequence_of[purpose];
        assert_eq!(
            *seen as i64,
            sequence - 1,
            "«{purpose}» was prepared from version {seen} but stored at {sequence}"
        );
    }
}
both_engines!(
    concurrent_edits_on_two_instances_lose_nothing,
    super::concurrent_edits_on_two_instances_lose_nothing
);

/// Appends that no form replaces (notes, documents) from two instances at once: each lost race is
/// decided again on the new state, so every one is stored, once, and acknowledged.
async fn concurrent_appends_on_two_instances_are_all_kept(engine: Engine) {
    const CLIENTS: usize = 4;
    const EACH: usize = 8;
    let store = TestStore::new(engine).await;
    let instances = [store.app.clone(), store.reopen().await];
    let id = Uuid::now_v7().to_string();
    create_contract(&instances[0], &id, "CT-2025-030")
        .await
        .unwrap();
    let start = Arc::new(Barrier::new(CLIENTS));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let app = instances[client % 2].clone();
        let (id, start) = (id.clone(), start.clone());
        clients.push(tokio::spawn(async move {
            start.wait().await;
            for n in 0..EACH {
                let command = if n % 2 == 0 {
                    ContratoCommand::AddSeguimiento {
                        actor: admin(),
                        date: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
                        note: format!("Nota {client}-{n}"),
                        follow_up: None,
                    }
                } else {
                    ContratoCommand::AttachDocument {
                        actor: admin(),
                        id: Uuid::now_v7(),
                        subject: AttachmentSubject::Contrato,
                        file: StoredFile {
                            sha256: format!("{:064x}", client * 100 + n),
                            size_bytes: 1_000,
                            media_type: MediaType::Pdf,
                            file_name: format!("anexo-{client}-{n}.pdf"),
                        },
                        description: String::new(),
                    }
                };
                app.commands.contrato(&id, command, meta()).await.unwrap();
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    let contrato = instances[1]
        .commands
        .load_contrato(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contrato.seguimientos.len(), CLIENTS * EACH / 2);
    assert_eq!(contrato.documents.len(), CLIENTS * EACH / 2);
    assert_eq!(
        contract_stream(&instances[0], &id).await.len(),
        1 + CLIENTS * EACH,
        "the creation and every append, none doubled"
    );
}
both_engines!(
    concurrent_appends_on_two_instances_are_all_kept,
    super::concurrent_appends_on_two_instances_are_all_kept
);

/// Runs `attempt(instance, round)` on both instances at once; returns the two results.
async fn race<F, Fut>(
    instances: &[App; 2],
    round: usize,
    attempt: F,
) -> [Result<(), CommandError<DomainError>>; 2]
where
    F: Fn(App, usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), CommandError<DomainError>>> + Send + 'static,
{
    let start = Arc::new(Barrier::new(2));
    let mut runs = Vec::new();
    for (side, app) in instances.iter().enumerate() {
        let (app, start, attempt) = (app.clone(), start.clone(), attempt.clone());
        runs.push(tokio::spawn(async move {
            start.wait().await;
            attempt(app, round, side).await
        }));
    }
    let second = runs.pop().unwrap().await.unwrap();
    let first = runs.pop().unwrap().await.unwrap();
    [first, second]
}

/// Exactly one of the two won; the other got `Taken(scope)`.
fn one_winner(results: &[Result<(), CommandError<DomainError>>; 2], scope: ClaimScope) {
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(CommandError::Taken(s)) if *s == scope)),
        "{results:?}"
    );
}

const ROUNDS: usize = 20;

async fn the_same_contract_number_posted_to_two_instances_has_one_winner(engine: Engine) {
    let store = TestStore::new(engine).await;
    let instances = [store.app.clone(), store.reopen().await];
    for round in 0..ROUNDS {
        let results = race(&instances, round, |app, round, side| async move {
            // One types it in capitals, the other in lower case: the same number.
            let number = if side == 0 {
                format!("CT-2025-{round:03}")
            } else {
                format!("ct-2025-{round:03}")
            };
            create_contract(&app, &Uuid::now_v7().to_string(), &number).await
        })
        .await;
        one_winner(&results, ClaimScope::ContratoNumero);
    }
    let app = &instances[0];
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM events WHERE event_type = 'ContractCreated'"
        )
        .await,
        ROUNDS as i64
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM unique_claims WHERE scope = 'contrato_numero'"
        )
        .await,
        ROUNDS as i64
    );
}
both_engines!(
    the_same_contract_number_posted_to_two_instances_has_one_winner,
    super::the_same_contract_number_posted_to_two_instances_has_one_winner
);

fn nit_of(round: usize) -> Nit {
    let number = format!("{}", 900_100_000 + round * 7_919);
    Nit::parse(&number).unwrap()
}

async fn register_tercero(
    app: &App,
    nit: Nit,
    kind: TerceroKind,
) -> Result<(), CommandError<DomainError>> {
    let command = TerceroCommand::RegisterTercero {
        actor: admin(),
        data: TerceroData {
            nit,
            razon_social: "Comercializadora Andina S.A.S.".into(),
            kind,
            legal_representative: None,
            supervisor_name: None,
            supervisor_email: None,
        },
    };
    app.commands
        .tercero(&Uuid::now_v7().to_string(), command, meta())
        .await
}

async fn the_same_nit_of_one_kind_posted_to_two_instances_has_one_winner(engine: Engine) {
    let store = TestStore::new(engine).await;
    let instances = [store.app.clone(), store.reopen().await];
    for round in 0..ROUNDS {
        let results = race(&instances, round, |app, round, side| async move {
            // With and without the check digit: the same NIT.
            let bare = nit_of(round);
            let nit = if side == 0 {
                bare
            } else {
                Nit::parse(&format!(
                    "{}-{}",
                    bare.number(),
                    bare.computed_check_digit()
                ))
                .unwrap()
            };
            register_tercero(&app, nit, TerceroKind::Arrendatario).await
        })
        .await;
        one_winner(&results, ClaimScope::NitArrendatario);
    }
    // The same NIT as a supplier is another class: it is free.
    register_tercero(&instances[1], nit_of(0), TerceroKind::Proveedor)
        .await
        .unwrap();
    let second = register_tercero(&instances[0], nit_of(0), TerceroKind::Proveedor).await;
    assert!(matches!(
        second,
        Err(CommandError::Taken(ClaimScope::NitProveedor))
    ));
}
both_engines!(
    the_same_nit_of_one_kind_posted_to_two_instances_has_one_winner,
    super::the_same_nit_of_one_kind_posted_to_two_instances_has_one_winner
);

async fn register_local(app: &App, id: &str, name: &str) -> Result<(), CommandError<DomainError>> {
    let command = LocalCommand::RegisterLocal {
        actor: admin(),
        data: LocalData {
            name: name.into(),
            location: "Piso 1".into(),
            area_m2: Area::parse("85,5").unwrap(),
        },
    };
    app.commands.local(id, command, meta()).await
}

async fn the_same_local_name_posted_to_two_instances_has_one_winner(engine: Engine) {
    let store = TestStore::new(engine).await;
    let instances = [store.app.clone(), store.reopen().await];
    for round in 0..ROUNDS {
        let results = race(&instances, round, |app, round, side| async move {
            let name = if side == 0 {
                format!("Local {round} Plaza Central")
            } else {
                format!("  LOCAL {round} PLAZA CENTRAL ")
            };
            register_local(&app, &Uuid::now_v7().to_string(), &name).await
        })
        .await;
        one_winner(&results, ClaimScope::LocalNombre);
    }
    assert_eq!(
        count(
            &instances[0],
            "SELECT COUNT(*) FROM unique_claims WHERE scope = 'local_nombre'"
        )
        .await,
        ROUNDS as i64
    );
}
both_engines!(
    the_same_local_name_posted_to_two_instances_has_one_winner,
    super::the_same_local_name_posted_to_two_instances_has_one_winner
);

/// Renaming releases the old value; a rename onto a taken value is refused and writes nothing.
async fn a_changed_number_releases_the_old_one(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let (first, second) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
    create_contract(app, &first, "CT-2025-001").await.unwrap();
    create_contract(app, &second, "CT-2025-002").await.unwrap();
    let rename = |number: &str, seen: u64| ContratoCommand::UpdateContractTerms {
        actor: admin(),
        terms: web_fixtures::fijo_terms(number),
        expected_version: seen,
        reason: "Cambio del objeto".into(),
    };
    let taken = app
        .commands
        .contrato(&first, rename("CT-2025-002", 1), meta())
        .await;
    assert!(matches!(
        taken,
        Err(CommandError::Taken(ClaimScope::ContratoNumero))
    ));
    assert_eq!(
        contract_stream(app, &first).await.len(),
        1,
        "nothing written"
    );
    app.commands
        .contrato(&first, rename("CT-2025-101", 1), meta())
        .await
        .unwrap();
    create_contract(app, &Uuid::now_v7().to_string(), "CT-2025-001")
        .await
        .unwrap();
}
both_engines!(
    a_changed_number_releases_the_old_one,
    super::a_changed_number_releases_the_old_one
);

/// A restore inserts events with their original positions. A log written before uniqueness was
/// enforced may hold two contracts with one number: it restores as it is, the first keeps the claim.
async fn restored_events_with_historical_duplicates_are_accepted(engine: Engine) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let payload = serde_json::to_string(&ContratoEvent::ContractCreated(web_fixtures::fijo_terms(
        "CT-2019-007",
    )))
    .unwrap();
    let (first, second) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
    let mut tx = app.db.begin().await.unwrap();
    for (position, id) in [(1_i64, &first), (2, &second)] {
        let sql = match app.db.engine() {
            arriendo::store::Engine::Sqlite => {
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata, position) VALUES ('contrato', $1, 1, 'ContractCreated', '1.0', $2, '{}', $3)"
            }
            arriendo::store::Engine::Postgres => {
                "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                 payload, metadata, position) VALUES ('contrato', $1, 1, 'ContractCreated', '1.0', $2::json, '{}', $3)"
            }
        };
        arriendo::on_tx!(&mut tx, conn => {
            sqlx::query(sql).bind(id).bind(&payload).bind(position).execute(conn).await.unwrap();
        });
    }
    arriendo::store::event_log::resync_position_sequence(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let holder: String = arriendo::on_pool!(&app.db, pool => {
        sqlx::query_scalar("SELECT aggregate_id FROM unique_claims WHERE scope = 'contrato_numero'")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert_eq!(holder, first);
    // The app itself still refuses a third one.
    let third = create_contract(app, &Uuid::now_v7().to_string(), "CT-2019-007").await;
    assert!(matches!(
        third,
        Err(CommandError::Taken(ClaimScope::ContratoNumero))
    ));
}
both_engines!(
    restored_events_with_historical_duplicates_are_accepted,
    super::restored_events_with_historical_duplicates_are_accepted
);
