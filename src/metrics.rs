//! Prometheus metrics: requests by route and status, request latency, events appended, and (computed
//! at scrape time from the store) projector lag and the age of the last successful backup.
//!
//! The `metrics` recorder is process-global, so it is installed once ([`install`]); counters recorded
//! by every App of the process add up in it. Values that depend on a database are never put in the
//! global recorder: [`render`] reads them from the App being scraped, so two apps in one process (the
//! tests) never report each other's store.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::App;

pub const REQUESTS: &str = "arriendo_http_requests_total";
pub const LATENCY: &str = "arriendo_http_request_duration_seconds";
pub const EVENTS_APPENDED: &str = "arriendo_events_appended_total";
pub const PROJECTOR_LAG: &str = "arriendo_projector_lag_events";
pub const BACKUP_AGE: &str = "arriendo_backup_last_success_age_seconds";

/// Latency buckets in seconds: pages take milliseconds, exports and restores seconds.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the global recorder (once per process; later calls do nothing). `None` when another
/// recorder was installed first: the app then serves its store gauges only.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(LATENCY.to_string()), BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(handle) => {
                    metrics::describe_counter!(
                        REQUESTS,
                        "HTTP requests by method, route and status"
                    );
                    metrics::describe_histogram!(
                        LATENCY,
                        metrics::Unit::Seconds,
                        "HTTP request latency by method and route"
                    );
                    metrics::describe_counter!(
                        EVENTS_APPENDED,
                        "Events appended by this process, by aggregate type"
                    );
                    // Histograms keep raw samples until drained: drain them even if nobody scrapes.
                    // A plain thread, because the tests' runtimes come and go.
                    let upkeep = handle.clone();
                    let spawned = std::thread::Builder::new()
                        .name("metrics-upkeep".into())
                        .spawn(move || {
                            loop {
                                std::thread::sleep(Duration::from_secs(5));
                                upkeep.run_upkeep();
                            }
                        });
                    if let Err(err) = spawned {
                        tracing::error!(error = %err, "cannot start the metrics upkeep thread");
                    }
                    Some(handle)
                }
                Err(err) => {
                    tracing::error!(error = %err, "cannot install the metrics recorder");
                    None
                }
            }
        })
        .as_ref()
}

/// Middleware (outside the router's own layers): counts every request by its matched route, never the
/// raw URI, so ids and query strings do not create new series.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(LATENCY, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Counts the events each command appends (a cqrs-es query: it sees the events right after they are
/// committed).
pub struct CountAppended;

#[async_trait::async_trait]
impl<A: cqrs_es::Aggregate> cqrs_es::Query<A> for CountAppended {
    async fn dispatch(&self, _aggregate_id: &str, events: &[cqrs_es::EventEnvelope<A>]) {
        metrics::counter!(EVENTS_APPENDED, "aggregate" => A::TYPE).increment(events.len() as u64);
    }
}

/// The scrape: the process's counters and histograms, then the gauges read from this App's store.
/// A gauge whose query fails is left out (and logged) rather than failing the whole scrape.
pub async fn render(app: &App) -> String {
    let mut text = install().map(PrometheusHandle::render).unwrap_or_default();
    match app.projector.lag().await {
        Ok(lag) => gauge(
            &mut text,
            PROJECTOR_LAG,
            "Events in the log not yet applied to the read models",
            lag as f64,
        ),
        Err(err) => tracing::error!(error = %err, "metrics: cannot read the projector status"),
    }
    match crate::backup::runs::latest_success(&app.db).await {
        Ok(latest) => {
            // No successful backup at all counts as infinitely old, so an alert on the age fires.
            let age = latest
                .and_then(|run| run.finished_at.or(Some(run.started_at)))
                .map(|at| (chrono::Utc::now() - at).num_seconds().max(0) as f64)
                .unwrap_or(f64::INFINITY);
            gauge(
                &mut text,
                BACKUP_AGE,
                "Seconds since the last successful backup finished (+Inf when there is none)",
                age,
            );
        }
        Err(err) => tracing::error!(error = %err, "metrics: cannot read the backup runs"),
    }
    text
}

fn gauge(text: &mut String, name: &str, help: &str, value: f64) {
    use std::fmt::Write;
    let value = if value.is_infinite() {
        "+Inf".to_string()
    } else {
        value.to_string()
    };
    // Writing to a String cannot fail.
    let _ = write!(
        text,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n\n"
    );
}
