//! `cargo bench --bench portfolio`: builds a portfolio of ARRIENDO_BENCH_CONTRACTS contracts (default
//! 10,000) on the embedded SQLite store and prints how long commands, projection, rebuild and the
//! pages' heaviest read-model queries take, and the peak memory. Figures only, no assertions.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use arriendo::App;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn time_query(app: &App, label: &str, sql: &str, binds: &[&str]) {
    let mut samples = Vec::new();
    let mut rows = 0;
    for _ in 0..21 {
        let started = Instant::now();
        rows = arriendo::on_pool!(&app.db, pool => {
            let mut query = sqlx::query(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            query.fetch_all(pool).await.unwrap().len()
        });
        samples.push(started.elapsed());
    }
    println!(
        "{label:<58} {:>9.2} ms  ({rows} rows)",
        median(samples).as_secs_f64() * 1000.0
    );
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() {
    // The rebuild logs how long its swap held the checkpoint lock (RUST_LOG=arriendo::projector=info).
    arriendo::telemetry::init(arriendo::cli::LogFormat::Human);
    let contracts: usize = std::env::var("ARRIENDO_BENCH_CONTRACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(None, dir.path().to_path_buf()).await.unwrap();
    let today = arriendo::app::today();

    let started = Instant::now();
    arriendo::demo::load_sized(&app, today, contracts)
        .await
        .unwrap();
    let load = started.elapsed();
    let status = app.projector.status().await.unwrap();
    println!(
        "portfolio: {contracts} contracts, {} events (SQLite, {})",
        status.events,
        dir.path().display()
    );
    println!(
        "{:<58} {:>9.2} s   ({:.0} events/s)",
        "commands (load + decide + append)",
        load.as_secs_f64(),
        status.events as f64 / load.as_secs_f64()
    );

    let started = Instant::now();
    let applied = app.projector.catch_up().await.unwrap();
    let project = started.elapsed();
    println!(
        "{:<58} {:>9.2} s   ({:.0} events/s)",
        "projector catch-up from zero",
        project.as_secs_f64(),
        applied as f64 / project.as_secs_f64()
    );

    let started = Instant::now();
    let rebuilt = app.projector.rebuild().await.unwrap();
    let rebuild = started.elapsed();
    println!(
        "{:<58} {:>9.2} s   ({:.0} events/s)",
        "projections rebuild",
        rebuild.as_secs_f64(),
        rebuilt as f64 / rebuild.as_secs_f64()
    );

    time_query(
        &app,
        "contract list: search 'local', sorted by end, page 1",
        "SELECT id, number, tercero_name, local_name, modality, end_date, canon, status FROM rm_contracts \
         WHERE search LIKE $1 ORDER BY end_date LIMIT 25",
        &["%local%"],
    )
    .await;
    time_query(
        &app,
        "contract list: count for the same search",
        "SELECT COUNT(*) FROM rm_contracts WHERE search LIKE $1",
        &["%local%"],
    )
    .await;
    time_query(
        &app,
        "contract list: in force, page 200 by number",
        "SELECT id, number, tercero_name FROM rm_contracts WHERE status = 'vigente' \
         ORDER BY number LIMIT 25 OFFSET 4975",
        &[],
    )
    .await;
    time_query(
        &app,
        "dashboard: alert counts by kind and severity",
        "SELECT kind, severity, COUNT(*) FROM rm_alerts GROUP BY kind, severity",
        &[],
    )
    .await;
    time_query(
        &app,
        "dashboard: 5 most urgent alerts of one kind",
        "SELECT contract_id, contract_number, trigger_date, days_left, source, message FROM rm_alerts \
         WHERE kind = $1 ORDER BY severity_rank, trigger_date LIMIT 5",
        &["vencimiento"],
    )
    .await;
    time_query(
        &app,
        "dashboard: contracts in force by modality and kind",
        "SELECT modality, kind, COUNT(*) FROM rm_contracts WHERE status = 'vigente' GROUP BY modality, kind",
        &[],
    )
    .await;
    time_query(
        &app,
        "contract detail: the contract's events (folded by the page)",
        "SELECT e.sequence, e.event_type, e.event_version, e.payload FROM rm_contracts c \
         JOIN rm_contract_events e ON e.contract_id = c.id WHERE c.number = $1 ORDER BY e.sequence",
        &["CT-2025"],
    )
    .await;
    println!("{:<58} {:>9.1} MiB", "peak resident memory", peak_rss_mib());
}
