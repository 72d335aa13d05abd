//! Who is reading: the user and the address behind an export or a view of the past, for the trail
//! of reads (`crate::audit::access`). A read that cannot be recorded is not served.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;

use super::page_error::{OrServerError, PageError, PageResult};
use super::security::{Ctx, CurrentUser, client_ip, peer_address};
use crate::app::App;
use crate::audit::access::{self, ReadKind};

/// The signed-in reader of a page (routes that use it are never public).
#[derive(Debug, Clone)]
pub struct Reader {
    pub username: String,
    pub ip: String,
}

impl FromRequestParts<App> for Reader {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, app).await?;
        let ip = client_ip(
            &parts.headers,
            peer_address(&parts.extensions),
            app.auth.trusted_proxies,
        );
        Ok(Reader {
            username: user.username,
            ip,
        })
    }
}

/// Records the read; `Err` is the error page to answer with instead of the data.
pub async fn record(
    app: &App,
    ctx: &Ctx,
    reader: &Reader,
    kind: ReadKind,
    target: &str,
    detail: &str,
) -> Result<(), PageError> {
    access::record(
        &app.db,
        app.auth.now(),
        &reader.username,
        &reader.ip,
        kind,
        target,
        detail,
    )
    .await
    .or_500(&ctx.page)
}

/// Reads per page of the trail.
const PAGE: i64 = 100;

pub fn routes() -> Vec<super::Route> {
    vec![super::Route::get(
        "/auditoria/lecturas",
        super::Access::Audit,
        trail,
    )]
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TrailQuery {
    antes: String,
}

/// `/auditoria/lecturas`: the trail, newest first, paged by id.
async fn trail(
    axum::extract::State(app): axum::extract::State<App>,
    _auditor: super::security::RequireAudit,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<TrailQuery>,
) -> PageResult {
    use arriendo_views::pages::lecturas::{ReadRow, reads_page};
    use axum::response::IntoResponse;
    let before = q.antes.trim().parse::<i64>().ok().filter(|id| *id > 0);
    let mut reads = access::latest(&app.db, before, PAGE + 1)
        .await
        .or_500(&ctx.page)?;
    let more = reads.len() > PAGE as usize;
    reads.truncate(PAGE as usize);
    let older = more
        .then(|| {
            reads
                .last()
                .map(|r| format!("/auditoria/lecturas?antes={}", r.id))
        })
        .flatten();
    let rows: Vec<ReadRow> = reads
        .into_iter()
        .map(|r| ReadRow {
            at: crate::export::bogota_label(r.at),
            action: ReadKind::label(&r.action).to_string(),
            username: r.username,
            ip: r.ip,
            target: r.target,
            detail: r.detail,
        })
        .collect();
    Ok(reads_page(&ctx.page, &rows, older.as_deref()).into_response())
}
