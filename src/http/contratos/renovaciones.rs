//! Renovaciones automáticas from the contract page: propose, approve (administrador), annul.

use arriendo_events::{ContratoCommand, Renewal, RenewalNumber, format_date};
use arriendo_projections::occupancy::term_with_renewal;
use arriendo_views::layout::Flash;
use arriendo_views::pages::confirmacion::CONFIRM_FIELD;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::{Path, State};

use super::approval::{Approval, ApprovalPlace, confirm};
use super::pages::act;
use super::reglas::double_leasing;
use super::{Loaded, load};
use crate::app::App;
use crate::http::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use crate::http::respuestas::done;
use crate::http::security::{Ctx, RequireAdmin, RequireWrite};

pub async fn propose(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
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
    Ok(act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        message,
        &format!("/contratos/{id}"),
    )
    .await)
}

async fn renewal(app: &App, ctx: &Ctx, id: &str, n: &str) -> Result<RenewalNumber, PageError> {
    let l = load(app, &ctx.page, id).await?;
    n.parse::<RenewalNumber>()
        .ok()
        .filter(|n| l.contrato.find_renewal(*n).is_some())
        .or_404(&ctx.page)
}

/// Approving extends the term: without `confirmed`, the page that says to when; with it, the
/// command, unless the extension would lease the local twice.
pub(crate) async fn prepare_approval(
    app: &App,
    ctx: &Ctx,
    user: &crate::http::CurrentUser,
    id: &str,
    l: &Loaded,
    r: &Renewal,
    place: &ApprovalPlace<'_>,
) -> Result<Approval, PageError> {
    if let (Some(local), Some(term)) = (
        l.contrato.terms.as_ref().and_then(|t| t.local_id),
        term_with_renewal(&l.contrato, r.number),
    ) && let Some(c) = double_leasing(app, local, term, id)
        .await
        .or_500(&ctx.page)?
    {
        let message = format!("No se puede aprobar {}: con la prórroga, {c}.", r.number);
        return Ok(Approval::Respond(
            done(&ctx.session, Flash::error(message), place.back).await,
        ));
    }
    if !place.confirmed {
        let title = format!("Aprobar {} del contrato {}", r.number, l.contrato.number());
        let body = maud::html! {
            p {
                "Hoy el contrato termina el " strong { (format_date(r.previous_end)) } ". Con "
                (r.number) " se prorroga desde el " (format_date(r.effective_from()))
                " hasta el " strong { (format_date(r.new_end)) } "."
            }
        };
        let label = format!("Sí, aprobar {}", r.number);
        return Ok(confirm(ctx, place, &title, body, &label));
    }
    let command = ContratoCommand::ApproveRenewal {
        actor: user.actor(),
        number: r.number,
    };
    let message = format!(
        "Renovación {} aprobada: el contrato sigue hasta el {}.",
        r.number,
        format_date(r.new_end)
    );
    Ok(Approval::Send(Box::new(command), message))
}

pub async fn approve(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
    let Some(r) = n
        .parse::<RenewalNumber>()
        .ok()
        .and_then(|n| l.contrato.find_renewal(n))
    else {
        return Err(PageError::not_found(&ctx.page));
    };
    let back = format!("/contratos/{id}");
    let action = format!("/contratos/{id}/renovaciones/{}/aprobar", r.number.0);
    let place = ApprovalPlace {
        action: &action,
        hidden: &[],
        back: &back,
        confirmed: FormValues::from_pairs(pairs).checked(CONFIRM_FIELD),
    };
    Ok(
        match prepare_approval(&app, &ctx, &user, &id, &l, r, &place).await? {
            Approval::Respond(response) => response,
            Approval::Send(command, message) => {
                act(&app, &ctx, &id, *command, user.metadata(), message, &back).await
            }
        },
    )
}

pub async fn annul(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let number = renewal(&app, &ctx, &id, &n).await?;
    let back = format!("/contratos/{id}");
    let values = FormValues::from_pairs(pairs);
    if values.get("motivo").is_empty() {
        return Ok(done(
            &ctx.session,
            Flash::error("Indique el motivo de la anulación."),
            &back,
        )
        .await);
    }
    let command = ContratoCommand::AnnulRenewal {
        actor: user.actor(),
        number,
        reason: values.get("motivo").to_string(),
    };
    let message = format!("Renovación {number} anulada.");
    Ok(act(&app, &ctx, &id, command, user.metadata(), message, &back).await)
}
