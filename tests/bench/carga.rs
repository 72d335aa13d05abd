//! The load generator of `scripts/bench`: logs in to a running Arriendo, then for each page keeps
//! `--connections` requests in flight for `--seconds` and prints one Markdown row per page: requests
//! per second, p50 and p99 latency, the server's CPU time per request and its peak resident memory
//! while the page was driven (sampled from /proc every 10 ms; `--pid`): all of it, and in brackets the
//! anonymous part (heap), since pages of a memory-mapped SQLite file count as resident too. Figures
//! only, no assertions.
//!
//! cargo run --release --example carga -- --base http://127.0.0.1:8080 --user bench \
//!     --password-env BENCH_PASSWORD --pid 1234 / /alertas?tipo=ajuste /contratos /contratos/{contrato}
//!
//! `{contrato}` is replaced by the first contract linked from `/contratos`.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Args {
    base: String,
    user: String,
    password: String,
    pid: Option<u32>,
    connections: usize,
    seconds: u64,
    warmup: u64,
    paths: Vec<String>,
}

fn args() -> Args {
    let mut args = Args {
        base: "http://127.0.0.1:8080".into(),
        user: "bench".into(),
        password: String::new(),
        pid: None,
        connections: 16,
        seconds: 10,
        warmup: 2,
        paths: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().expect("a value after the flag");
        match arg.as_str() {
            "--base" => args.base = value(),
            "--user" => args.user = value(),
            "--password-env" => args.password = std::env::var(value()).expect("password variable"),
            "--pid" => args.pid = Some(value().parse().expect("a pid")),
            "--connections" => args.connections = value().parse().expect("a number"),
            "--seconds" => args.seconds = value().parse().expect("a number"),
            "--warmup" => args.warmup = value().parse().expect("a number"),
            "--bench" => {} // cargo passes it to bench targets
            path => args.paths.push(path.to_string()),
        }
    }
    args
}

/// A field of /proc/PID/status in KiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// utime + stime of the process, in clock ticks (100 a second on Linux).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn page(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.unwrap();
    response.text().await.unwrap()
}

async fn login(client: &reqwest::Client, args: &Args) {
    let page = page(client, &format!("{}/login", args.base)).await;
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).expect("a login form") + marker.len();
    let token = &page[start..start + page[start..].find('"').unwrap()];
    let response = client
        .post(format!("{}/login", args.base))
        .form(&[
            ("username", args.user.as_str()),
            ("password", args.password.as_str()),
            ("csrf_token", token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "login as {}", args.user);
}

async fn first_contract(client: &reqwest::Client, base: &str) -> String {
    let html = page(client, &format!("{base}/contratos")).await;
    let marker = "href=\"/contratos/";
    let mut rest = html.as_str();
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let id = &rest[..rest.find('"').unwrap_or(0)];
        if id.len() == 36 && !id.contains('/') && !id.contains('?') {
            return id.to_string();
        }
    }
    panic!("no contract linked from /contratos");
}

/// Requests `url` from `connections` tasks until `until`; the latencies of the 200s and the count of
/// anything else.
async fn drive(
    client: &reqwest::Client,
    url: &str,
    connections: usize,
    until: Instant,
) -> (Vec<Duration>, u64) {
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let url = url.to_string();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < until {
                let started = Instant::now();
                let answered = match client.get(&url).send().await {
                    Ok(response) if response.status() == 200 => response.bytes().await.is_ok(),
                    _ => false,
                };
                if answered {
                    latencies.push(started.elapsed());
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    (all, errors.load(Ordering::Relaxed))
}

#[tokio::main]
async fn main() {
    let args = args();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.connections)
        .build()
        .unwrap();
    login(&client, &args).await;
    let contract = first_contract(&client, &args.base).await;
    println!(
        "| página | req/s | p50 ms | p99 ms | CPU ms/req | RSS máx. MiB (anónima) | errores |\n|---|---|---|---|---|---|---|"
    );
    for path in &args.paths {
        let path = path.replace("{contrato}", &contract);
        let url = format!("{}{}", args.base, path);
        drive(
            &client,
            &url,
            args.connections,
            Instant::now() + Duration::from_secs(args.warmup),
        )
        .await;

        let sampling = Arc::new(AtomicBool::new(true));
        let peak = Arc::new(AtomicU64::new(0));
        let peak_anon = Arc::new(AtomicU64::new(0));
        let sampler = args.pid.map(|pid| {
            let sampling = sampling.clone();
            let peak = peak.clone();
            let peak_anon = peak_anon.clone();
            tokio::spawn(async move {
                while sampling.load(Ordering::Relaxed) {
                    if let Some(kib) = status_kib(pid, "VmRSS:") {
                        peak.fetch_max(kib, Ordering::Relaxed);
                    }
                    if let Some(kib) = status_kib(pid, "RssAnon:") {
                        peak_anon.fetch_max(kib, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        });
        let cpu_before = args.pid.and_then(cpu_ticks);
        let started = Instant::now();
        let (mut latencies, errors) = drive(
            &client,
            &url,
            args.connections,
            started + Duration::from_secs(args.seconds),
        )
        .await;
        let elapsed = started.elapsed();
        let cpu_after = args.pid.and_then(cpu_ticks);
        sampling.store(false, Ordering::Relaxed);
        if let Some(sampler) = sampler {
            sampler.await.unwrap();
        }
        latencies.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let cpu = match (cpu_before, cpu_after) {
            (Some(b), Some(a)) if !latencies.is_empty() => {
                format!("{:.2}", (a - b) as f64 * 10.0 / latencies.len() as f64)
            }
            _ => "—".into(),
        };
        let rss = match (
            peak.load(Ordering::Relaxed),
            peak_anon.load(Ordering::Relaxed),
        ) {
            (0, _) => "—".into(),
            (kib, anon) => format!("{:.1} ({:.1})", kib as f64 / 1024.0, anon as f64 / 1024.0),
        };
        let shown = if path.contains(&contract) {
            "/contratos/{id}".to_string()
        } else {
            path.clone()
        };
        println!(
            "| `{shown}` | {:.0} | {:.1} | {:.1} | {cpu} | {rss} | {errors} |",
            latencies.len() as f64 / elapsed.as_secs_f64(),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
        );
    }
    if let Some(pid) = args.pid
        && let Some(hwm) = status_kib(pid, "VmHWM:")
    {
        println!(
            "\nMemoria residente máxima del servidor desde su arranque (VmHWM): {:.1} MiB",
            hwm as f64 / 1024.0
        );
    }
}
