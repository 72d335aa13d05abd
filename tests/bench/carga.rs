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
    notes: bool,
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
        notes: false,
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
            "--notes" => args.notes = true,
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

/// The contracts linked from the first page of `/contratos`, in order, without repeats.
async fn contracts(client: &reqwest::Client, base: &str) -> Vec<String> {
    let html = page(client, &format!("{base}/contratos")).await;
    let marker = "href=\"/contratos/";
    let mut ids: Vec<String> = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let id = &rest[..rest.find('"').unwrap_or(0)];
        if id.len() == 36 && !id.contains('/') && !id.contains('?') && !ids.iter().any(|i| i == id)
        {
            ids.push(id.to_string());
        }
    }
    assert!(!ids.is_empty(), "no contract linked from /contratos");
    ids
}

/// Runs `request` from `connections` tasks (each told its number and its count of requests so far)
/// until `until`; the latencies of the requests it says went through and the count of the others.
async fn drive<F, Fut>(connections: usize, until: Instant, request: F) -> (Vec<Duration>, u64)
where
    F: Fn(usize, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for n in 0..connections {
        let request = request.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut sent = 0;
            while Instant::now() < until {
                sent += 1;
                let started = Instant::now();
                if request(n, sent).await {
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

/// GETs `url` from `connections` tasks until `until`: a 200 with its whole body goes through.
async fn drive_page(
    client: &reqwest::Client,
    url: &str,
    connections: usize,
    until: Instant,
) -> (Vec<Duration>, u64) {
    let (client, url) = (client.clone(), url.to_string());
    drive(connections, until, move |_, _| {
        let get = client.get(&url).send();
        async move {
            match get.await {
                Ok(response) if response.status() == 200 => response.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await
}

/// The session's CSRF token, from a page with a form.
async fn csrf_token(client: &reqwest::Client, base: &str) -> String {
    let html = page(client, &format!("{base}/cuenta/contrasena")).await;
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// `--notes`: each client posts follow-up notes to its own contract until `until`; a command went
/// through when the form answers with its redirect (303) back to the contract.
async fn post_notes(
    client: &reqwest::Client,
    args: &Args,
    contracts: &[String],
    until: Instant,
) -> (Vec<Duration>, u64) {
    let token = csrf_token(client, &args.base).await;
    let (client, base, contracts) = (client.clone(), args.base.clone(), contracts.to_vec());
    drive(args.connections, until, move |n, sent| {
        let contract = &contracts[n % contracts.len()];
        let note = format!("Nota de carga {n}-{sent}");
        let post = client
            .post(format!("{base}/contratos/{contract}/seguimientos"))
            .form(&[("nota", note.as_str()), ("csrf_token", token.as_str())])
            .send();
        async move {
            match post.await {
                Ok(response) => response.status() == 303 && response.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await
}

/// Requests per second, p50 and p99 in ms, and the server's CPU ms per request, as table cells.
fn figures(
    latencies: &mut [Duration],
    elapsed: Duration,
    cpu: (Option<u64>, Option<u64>),
) -> String {
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let cpu = match cpu {
        (Some(b), Some(a)) if !latencies.is_empty() => {
            format!("{:.2}", (a - b) as f64 * 10.0 / latencies.len() as f64)
        }
        _ => "—".into(),
    };
    format!(
        "{:.0} | {:.1} | {:.1} | {cpu}",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(latencies, 50.0)),
        ms(percentile(latencies, 99.0)),
    )
}

async fn drive_notes(client: &reqwest::Client, args: &Args, contracts: &[String]) {
    println!(
        "| clientes | comandos/s | p50 ms | p99 ms | CPU ms/comando | errores |\n|---|---|---|---|---|---|"
    );
    let warmup = Instant::now() + Duration::from_secs(args.warmup);
    post_notes(client, args, contracts, warmup).await;
    let cpu_before = args.pid.and_then(cpu_ticks);
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let (mut latencies, errors) = post_notes(client, args, contracts, until).await;
    let elapsed = started.elapsed();
    let cpu = (cpu_before, args.pid.and_then(cpu_ticks));
    let cells = figures(&mut latencies, elapsed, cpu);
    println!("| {} | {cells} | {errors} |", args.connections);
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
    let contracts = contracts(&client, &args.base).await;
    if args.notes {
        drive_notes(&client, &args, &contracts).await;
        return;
    }
    let contract = contracts[0].clone();
    println!(
        "| página | req/s | p50 ms | p99 ms | CPU ms/req | RSS máx. MiB (anónima) | errores |\n|---|---|---|---|---|---|---|"
    );
    for path in &args.paths {
        let path = path.replace("{contrato}", &contract);
        let url = format!("{}{}", args.base, path);
        let warmup = Instant::now() + Duration::from_secs(args.warmup);
        drive_page(&client, &url, args.connections, warmup).await;

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
        let until = started + Duration::from_secs(args.seconds);
        let (mut latencies, errors) = drive_page(&client, &url, args.connections, until).await;
        let elapsed = started.elapsed();
        let cpu = (cpu_before, args.pid.and_then(cpu_ticks));
        sampling.store(false, Ordering::Relaxed);
        if let Some(sampler) = sampler {
            sampler.await.unwrap();
        }
        let cells = figures(&mut latencies, elapsed, cpu);
        let rss = match (
            peak.load(Ordering::Relaxed),
            peak_anon.load(Ordering::Relaxed),
        ) {
            (0, _) => "—".into(),
            (kib, anon) => format!("{:.1} ({:.1})", kib as f64 / 1024.0, anon as f64 / 1024.0),
        };
        let shown = if path.contains(&contract) {
            "/contratos/{id}".to_string()
        } else if path.len() > 40 {
            format!("{}…", &path[..path.floor_char_boundary(30)])
        } else {
            path.clone()
        };
        println!("| `{shown}` | {cells} | {rss} | {errors} |");
    }
    if let Some(pid) = args.pid
        && let Some(hwm) = status_kib(pid, "VmHWM:")
    {
        let mib = |field| status_kib(pid, field).unwrap_or(0) as f64 / 1024.0;
        println!(
            "\nMemoria residente máxima del servidor desde su arranque (VmHWM): {:.1} MiB; al terminar: \
             {:.1} MiB, de ellos {:.1} anónima (montículo) y {:.1} de archivos (el binario y, en SQLite, la base mapeada).",
            hwm as f64 / 1024.0,
            mib("VmRSS:"),
            mib("RssAnon:"),
            mib("RssFile:"),
        );
    }
}
