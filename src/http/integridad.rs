//! Integridad del registro (administradores y auditores): the integrity of the event log. Each visit
//! recomputes the chain of digests (the same check as `arriendo audit verify`) and lists the latest
//! backup seals.

use arriendo_views::pages::integridad::{self as views, IntegridadPage, SealRow};
use axum::extract::State;
use axum::response::IntoResponse;

use super::page_error::{OrServerError, PageResult};
use super::security::{Access, Ctx, RequireAudit, Route};
use crate::app::App;
use crate::audit::{self, ChainReport, Seal};
use crate::store::StoreError;

/// The page lists this many seals, newest first.
const SEALS: i64 = 20;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/auditoria/integridad", Access::Audit, page)]
}

async fn seal_row(app: &App, report: &ChainReport, seal: Seal) -> Result<SealRow, StoreError> {
    let within = report
        .broken
        .as_ref()
        .is_none_or(|b| seal.position < b.position);
    let stored = audit::seal::digest_at(&app.db, seal.position).await?;
    Ok(SealRow {
        when: audit::bogota_time(seal.created_at),
        matches: within && stored.as_deref() == Some(seal.digest.as_str()),
        name: seal.name,
        position: seal.position,
        events: seal.event_count,
        digest: seal.digest,
    })
}

async fn load(app: &App) -> Result<IntegridadPage, StoreError> {
    let report = audit::verify(&app.db).await?;
    app.chain.store(&report).await;
    let mut seals = Vec::new();
    for seal in audit::seals::latest(&app.db, SEALS).await? {
        seals.push(seal_row(app, &report, seal).await?);
    }
    Ok(IntegridadPage {
        intact: report.is_intact(),
        summary: audit::summary(&report),
        intact_upto: report.intact_upto,
        intact_digest: report.intact_digest.clone(),
        pending: report.pending,
        elapsed_ms: report.elapsed_ms,
        seals,
    })
}

async fn page(State(app): State<App>, RequireAudit(user): RequireAudit, ctx: Ctx) -> PageResult {
    let data = load(&app).await.or_500(&ctx.page)?;
    tracing::info!(user = %user.username, intact = data.intact, "integrity of the log checked from the web");
    Ok(views::integridad_page(&ctx.page, &data).into_response())
}
