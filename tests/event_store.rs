//! The event store and the projector on both engines: durability, global order, conflicts, crash
//! recovery, concurrent writers and rebuild.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use arriendo::store::event_log;
use arriendo::store::{CommandError, Framework, Metadata};
use common::{Engine, TestStore};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};
use tokio::sync::Barrier;

/// A tiny aggregate that keeps a total, enough to exercise the store without the lease domain.
#[derive(Clone, Default, Serialize, Deserialize)]
struct Counter {
    total: i64,
}

#[derive(Debug)]
enum CounterCommand {
    Add(i64),
    /// Refused unless the total is exactly the given value: how a test sees the state cqrs-es loaded.
    ExpectTotal(i64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum CounterEvent {
    Added { amount: i64 },
    Checked { total: i64 },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        match self {
            CounterEvent::Added { .. } => "Added".into(),
            CounterEvent::Checked { .. } => "Checked".into(),
        }
    }
    fn event_version(&self) -> String {
        "1.0".into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct CounterError(String);

/// When set, every command waits here after loading the aggregate, so two commands race for real.
#[derive(Default)]
struct CounterServices {
    race: Option<Arc<Barrier>>,
}

impl Aggregate for Counter {
    const TYPE: &'static str = "counter";
    type Command = CounterCommand;
    type Event = CounterEvent;
    type Error = CounterError;
    type Services = CounterServices;

    async fn handle(
        &mut self,
        command: CounterCommand,
        services: &CounterServices,
        sink: &EventSink<Self>,
    ) -> Result<(), CounterError> {
        if let Some(race) = &services.race {
            race.wait().await;
        }
        match command {
            CounterCommand::Add(amount) => sink.write(CounterEvent::Added { amount }, self).await,
            CounterCommand::ExpectTotal(total) if total == self.total => {
                sink.write(CounterEvent::Checked { total }, self).await
            }
            CounterCommand::ExpectTotal(total) => {
                return Err(CounterError(format!(
                    "expected {total}, loaded {}",
                    self.total
                )));
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: CounterEvent) {
        if let CounterEvent::Added { amount } = event {
            self.total += amount;
        }
    }
}

fn counters(store: &TestStore) -> Framework<Counter> {
    Framework::new(store.db(), CounterServices::default(), Vec::new)
}

fn meta() -> Metadata {
    Metadata::new("tester", "req-1")
}

async fn history_positions(store: &TestStore) -> Vec<i64> {
    arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar("SELECT position FROM rm_history ORDER BY position")
            .fetch_all(pool)
            .await
            .unwrap()
    })
}

async fn all_positions(store: &TestStore) -> Vec<i64> {
    event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap()
        .iter()
        .map(|e| e.position)
        .collect()
}

async fn events_survive_restart(engine: Engine) {
    let store = TestStore::new(engine).await;
    let counter = counters(&store);
    counter
        .execute("a", CounterCommand::Add(5), meta())
        .await
        .unwrap();
    store.db().close().await;

    let reopened = store.reopen().await;
    let stream = event_log::read_stream(&reopened.db, "counter", "a")
        .await
        .unwrap();
    assert_eq!(stream.len(), 1);
    assert_eq!(
        stream[0].payload,
        serde_json::json!({"Added": {"amount": 5}})
    );
    assert_eq!(stream[0].actor(), "tester");
    assert_eq!(stream[0].metadata["request_id"], "req-1");
    assert!(stream[0].metadata.get("time").is_some());
}
both_engines!(events_survive_restart, super::events_survive_restart);

async fn snapshots_stay_off(engine: Engine) {
    // cqrs-es 0.5.0 snapshots apply events twice: after 1, 2, 3 and 4 a snapshot held 16 instead of 10.
    let store = TestStore::new(engine).await;
    let counter = counters(&store);
    for amount in 1..=4 {
        counter
            .execute("s", CounterCommand::Add(amount), meta())
            .await
            .unwrap();
    }
    counter
        .execute("s", CounterCommand::ExpectTotal(10), meta())
        .await
        .unwrap();
    let snapshots: i64 = arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM snapshots").fetch_one(pool).await.unwrap()
    });
    assert_eq!(snapshots, 0, "snapshots must never be written");
}
both_engines!(snapshots_stay_off, super::snapshots_stay_off);

async fn kept_aggregates_see_what_another_instance_appended(engine: Engine) {
    // Two servers on one database, each keeping in memory the aggregates its commands used.
    let store = TestStore::new(engine).await;
    let first = counters(&store);
    let second = counters(&store);
    first
        .execute("s", CounterCommand::Add(5), meta())
        .await
        .unwrap();
    first
        .execute("s", CounterCommand::ExpectTotal(5), meta())
        .await
        .unwrap();
    second
        .execute("s", CounterCommand::Add(7), meta())
        .await
        .unwrap();
    first
        .execute("s", CounterCommand::ExpectTotal(12), meta())
        .await
        .expect("the first server decides on the other's addition too");
    assert!(
        first
            .execute("s", CounterCommand::ExpectTotal(99), meta())
            .await
            .is_err()
    );
    first
        .execute("s", CounterCommand::Add(1), meta())
        .await
        .unwrap();
    second
        .execute("s", CounterCommand::ExpectTotal(13), meta())
        .await
        .expect("the second server decides on the first's addition");
    assert_eq!(first.load("s").await.unwrap().total, 13);
    assert_eq!(second.load("s").await.unwrap().total, 13);
}
both_engines!(
    kept_aggregates_see_what_another_instance_appended,
    super::kept_aggregates_see_what_another_instance_appended
);

/// Rewrites stream `id` of counters as one `Added { amount }` per `(amount, position)`, with the
/// metadata of another request: what a restore of another log does under a running server.
async fn rewrite_stream(store: &TestStore, id: &str, rows: &[(i64, i64)]) {
    let postgres = matches!(store.db(), arriendo::store::Db::Postgres(_));
    let json = if postgres { "CAST($4 AS json)" } else { "$4" };
    let insert = format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
         payload, metadata, position) VALUES ('counter', $1, $2, 'Added', '1.0', {json}, {}, $3)",
        json.replace("$4", "$5")
    );
    arriendo::on_pool!(store.db(), pool => {
        let mut tx = pool.begin().await.unwrap();
        sqlx::query("DELETE FROM events WHERE aggregate_type = 'counter' AND aggregate_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        for (sequence, (amount, position)) in (1i64..).zip(rows) {
            sqlx::query(&insert)
                .bind(id)
                .bind(sequence)
                .bind(position)
                .bind(serde_json::json!({"Added": {"amount": amount}}).to_string())
                .bind(
                    serde_json::json!({"user": "restore", "request_id": "other-log", "time": "2020-01-01T00:00:00Z"})
                        .to_string(),
                )
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        if postgres {
            // As a restore does: new appends draw positions after the ones written here.
            sqlx::query("SELECT setval('events_position_seq', (SELECT MAX(position) FROM events))")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    });
}

async fn stream_positions(store: &TestStore, id: &str) -> Vec<i64> {
    arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar(
            "SELECT position FROM events WHERE aggregate_type = 'counter' AND aggregate_id = $1 \
             ORDER BY sequence",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
    })
}

async fn a_stream_replaced_after_a_commit_is_replayed(engine: Engine) {
    // Right after its own commit the server keeps the aggregate it produced. Another process then
    // replaces that stream by one of the same length, first at new positions, then at the very
    // positions of the old one: the next command must decide on the stream as stored.
    let store = TestStore::new(engine).await;
    let server = counters(&store);
    for amount in [5, 1] {
        server
            .execute("r", CounterCommand::Add(amount), meta())
            .await
            .unwrap();
    }
    let old = stream_positions(&store, "r").await;
    let last = *old.iter().max().unwrap();
    rewrite_stream(&store, "r", &[(20, last + 1), (30, last + 2)]).await;
    server
        .execute("r", CounterCommand::ExpectTotal(50), meta())
        .await
        .expect("a stream at new positions is replayed, not taken from memory");
    assert!(
        server
            .execute("r", CounterCommand::ExpectTotal(6), meta())
            .await
            .is_err()
    );

    // The server's own last commit (the check above) is kept; the log is rewritten again with the
    // same length and the same positions, and only the content differs.
    let kept = stream_positions(&store, "r").await;
    assert_eq!(kept.len(), 3);
    let rows: Vec<(i64, i64)> = [7, 8, 9].into_iter().zip(kept).collect();
    rewrite_stream(&store, "r", &rows).await;
    server
        .execute("r", CounterCommand::ExpectTotal(24), meta())
        .await
        .expect("a stream rewritten at the same positions is replayed too");
    assert_eq!(server.load("r").await.unwrap().total, 24);
}
both_engines!(
    a_stream_replaced_after_a_commit_is_replayed,
    super::a_stream_replaced_after_a_commit_is_replayed
);

async fn global_order_keeps_each_aggregate_order(engine: Engine) {
    let store = TestStore::new(engine).await;
    let counter = counters(&store);
    for round in 0..5 {
        for id in ["x", "y", "z"] {
            counter
                .execute(id, CounterCommand::Add(round), meta())
                .await
                .unwrap();
        }
    }
    let events = event_log::read_after(store.db(), 0, 1000).await.unwrap();
    assert_eq!(events.len(), 15);
    let positions: Vec<i64> = events.iter().map(|e| e.position).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    for id in ["x", "y", "z"] {
        let sequences: Vec<i64> = events
            .iter()
            .filter(|e| e.aggregate_id == id)
            .map(|e| e.sequence)
            .collect();
        assert_eq!(sequences, vec![1, 2, 3, 4, 5]);
    }
    let (count, head) = event_log::head(store.db()).await.unwrap();
    assert_eq!((count, head), (15, *positions.last().unwrap()));
}
both_engines!(
    global_order_keeps_each_aggregate_order,
    super::global_order_keeps_each_aggregate_order
);

async fn racing_commands_give_one_conflict(engine: Engine) {
    let store = TestStore::new(engine).await;
    counters(&store)
        .execute("r", CounterCommand::Add(1), meta())
        .await
        .unwrap();
    let race = Arc::new(Barrier::new(2));
    let racer = || {
        let framework = Arc::new(Framework::<Counter>::new(
            store.db(),
            CounterServices {
                race: Some(race.clone()),
            },
            Vec::new,
        ));
        tokio::spawn(async move {
            framework
                .execute("r", CounterCommand::Add(10), meta())
                .await
        })
    };
    let (first, second) = (racer(), racer());
    let results = [first.await.unwrap(), second.await.unwrap()];
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(CommandError::Conflict)))
        .count();
    assert_eq!((wins, conflicts), (1, 1), "{results:?}");
    let stream = event_log::read_stream(store.db(), "counter", "r")
        .await
        .unwrap();
    assert_eq!(
        stream.len(),
        2,
        "the winner's event and the first one, nothing lost or doubled"
    );
    counters(&store)
        .execute("r", CounterCommand::ExpectTotal(11), meta())
        .await
        .unwrap();
}
both_engines!(
    racing_commands_give_one_conflict,
    super::racing_commands_give_one_conflict
);

async fn projector_resumes_after_a_crash(engine: Engine) {
    let store = TestStore::new(engine).await;
    let counter = counters(&store);
    for amount in 0..7 {
        counter
            .execute("c", CounterCommand::Add(amount), meta())
            .await
            .unwrap();
    }
    // A crash after the events committed and before any projection: a transaction that applied part
    // of the work is rolled back, the checkpoint has not moved.
    {
        let mut tx = store.db().begin().await.unwrap();
        let events = event_log::read_after_in(&mut tx, 0, 3).await.unwrap();
        for event in &events {
            arriendo::read_models::apply(&mut tx, event, arriendo::app::today())
                .await
                .unwrap();
        }
        drop(tx);
    }
    assert_eq!(store.app.projector.status().await.unwrap().checkpoint, 0);

    let restarted = store.reopen().await; // opening catches up
    let status = restarted.projector.status().await.unwrap();
    assert_eq!((status.checkpoint, status.lag()), (status.head, 0));
    assert_eq!(history_positions(&store).await, all_positions(&store).await);
}
both_engines!(
    projector_resumes_after_a_crash,
    super::projector_resumes_after_a_crash
);

async fn projector_misses_nothing_under_concurrent_writers(engine: Engine) {
    let store = TestStore::new(engine).await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let framework = counters(&store);
            tokio::spawn(async move {
                for i in 0..25 {
                    framework
                        .execute(&format!("w{w}"), CounterCommand::Add(i), meta())
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    let projector = store.app.projector.clone();
    let reader = tokio::spawn(async move {
        let mut applied = 0;
        for _ in 0..200 {
            applied += projector.catch_up().await.unwrap();
            tokio::task::yield_now().await;
        }
        applied
    });
    for writer in writers {
        writer.await.unwrap();
    }
    let during = reader.await.unwrap();
    let after = store.app.projector.catch_up().await.unwrap();
    assert_eq!(during + after, 200, "each event applied exactly once");
    assert_eq!(history_positions(&store).await, all_positions(&store).await);
    assert_eq!(all_positions(&store).await.len(), 200);
}
both_engines!(
    projector_misses_nothing_under_concurrent_writers,
    super::projector_misses_nothing_under_concurrent_writers
);

async fn rebuild_equals_incremental(engine: Engine) {
    let store = TestStore::new(engine).await;
    let counter = counters(&store);
    for amount in 0..10 {
        counter
            .execute(
                &format!("k{}", amount % 3),
                CounterCommand::Add(amount),
                meta(),
            )
            .await
            .unwrap();
    }
    store.app.projector.catch_up().await.unwrap();
    let incremental = common::dump_read_models(store.db()).await;
    assert_eq!(store.app.projector.rebuild().await.unwrap(), 10);
    assert_eq!(common::dump_read_models(store.db()).await, incremental);
}
both_engines!(
    rebuild_equals_incremental,
    super::rebuild_equals_incremental
);

/// PostgreSQL only: a transaction that drew its position first but commits last must still be
/// projected. Without the advisory lock in the position trigger, the later writer's event would be
/// projected first and the checkpoint would jump over the earlier one forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn late_commit_is_not_skipped_on_postgres() {
    let store = TestStore::new(Engine::Postgres).await;
    let arriendo::store::Db::Postgres(pool) = store.db() else {
        unreachable!()
    };
    let insert = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
                  payload, metadata) VALUES ('counter', $1, 1, 'Added', '1.0', '{}', '{}')";
    let mut slow = pool.begin().await.unwrap();
    sqlx::query(insert)
        .bind("slow")
        .execute(&mut *slow)
        .await
        .unwrap();

    let fast_pool = pool.clone();
    let fast = tokio::spawn(async move {
        sqlx::query(insert)
            .bind("fast")
            .execute(&fast_pool)
            .await
            .unwrap();
    });
    // The interleaving is made, not hoped for: wait until the fast writer is blocked on the slow
    // one's advisory lock (it has not drawn its position yet) before projecting. If the lock were
    // gone it would never block, and this fails saying so.
    let mut polls = 0;
    loop {
        let blocked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if blocked > 0 {
            break;
        }
        polls += 1;
        assert!(
            polls < 3000,
            "the second writer never waited for the first one's position lock"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    store.app.projector.catch_up().await.unwrap();

    slow.commit().await.unwrap();
    fast.await.unwrap();
    store.app.projector.catch_up().await.unwrap();

    let projected: Vec<String> =
        sqlx::query_scalar("SELECT aggregate_id FROM rm_history ORDER BY position")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(projected, vec!["slow".to_string(), "fast".to_string()]);
}

/// Every connection of the embedded store's pool runs with the settings `store::connect` documents:
/// WAL, `synchronous = NORMAL`, an 8 MiB page cache, a 256 MiB memory map, a 10 s busy timeout and
/// foreign keys. Several connections are held at once, so the pool has to open more than one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_connections_carry_the_store_settings() {
    let store = TestStore::new(Engine::Sqlite).await;
    let arriendo::store::Db::Sqlite(pool) = store.db() else {
        panic!("a SQLite store")
    };
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(pool.acquire().await.unwrap());
    }
    for conn in &mut held {
        let pragma = |name: &'static str| format!("PRAGMA {name}");
        let journal: String = sqlx::query_scalar(&pragma("journal_mode"))
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(journal, "wal");
        for (name, expected) in [
            ("synchronous", 1),
            ("cache_size", -8_192),
            ("mmap_size", 268_435_456),
            ("busy_timeout", 10_000),
            ("foreign_keys", 1),
        ] {
            let value: i64 = sqlx::query_scalar(&pragma(name))
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(value, expected, "PRAGMA {name}");
        }
    }
}
