//! The póliza detail page and its actions: renew, cancel and add a seguimiento.

use arriendo_events::{Contrato, ContratoCommand, DateRange};
use arriendo_projections::polizas::poliza_view;
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::layout::Flash;
use arriendo_views::pages::polizas::{self as views, PolizaActions, PolizaDetail};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::load;
use crate::app::{App, today};
use crate::http::CurrentUser;
use crate::http::page_error::PageResult;
use crate::http::respuestas::existing_contract;
use crate::http::respuestas::{
    CONFLICT, Outcome, can_write, done, not_found, outcome, parse_date, required, unprocessable,
};
use crate::http::security::{Ctx, RequireWrite};

fn render_detail(
    ctx: &Ctx,
    contract_id: &str,
    c: &Contrato,
    id: Uuid,
    actions: &PolizaActions,
) -> Response {
    let Some(p) = c.find_poliza(id) else {
        return not_found(&ctx.page);
    };
    let view = poliza_view(c, p, today());
    let detail = PolizaDetail {
        contract_id,
        contrato: c,
        poliza: p,
        view: &view,
        actions,
        can_write: can_write(ctx),
    };
    views::detail_page(&ctx.page, &detail).into_response()
}

fn default_actions() -> PolizaActions {
    let today = format::date_input(today());
    PolizaActions {
        cancelar_fecha: today.clone(),
        seguimiento_fecha: today,
        ..PolizaActions::default()
    }
}

pub(super) async fn detail(
    State(app): State<App>,
    ctx: Ctx,
    Path(pid): Path<String>,
) -> PageResult {
    let (contract_id, c, id) = load(&app, &ctx, &pid).await?;
    Ok(render_detail(
        &ctx,
        &contract_id,
        &c,
        id,
        &default_actions(),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionFields {
    renovar_desde: String,
    renovar_hasta: String,
    cancelar_fecha: String,
    cancelar_motivo: String,
    seguimiento_fecha: String,
    seguimiento_nota: String,
    seguimiento_revisar: String,
}

impl ActionFields {
    fn actions(&self, errors: FormErrors) -> PolizaActions {
        let mut a = default_actions();
        for (target, value) in [
            (&mut a.renovar_desde, &self.renovar_desde),
            (&mut a.renovar_hasta, &self.renovar_hasta),
            (&mut a.cancelar_fecha, &self.cancelar_fecha),
            (&mut a.cancelar_motivo, &self.cancelar_motivo),
            (&mut a.seguimiento_fecha, &self.seguimiento_fecha),
            (&mut a.seguimiento_nota, &self.seguimiento_nota),
            (&mut a.seguimiento_revisar, &self.seguimiento_revisar),
        ] {
            if !value.is_empty() {
                value.clone_into(target);
            }
        }
        a.errors = errors;
        a
    }
}

/// Parses one of the small forms into a command, or the errors beside its fields.
type Build = fn(&ActionFields, &CurrentUser, Uuid) -> Result<(ContratoCommand, String), FormErrors>;

fn build_renew(
    f: &ActionFields,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(ContratoCommand, String), FormErrors> {
    let mut e = FormErrors::new();
    let from = required(
        &mut e,
        "renovar_desde",
        "la fecha de inicio",
        &f.renovar_desde,
        parse_date,
    );
    let to = required(
        &mut e,
        "renovar_hasta",
        "la fecha final",
        &f.renovar_hasta,
        parse_date,
    );
    let (Some(from), Some(to)) = (from, to) else {
        return Err(e);
    };
    match DateRange::new(from, to) {
        Ok(validity) => Ok((
            ContratoCommand::RenewPoliza {
                actor: user.actor(),
                id,
                validity,
            },
            format!("Póliza renovada hasta el {}.", format::date(to)),
        )),
        Err(err) => {
            e.add(
                "renovar_hasta",
                crate::http::respuestas::sentence(&err.to_string()),
            );
            Err(e)
        }
    }
}

fn build_cancel(
    f: &ActionFields,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(ContratoCommand, String), FormErrors> {
    let mut e = FormErrors::new();
    let date = required(
        &mut e,
        "cancelar_fecha",
        "la fecha de cancelación",
        &f.cancelar_fecha,
        parse_date,
    );
    if f.cancelar_motivo.trim().is_empty() {
        e.add("cancelar_motivo", "Indique el motivo de la cancelación.");
    }
    match date {
        Some(date) if e.is_empty() => Ok((
            ContratoCommand::CancelPoliza {
                actor: user.actor(),
                id,
                date,
                reason: f.cancelar_motivo.trim().to_string(),
            },
            "Póliza cancelada.".to_string(),
        )),
        _ => Err(e),
    }
}

fn build_seguimiento(
    f: &ActionFields,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(ContratoCommand, String), FormErrors> {
    let mut e = FormErrors::new();
    let date = required(
        &mut e,
        "seguimiento_fecha",
        "la fecha",
        &f.seguimiento_fecha,
        parse_date,
    );
    if f.seguimiento_nota.trim().is_empty() {
        e.add("seguimiento_nota", "Escriba la nota de seguimiento.");
    }
    let follow_up = match f.seguimiento_revisar.trim() {
        "" => None,
        typed => match parse_date(typed) {
            Ok(day) => Some(day),
            Err(err) => {
                e.add("seguimiento_revisar", err.to_string());
                None
            }
        },
    };
    match date {
        Some(date) if e.is_empty() => Ok((
            ContratoCommand::AddPolizaSeguimiento {
                actor: user.actor(),
                id,
                date,
                note: f.seguimiento_nota.trim().to_string(),
                follow_up,
            },
            "Seguimiento agregado.".to_string(),
        )),
        _ => Err(e),
    }
}

async fn act(
    app: App,
    user: CurrentUser,
    ctx: Ctx,
    pid: String,
    fields: ActionFields,
    build: Build,
    field: &str,
) -> PageResult {
    let (contract_id, c, id) = load(&app, &ctx, &pid).await?;
    let (command, message) = match build(&fields, &user, id) {
        Ok(built) => built,
        Err(errors) => {
            return Ok(unprocessable(render_detail(
                &ctx,
                &contract_id,
                &c,
                id,
                &fields.actions(errors),
            )));
        }
    };
    let result = app
        .commands
        .contrato(&contract_id, command, user.metadata())
        .await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(message),
                &format!("/polizas/{pid}"),
            )
            .await
        }
        Outcome::Refused(text) => {
            let mut errors = FormErrors::new();
            errors.add(field, text);
            unprocessable(render_detail(
                &ctx,
                &contract_id,
                &c,
                id,
                &fields.actions(errors),
            ))
        }
        Outcome::Conflict => {
            let current = existing_contract(&app, &ctx, &contract_id).await?;
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT);
            unprocessable(render_detail(
                &ctx,
                &contract_id,
                &current,
                id,
                &fields.actions(errors),
            ))
        }
        Outcome::Failed(response) => response,
    })
}

pub(super) async fn renew(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> PageResult {
    act(app, user, ctx, pid, fields, build_renew, "renovar_hasta").await
}

pub(super) async fn cancel(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> PageResult {
    act(app, user, ctx, pid, fields, build_cancel, "cancelar_motivo").await
}

pub(super) async fn add_seguimiento(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> PageResult {
    act(
        app,
        user,
        ctx,
        pid,
        fields,
        build_seguimiento,
        "seguimiento_nota",
    )
    .await
}
