//! Seguimientos on the contract page: a note (with an optional date to look again), and its
//! correction or withdrawal, each an event of its own.

use arriendo_events::ContratoCommand;
use arriendo_views::layout::Flash;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::{Path, State};

use super::load;
use super::pages::act;
use crate::app::{App, today};
use crate::http::page_error::{OrNotFound, PageResult};
use crate::http::respuestas::{done, parse_date, sentence};
use crate::http::security::{Ctx, RequireWrite};

pub async fn seguimiento(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    load(&app, &ctx.page, &id).await?;
    let values = FormValues::from_pairs(pairs);
    let back = format!("/contratos/{id}");
    if values.get("nota").is_empty() {
        return Ok(done(
            &ctx.session,
            Flash::error("Escriba la nota de seguimiento."),
            &back,
        )
        .await);
    }
    let follow_up = match values.get("seguimiento_fecha").trim() {
        "" => None,
        typed => match parse_date(typed) {
            Ok(day) => Some(day),
            Err(e) => {
                let message = format!("Volver a revisar el: {}", sentence(&e.to_string()));
                return Ok(done(&ctx.session, Flash::error(message), &back).await);
            }
        },
    };
    let command = ContratoCommand::AddSeguimiento {
        actor: user.actor(),
        date: today(),
        note: values.get("nota").to_string(),
        follow_up,
    };
    Ok(act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        "Nota de seguimiento agregada.".into(),
        &back,
    )
    .await)
}

/// `/contratos/{id}/seguimientos/{n}/corregir` and `/retirar`: note `n` (from 1, as the page numbers
/// them) corrected or withdrawn, each an event of its own; the page comes back with a flash.
pub async fn correct_seguimiento(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    note_action(app, ctx, user, id, n, pairs, NoteAction::Correct).await
}

pub async fn retract_seguimiento(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    note_action(app, ctx, user, id, n, pairs, NoteAction::Retract).await
}

enum NoteAction {
    Correct,
    Retract,
}

async fn note_action(
    app: App,
    ctx: Ctx,
    user: crate::http::CurrentUser,
    id: String,
    n: String,
    pairs: Vec<(String, String)>,
    action: NoteAction,
) -> PageResult {
    load(&app, &ctx.page, &id).await?;
    let index = n
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .or_404(&ctx.page)?;
    let values = FormValues::from_pairs(pairs);
    let back = format!("/contratos/{id}");
    let (command, success) = match action {
        NoteAction::Correct => (
            ContratoCommand::CorrectSeguimiento {
                actor: user.actor(),
                index,
                note: values.get(&format!("nota_{n}")).to_string(),
            },
            format!("Nota {n} corregida: el texto anterior queda en el historial."),
        ),
        NoteAction::Retract => (
            ContratoCommand::RetractSeguimiento {
                actor: user.actor(),
                index,
                reason: values.get(&format!("motivo_{n}")).to_string(),
            },
            format!("Nota {n} retirada."),
        ),
    };
    Ok(act(&app, &ctx, &id, command, user.metadata(), success, &back).await)
}
