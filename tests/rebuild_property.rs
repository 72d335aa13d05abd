//! Issue 9: for any sequence of commands (accepted or refused) sent to a small portfolio, with the
//! projector catching up at arbitrary points in between, rebuilding the read models from the log
//! gives exactly the read models the incremental projector kept. Run on both engines.
#![allow(clippy::unwrap_used)]

mod common;
mod web_fixtures;

use arriendo::App;
use arriendo::store::Metadata;
use arriendo::store::event_log;
use arriendo_events::*;
use chrono::Duration;
use common::{Engine, TestStore};
use proptest::prelude::*;
use uuid::Uuid;
use web_fixtures::{admin, money, pct};

/// Contracts the sequence can address.
const CONTRACTS: usize = 3;

#[derive(Clone, Debug)]
enum Op {
    Create {
        contract: usize,
        modality: u8,
        started_days_ago: i64,
        preaviso: u32,
    },
    EditPreaviso {
        contract: usize,
        days: u32,
    },
    Note {
        contract: usize,
        text: String,
    },
    DraftOtroSi {
        contract: usize,
        canon: i64,
        from_days_ago: i64,
    },
    SubmitAndApprove {
        contract: usize,
        number: u32,
    },
    Terminate {
        contract: usize,
        days_from_today: i64,
    },
    RenameTenant {
        name: String,
    },
    CatchUp,
}

fn op() -> impl Strategy<Value = Op> {
    let contract = 0..CONTRACTS;
    prop_oneof![
        (contract.clone(), 0u8..3, -400i64..2_000, 0u32..4_000).prop_map(
            |(contract, modality, started_days_ago, preaviso)| Op::Create {
                contract,
                modality,
                started_days_ago,
                preaviso,
            }
        ),
        (contract.clone(), 0u32..4_000)
            .prop_map(|(contract, days)| Op::EditPreaviso { contract, days }),
        (contract.clone(), "[a-zñ ]{0,20}")
            .prop_map(|(contract, text)| Op::Note { contract, text }),
        (contract.clone(), 1i64..50_000_000, -300i64..600).prop_map(
            |(contract, canon, from_days_ago)| Op::DraftOtroSi {
                contract,
                canon,
                from_days_ago,
            }
        ),
        (contract.clone(), 1u32..4)
            .prop_map(|(contract, number)| Op::SubmitAndApprove { contract, number }),
        (contract, -100i64..400).prop_map(|(contract, days_from_today)| Op::Terminate {
            contract,
            days_from_today
        }),
        "[A-Z][a-z]{1,12} S.A.S.".prop_map(|name| Op::RenameTenant { name }),
        Just(Op::CatchUp),
    ]
}

struct Portfolio {
    tenant: Uuid,
    locals: Vec<Uuid>,
    contracts: Vec<Uuid>,
}

fn modality(choice: u8) -> PaymentModality {
    match choice {
        0 => PaymentModality::Fijo {
            canon: money(12_500_000),
        },
        1 => PaymentModality::VariablePuro {
            percentage: pct("8"),
        },
        _ => PaymentModality::Hibrido {
            minimum: money(12_500_000),
            percentage: pct("5"),
        },
    }
}

/// Sends the command; refusals are part of the sequence (nothing is written for them).
async fn send(app: &App, id: Uuid, command: ContratoCommand) {
    let id = id.to_string();
    let command = match app.commands.load_contrato(&id).await.unwrap() {
        Some(current) => command.prepared_from(&current),
        None => command,
    };
    let _ = app
        .commands
        .contrato(&id, command, Metadata::system("propiedad"))
        .await;
}

async fn run(app: &App, portfolio: &Portfolio, op: Op) {
    let today = arriendo::app::today();
    match op {
        Op::Create {
            contract,
            modality: choice,
            started_days_ago,
            preaviso,
        } => {
            let mut terms = web_fixtures::terms(
                &format!("CT-P-{contract}"),
                portfolio.tenant,
                portfolio.locals.get(contract).copied(),
                modality(choice),
                today,
                started_days_ago,
            );
            terms.preaviso_days = preaviso;
            let command = ContratoCommand::CreateContract {
                actor: admin(),
                terms,
            };
            send(app, portfolio.contracts[contract], command).await;
        }
        Op::EditPreaviso { contract, days } => {
            let id = portfolio.contracts[contract];
            let Some(current) = app.commands.load_contrato(&id.to_string()).await.unwrap() else {
                return;
            };
            let Some(mut terms) = current.terms.clone() else {
                return;
            };
            terms.preaviso_days = days;
            let command = ContratoCommand::UpdateContractTerms {
                actor: admin(),
                terms,
                expected_version: 0,
                reason: "Corrección".into(),
            };
            send(app, id, command).await;
        }
        Op::Note { contract, text } => {
            let command = ContratoCommand::AddSeguimiento {
                actor: admin(),
                date: today,
                note: text,
                follow_up: None,
            };
            send(app, portfolio.contracts[contract], command).await;
        }
        Op::DraftOtroSi {
            contract,
            canon,
            from_days_ago,
        } => {
            let command = ContratoCommand::DraftOtroSi {
                actor: admin(),
                effective_from: today - Duration::days(from_days_ago),
                effective_to: None,
                changes: OtroSiChanges {
                    canon: Some(money(canon)),
                    ..OtroSiChanges::default()
                },
                description: "Cambio de canon".into(),
            };
            send(app, portfolio.contracts[contract], command).await;
        }
        Op::SubmitAndApprove { contract, number } => {
            let id = portfolio.contracts[contract];
            let number = OtroSiNumber(number);
            let submit = ContratoCommand::SubmitOtroSi {
                actor: admin(),
                number,
            };
            send(app, id, submit).await;
            let approve = ContratoCommand::ApproveOtroSi {
                actor: admin(),
                number,
            };
            send(app, id, approve).await;
        }
        Op::Terminate {
            contract,
            days_from_today,
        } => {
            let command = ContratoCommand::TerminateContract {
                actor: admin(),
                date: today + Duration::days(days_from_today),
                reason: "Mutuo acuerdo".into(),
            };
            send(app, portfolio.contracts[contract], command).await;
        }
        Op::RenameTenant { name } => {
            let id = portfolio.tenant.to_string();
            let seen = event_log::read_stream(&app.db, "tercero", &id)
                .await
                .unwrap()
                .len() as u64;
            let command = TerceroCommand::UpdateTercero {
                actor: admin(),
                data: TerceroData {
                    nit: Nit::parse("900123456").unwrap(),
                    razon_social: name,
                    kind: TerceroKind::Arrendatario,
                    legal_representative: None,
                    supervisor_name: None,
                    supervisor_email: None,
                },
                expected_version: seen,
            };
            let _ = app
                .commands
                .tercero(&id, command, Metadata::system("propiedad"))
                .await;
        }
        Op::CatchUp => {
            app.projector.catch_up().await.unwrap();
        }
    }
}

async fn rebuild_equals_incremental_after(engine: Engine, ops: Vec<Op>) {
    let store = TestStore::new(engine).await;
    let app = &store.app;
    let tenant = web_fixtures::tenant(app, "900123456", "Café Andino S.A.S.").await;
    let mut locals = Vec::new();
    for i in 0..CONTRACTS {
        locals.push(web_fixtures::local(app, &format!("Local {i}")).await);
    }
    let portfolio = Portfolio {
        tenant,
        locals,
        contracts: (0..CONTRACTS).map(|_| Uuid::now_v7()).collect(),
    };
    for op in ops {
        run(app, &portfolio, op).await;
    }
    app.projector.catch_up().await.unwrap();
    let incremental = common::dump_read_models(store.db()).await;
    app.projector.rebuild().await.unwrap();
    let rebuilt = common::dump_read_models(store.db()).await;
    assert_eq!(rebuilt, incremental);
    assert_eq!(app.projector.status().await.unwrap().lag(), 0);
}

fn check(engine: fn() -> Engine, cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..30))| {
        runtime.block_on(rebuild_equals_incremental_after(engine(), ops));
    });
}

#[test]
fn rebuild_equals_incremental_for_any_sequence_sqlite() {
    check(|| Engine::Sqlite, 24);
}

#[test]
fn rebuild_equals_incremental_for_any_sequence_postgres() {
    check(|| Engine::Postgres, 8);
}
