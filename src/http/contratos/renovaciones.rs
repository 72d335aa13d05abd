//! Renovaciones automáticas from the contract page: propose, approve (administrador), annul.

use arriendo_events::{ContratoCommand, RenewalNumber};
use arriendo_views::layout::Flash;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::load;
use super::pages::act;
use crate::app::App;
use crate::http::respuestas::{done, not_found};
use crate::http::security::{Ctx, RequireAdmin, RequireWrite};

pub async fn propose(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
) -> Response {
    let l = match load(&app, &ctx.page, &id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let next = l
        .contrato
        .renovaciones
        .iter()
        .map(|r| r.number.0)
        .max()
        .unwrap_or(0)
        + 1;
    let command = ContratoCommand::ProposeRenewal {
        actor: user.actor(),
    };
    let message = format!("Renovación RA-{next} propuesta: un administrador debe aprobarla.");
    act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        message,
        &format!("/contratos/{id}"),
    )
    .await
}

async fn renewal(app: &App, ctx: &Ctx, id: &str, n: &str) -> Result<RenewalNumber, Response> {
    let l = load(app, &ctx.page, id).await?;
    n.parse::<RenewalNumber>()
        .ok()
        .filter(|n| l.contrato.find_renewal(*n).is_some())
        .ok_or_else(|| not_found(&ctx.page))
}

pub async fn approve(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Path((id, n)): Path<(String, String)>,
) -> Response {
    let number = match renewal(&app, &ctx, &id, &n).await {
        Ok(n) => n,
        Err(r) => return r,
    };
    let command = ContratoCommand::ApproveRenewal {
        actor: user.actor(),
        number,
    };
    let message = format!("Renovación {number} aprobada.");
    act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        message,
        &format!("/contratos/{id}"),
    )
    .await
}

pub async fn annul(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let number = match renewal(&app, &ctx, &id, &n).await {
        Ok(n) => n,
        Err(r) => return r,
    };
    let back = format!("/contratos/{id}");
    let values = FormValues::from_pairs(pairs);
    if values.get("motivo").is_empty() {
        return done(
            &ctx.session,
            Flash::error("Indique el motivo de la anulación."),
            &back,
        )
        .await;
    }
    let command = ContratoCommand::AnnulRenewal {
        actor: user.actor(),
        number,
        reason: values.get("motivo").to_string(),
    };
    let message = format!("Renovación {number} anulada.");
    act(&app, &ctx, &id, command, user.metadata(), message, &back).await
}
