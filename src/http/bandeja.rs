//! The approval inbox (`/bandeja`): administradores approve or reject Otro Sí and renewals from a
//! list, with the same commands, checks and confirmation as the contract page; whoever sent one
//! sees how it went. An item someone else already decided answers 409 with the inbox as it is now.

use arriendo_events::{ContratoCommand, OtroSiNumber, OtroSiStatus, RenewalNumber, RenewalStatus};
use arriendo_views::layout::Flash;
use arriendo_views::pages::bandeja::{Inbox, InboxKind, inbox_page};
use arriendo_views::pages::confirmacion::CONFIRM_FIELD;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::contratos::approval::{Approval, ApprovalPlace};
use super::contratos::otrosi;
use super::contratos::{Loaded, load, renovaciones};
use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{CONFLICT, Outcome, done, outcome};
use super::security::{Access, Ctx, RequireAdmin, Route};
use crate::app::App;
use crate::http::CurrentUser;
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/bandeja", Access::Authenticated, show),
        Route::post("/bandeja/aprobar", Access::Admin, approve),
        Route::post("/bandeja/rechazar", Access::Admin, reject),
    ]
}

const HERE: &str = "/bandeja";

/// The inbox, with `error` above it (or beside the item `error_item`) and `status`.
async fn render(
    app: &App,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<String>,
    error_item: Option<String>,
) -> PageResult {
    let user = ctx.user.as_ref().or_404(&ctx.page)?;
    let pending = queries::bandeja::pending(&app.db).await.or_500(&ctx.page)?;
    let mine = queries::bandeja::sent_by(&app.db, &user.username)
        .await
        .or_500(&ctx.page)?;
    let inbox = Inbox {
        pending,
        mine,
        is_admin: user.is_admin(),
        error,
        error_item,
    };
    Ok((status, inbox_page(&ctx.page, &inbox)).into_response())
}

async fn show(State(app): State<App>, ctx: Ctx) -> PageResult {
    render(&app, &ctx, StatusCode::OK, None, None).await
}

/// Which item a form names (`contrato`, `tipo`, `numero`).
struct Target {
    kind: InboxKind,
    contract_id: String,
    number: u32,
}

impl Target {
    fn read(values: &FormValues) -> Option<Target> {
        Some(Target {
            kind: InboxKind::from_slug(values.get("tipo"))?,
            contract_id: values.get("contrato").trim().to_string(),
            number: values.get("numero").trim().parse().ok()?,
        })
    }

    fn key(&self) -> String {
        format!("{}-{}-{}", self.kind.slug(), self.contract_id, self.number)
    }

    /// `None` while it waits for approval; otherwise why it no longer does (409). `Err`: no such
    /// item (404).
    fn stale(&self, l: &Loaded) -> Result<Option<String>, ()> {
        let label = self.kind.label(self.number);
        let contract = l.contrato.number();
        match self.kind {
            InboxKind::OtroSi => {
                let o = l
                    .contrato
                    .find_otro_si(OtroSiNumber(self.number))
                    .ok_or(())?;
                Ok((o.status != OtroSiStatus::EnRevision).then(|| {
                    let by = o
                        .decided_by
                        .as_ref()
                        .map(|b| format!(" por {b}"))
                        .unwrap_or_default();
                    format!(
                        "El Otro Sí {label} del contrato {contract} ya no espera aprobación: {}{by}.",
                        o.status.phrase()
                    )
                }))
            }
            InboxKind::Renovacion => {
                let r = l
                    .contrato
                    .find_renewal(RenewalNumber(self.number))
                    .ok_or(())?;
                Ok((r.status != RenewalStatus::Propuesta).then(|| {
                    format!(
                        "La renovación {label} del contrato {contract} ya no espera aprobación: {}.",
                        r.status.phrase()
                    )
                }))
            }
        }
    }
}

/// The item and its contract, or the response that says why not (404, or 409 when decided).
async fn target(app: &App, ctx: &Ctx, values: &FormValues) -> Result<(Target, Loaded), PageError> {
    let t = Target::read(values).or_404(&ctx.page)?;
    let l = load(app, &ctx.page, &t.contract_id).await?;
    match t.stale(&l) {
        Err(()) => Err(PageError::not_found(&ctx.page)),
        Ok(Some(message)) => Err(render(app, ctx, StatusCode::CONFLICT, Some(message), None)
            .await?
            .into()),
        Ok(None) => Ok((t, l)),
    }
}

/// Sends the command; a refusal or a lost race shows the inbox again with 409 (the item changed).
async fn send(
    app: &App,
    ctx: &Ctx,
    user: &CurrentUser,
    id: &str,
    command: ContratoCommand,
    message: String,
) -> PageResult {
    let result = app.commands.contrato(id, command, user.metadata()).await;
    match outcome(app, &ctx.page, result).await {
        Outcome::Done => Ok(done(&ctx.session, Flash::exito(message), HERE).await),
        Outcome::Refused(m) => render(app, ctx, StatusCode::CONFLICT, Some(m), None).await,
        Outcome::Conflict => {
            render(app, ctx, StatusCode::CONFLICT, Some(CONFLICT.into()), None).await
        }
        Outcome::Failed(r) => Err(r.into()),
    }
}

async fn approve(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let values = FormValues::from_pairs(pairs.clone());
    let (t, l) = target(&app, &ctx, &values).await?;
    let place = ApprovalPlace {
        action: "/bandeja/aprobar",
        hidden: &pairs,
        back: HERE,
        confirmed: values.checked(CONFIRM_FIELD),
    };
    let id = t.contract_id.as_str();
    let prepared = match t.kind {
        InboxKind::OtroSi => {
            let o = l
                .contrato
                .find_otro_si(OtroSiNumber(t.number))
                .or_404(&ctx.page)?;
            otrosi::prepare_approval(&app, &ctx, &user, id, &l, o, &place).await?
        }
        InboxKind::Renovacion => {
            let r = l
                .contrato
                .find_renewal(RenewalNumber(t.number))
                .or_404(&ctx.page)?;
            renovaciones::prepare_approval(&app, &ctx, &user, id, &l, r, &place).await?
        }
    };
    match prepared {
        Approval::Respond(r) => Ok(r),
        Approval::Send(command, message) => send(&app, &ctx, &user, id, *command, message).await,
    }
}

/// Rejecting an Otro Sí or annulling a proposed renewal, always with a reason (422 without one).
async fn reject(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let values = FormValues::from_pairs(pairs);
    let (t, l) = target(&app, &ctx, &values).await?;
    let reason = values.get("motivo").trim().to_string();
    if reason.is_empty() {
        let message = "Indique el motivo del rechazo.".to_string();
        return render(
            &app,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            Some(t.key()),
        )
        .await;
    }
    let label = t.kind.label(t.number);
    let contract = l.contrato.number().to_string();
    let (command, message) = match t.kind {
        InboxKind::OtroSi => (
            ContratoCommand::RejectOtroSi {
                actor: user.actor(),
                number: OtroSiNumber(t.number),
                reason,
            },
            format!("Otro Sí {label} del contrato {contract} rechazado."),
        ),
        InboxKind::Renovacion => (
            ContratoCommand::AnnulRenewal {
                actor: user.actor(),
                number: RenewalNumber(t.number),
                reason,
            },
            format!("Renovación {label} del contrato {contract} rechazada (anulada)."),
        ),
    };
    send(&app, &ctx, &user, &t.contract_id, command, message).await
}

/// How many items wait for approval, as the request saw it (set by [`count`]).
#[derive(Clone, Copy, Debug)]
pub struct InboxCount(pub u64);

/// Puts the inbox's count on an administrador's page requests, for the navigation. A failed count
/// only loses the number (logged), never the page.
pub async fn count(
    State(app): State<App>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let admin = request
        .extensions()
        .get::<super::security::AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .is_some_and(|u| u.role == arriendo_events::Role::Administrador);
    if admin && request.method() == axum::http::Method::GET {
        let counted = async {
            let stamp = queries::stamped::stamp(&app.db).await?;
            app.dashboard
                .inbox_count
                .get_or_read((), &stamp, || queries::bandeja::pending_count(&app.db))
                .await
        };
        match counted.await {
            Ok(n) => {
                request.extensions_mut().insert(InboxCount(*n));
            }
            Err(err) => tracing::error!(error = %err, "counting the approval inbox failed"),
        }
    }
    next.run(request).await
}

/// The count [`count`] left on a request (0 when it did not run).
pub fn pending_on(extensions: &axum::http::Extensions) -> u64 {
    extensions.get::<InboxCount>().map_or(0, |n| n.0)
}
