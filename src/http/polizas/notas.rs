//! `/polizas/{id}/seguimientos/{n}/corregir` and `/retirar`: a póliza's note `n` (from 1, as the
//! page numbers them) corrected or withdrawn, each an event that keeps the original in the history.

use arriendo_events::ContratoCommand;
use arriendo_views::layout::Flash;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::{Path, State};

use super::load;
use crate::app::App;
use crate::http::CurrentUser;
use crate::http::page_error::{PageError, PageResult};
use crate::http::respuestas::{CONFLICT, Outcome, done, outcome};
use crate::http::security::{Ctx, RequireWrite};

pub(super) async fn correct(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path((pid, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    note_action(app, user, ctx, pid, n, pairs, true).await
}

pub(super) async fn retract(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path((pid, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    note_action(app, user, ctx, pid, n, pairs, false).await
}

async fn note_action(
    app: App,
    user: CurrentUser,
    ctx: Ctx,
    pid: String,
    n: String,
    pairs: Vec<(String, String)>,
    correcting: bool,
) -> PageResult {
    let (contract_id, _, id) = load(&app, &ctx, &pid).await?;
    let Some(index) = n.trim().parse::<u32>().ok().and_then(|n| n.checked_sub(1)) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let values = FormValues::from_pairs(pairs);
    let (command, success) = if correcting {
        (
            ContratoCommand::CorrectPolizaSeguimiento {
                actor: user.actor(),
                id,
                index,
                note: values.get(&format!("nota_{n}")).to_string(),
            },
            format!("Nota {n} corregida: el texto anterior queda en el historial."),
        )
    } else {
        (
            ContratoCommand::RetractPolizaSeguimiento {
                actor: user.actor(),
                id,
                index,
                reason: values.get(&format!("motivo_{n}")).to_string(),
            },
            format!("Nota {n} retirada."),
        )
    };
    let back = format!("/polizas/{pid}");
    let result = app
        .commands
        .contrato(&contract_id, command, user.metadata())
        .await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => done(&ctx.session, Flash::exito(success), &back).await,
        Outcome::Refused(text) => done(&ctx.session, Flash::error(text), &back).await,
        Outcome::Conflict => done(&ctx.session, Flash::error(CONFLICT), &back).await,
        Outcome::Failed(r) => r,
    })
}
