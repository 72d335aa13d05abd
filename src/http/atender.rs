//! `/alertas/atender`: postpone an alert until a date, or mark it handled, with a note. Both are
//! events of the contract (`AlertPostponed`, `AlertAcknowledged`); the panel leaves the alert out
//! while the decision holds.

use arriendo_events::ContratoCommand;
use arriendo_projections::AlertKind;
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::atender::{HandlePage, handle_page};
use arriendo_views::pages::dashboard::AlertRow;
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{CONFLICT, Outcome, done, outcome, parse_date, raw_query};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::{App, today};
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/alertas/atender", Access::Write, show),
        Route::post("/alertas/atender", Access::Write, decide),
    ]
}

/// The alert the form names (`contrato`, `tipo`, `asunto`), as the read model has it today.
async fn find(app: &App, ctx: &Ctx, values: &FormValues) -> Result<AlertRow, PageError> {
    let id = values.get("contrato").trim();
    let kind = AlertKind::from_slug(values.get("tipo").trim()).or_404(&ctx.page)?;
    let subject = values.get("asunto").trim();
    queries::contratos::contract_alerts(&app.db, id)
        .await
        .or_500(&ctx.page)?
        .into_iter()
        .find(|r| r.kind == kind && r.subject == subject)
        .or_404(&ctx.page)
}

fn render(ctx: &Ctx, alert: &AlertRow, values: &FormValues, errors: &FormErrors) -> Response {
    handle_page(
        &ctx.page,
        &HandlePage {
            alert,
            values,
            errors,
        },
    )
    .into_response()
}

async fn show(State(app): State<App>, ctx: Ctx, uri: Uri) -> PageResult {
    let values = FormValues::from_pairs(
        url::form_urlencoded::parse(raw_query(&uri).as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    );
    let alert = find(&app, &ctx, &values).await?;
    Ok(render(&ctx, &alert, &FormValues::new(), &FormErrors::new()))
}

async fn decide(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let values = FormValues::from_pairs(pairs);
    let alert = find(&app, &ctx, &values).await?;
    let refuse = |errors: &FormErrors, status: StatusCode| {
        let mut r = render(&ctx, &alert, &values, errors);
        *r.status_mut() = status;
        r
    };
    let mut errors = FormErrors::new();
    let note = values.get("nota").trim().to_string();
    if note.is_empty() {
        errors.add(
            "nota",
            "Escriba una nota: qué se hizo o por qué se pospone.",
        );
    }
    let postpone = match values.get("accion") {
        "posponer" => true,
        "atendida" => false,
        _ => {
            errors.add("", "Elija «Posponer» o «Marcar como atendida».");
            false
        }
    };
    let until = if postpone {
        match parse_date(values.get("hasta")) {
            Ok(day) if day > today() => Some(day),
            Ok(_) => {
                errors.add("hasta", "La fecha debe ser posterior a hoy.");
                None
            }
            Err(_) => {
                errors.add("hasta", "Indique hasta qué fecha se pospone.");
                None
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        return Ok(refuse(&errors, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let Some(id) = alert.contract_id.clone() else {
        return Err(PageError::not_found(&ctx.page));
    };
    let kind = alert.kind.slug().to_string();
    let subject = alert.subject.clone();
    let (command, message) = match until {
        Some(until) => (
            ContratoCommand::PostponeAlert {
                actor: user.actor(),
                kind,
                subject,
                today: today(),
                until,
                note,
            },
            format!(
                "Alerta «{}» del contrato {} pospuesta hasta el {}.",
                alert.kind.label(),
                alert.contract_number,
                arriendo_events::format_date(until)
            ),
        ),
        None => (
            ContratoCommand::AcknowledgeAlert {
                actor: user.actor(),
                kind,
                subject,
                date: alert.trigger_date,
                note,
            },
            format!(
                "Alerta «{}» del contrato {} marcada como atendida.",
                alert.kind.label(),
                alert.contract_number
            ),
        ),
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => done(&ctx.session, Flash::exito(message), "/").await,
        Outcome::Refused(m) => {
            errors.add("", m);
            refuse(&errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Outcome::Conflict => {
            errors.add("", CONFLICT);
            refuse(&errors, StatusCode::CONFLICT)
        }
        Outcome::Failed(r) => r,
    })
}
