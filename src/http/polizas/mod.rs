//! Pólizas: the list of every policy, register and edit forms (policies live in the contract's
//! stream), the detail page with status and compliance, and its actions: renew, cancel and add a
//! seguimiento.

mod acciones;
mod campos;
mod notas;

use acciones::{add_seguimiento, cancel, detail, renew};
use campos::PolizaFields;

use arriendo_events::{Contrato, ContratoCommand, ContratoPart, OtroSiStatus, RenewalStatus};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::poliza_form::{self as form_views, PolizaForm, PolizaFormContext};
use arriendo_views::pages::polizas::{self as views, PolizaFilters, PolizaList};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::IntoResponse;
use serde::Deserialize;
use uuid::Uuid;

use super::CurrentUser;
use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{
    CONFLICT, Outcome, can_write, conflict, done, existing_contract, invalid, outcome, page_number,
    raw_query,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::{App, today};
use crate::queries;
use crate::queries::filters::PER_PAGE;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/polizas", Access::Authenticated, list),
        Route::get("/contratos/{id}/polizas/nueva", Access::Write, new_form),
        Route::post("/contratos/{id}/polizas/nueva", Access::Write, register),
        Route::get("/polizas/{id}", Access::Authenticated, detail),
        Route::get("/polizas/{id}/editar", Access::Write, edit_form),
        Route::post("/polizas/{id}", Access::Write, update),
        Route::post("/polizas/{id}/renovar", Access::Write, renew),
        Route::post("/polizas/{id}/cancelar", Access::Write, cancel),
        Route::post("/polizas/{id}/seguimientos", Access::Write, add_seguimiento),
        Route::post(
            "/polizas/{id}/seguimientos/{n}/corregir",
            Access::Write,
            notas::correct,
        ),
        Route::post(
            "/polizas/{id}/seguimientos/{n}/retirar",
            Access::Write,
            notas::retract,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------------
// List

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    estado: String,
    cumplimiento: String,
    contrato: String,
    tipo: String,
    vence: String,
    clase: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let page = page_number(query.pagina);
    let filters = PolizaFilters {
        q: query.q.trim().chars().take(100).collect(),
        estado: query.estado,
        cumplimiento: query.cumplimiento,
        contrato: query.contrato,
        tipo: query.tipo,
        vence: query.vence,
        clase: query.clase,
    };
    let contract_number = if filters.contrato.is_empty() {
        None
    } else {
        queries::catalogos::contract_number(&app.db, &filters.contrato)
            .await
            .or_500(&ctx.page)?
    };
    let (rows, total) = queries::polizas::list(&app.db, &filters, page)
        .await
        .or_500(&ctx.page)?;
    let list = PolizaList {
        rows,
        filters,
        contract_number,
        paging: Paging {
            page,
            per_page: PER_PAGE,
            total,
            query: raw_query(&uri),
        },
        can_write: can_write(&ctx),
    };
    Ok(views::list_page(&ctx.page, &list).into_response())
}

// ---------------------------------------------------------------------------------------------------
// Loading

/// The contract id, the contract and the póliza id of a póliza.
async fn load(
    app: &App,
    ctx: &Ctx,
    poliza_id: &str,
) -> Result<(String, Contrato, Uuid), PageError> {
    let pid = Uuid::parse_str(poliza_id).ok().or_404(&ctx.page)?;
    let contract_id = queries::polizas::contract_of(&app.db, poliza_id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    let contrato = existing_contract(app, ctx, &contract_id).await?;
    contrato.find_poliza(pid).or_404(&ctx.page)?;
    Ok((contract_id, contrato, pid))
}

/// The contract as its stream says now: an edit form shows the póliza and sends back its version
/// from this one read.
async fn from_stream(app: &App, ctx: &Ctx, contract_id: &str) -> Result<Contrato, PageError> {
    app.commands
        .load_contrato(contract_id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)
}

/// The edit form of a póliza as stored in `c`, with its version.
fn stored_form(c: &Contrato, id: Uuid) -> Option<PolizaForm> {
    let mut form = PolizaForm::from_poliza(c.find_poliza(id)?);
    form.version = c.versions.of(ContratoPart::Poliza(id)).to_string();
    Some(form)
}

fn form_context(contract_id: &str, c: &Contrato, editing: Option<String>) -> PolizaFormContext {
    let mut documents = vec![("contrato".to_string(), "Contrato".to_string())];
    for o in &c.otro_si {
        let status = match o.status {
            OtroSiStatus::Borrador => "borrador",
            OtroSiStatus::EnRevision => "en revisión",
            OtroSiStatus::Aprobado => "aprobado",
            OtroSiStatus::Rechazado => "rechazado",
        };
        documents.push((o.number.to_string(), format!("{} ({status})", o.number)));
    }
    for r in &c.renovaciones {
        let status = match r.status {
            RenewalStatus::Propuesta => "propuesta",
            RenewalStatus::Aprobada => "aprobada",
            RenewalStatus::Anulada => "anulada",
        };
        documents.push((r.number.to_string(), format!("{} ({status})", r.number)));
    }
    PolizaFormContext {
        contract_id: contract_id.to_string(),
        contract_number: c.number().to_string(),
        documents,
        requirements: c.required_policies_in_force(today()).unwrap_or_default(),
        editing,
    }
}

// ---------------------------------------------------------------------------------------------------
// Register and edit

/// `?tipo=rce`: the type preselected (the «Registrar la póliza» link of a missing-póliza alert).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    tipo: String,
}

async fn new_form(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<NewQuery>,
) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let tipo = match query.tipo.as_str() {
        t @ ("cumplimiento" | "rce" | "arrendamiento" | "todo_riesgo" | "otra") => t.to_string(),
        _ => String::new(),
    };
    let form = PolizaForm {
        estado: "aporte_inicial".into(),
        exigida_por: "contrato".into(),
        colchon: "0".into(),
        tipo,
        ..PolizaForm::default()
    };
    Ok(form_views::form_page(&ctx.page, &form, &form_context(&id, &c, None)).into_response())
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(pid): Path<String>) -> PageResult {
    let (contract_id, _, id) = load(&app, &ctx, &pid).await?;
    let c = from_stream(&app, &ctx, &contract_id).await?;
    let Some(form) = stored_form(&c, id) else {
        return Err(PageError::not_found(&ctx.page));
    };
    Ok(
        form_views::form_page(&ctx.page, &form, &form_context(&contract_id, &c, Some(pid)))
            .into_response(),
    )
}

/// Which póliza a save is about: a new one (`editing: false`) or an existing one.
struct Target<'a> {
    contract_id: &'a str,
    contrato: &'a Contrato,
    poliza_id: Uuid,
    editing: bool,
}

/// Sends a register or update command; the form again with the refusal, or the conflict and
/// the current state, keeping what the user typed.
async fn save(
    app: &App,
    ctx: &Ctx,
    user: &CurrentUser,
    target: Target<'_>,
    fields: &PolizaFields,
) -> PageResult {
    let Target {
        contract_id,
        contrato: c,
        poliza_id,
        editing,
    } = target;
    let fc = form_context(contract_id, c, editing.then(|| poliza_id.to_string()));
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => {
            return Ok(invalid(form_views::form_page(
                &ctx.page,
                &fields.form(errors),
                &fc,
            )));
        }
    };
    let number = data.number.clone();
    let command = if editing {
        ContratoCommand::UpdatePoliza {
            actor: user.actor(),
            id: poliza_id,
            poliza: data,
            // Missing or mangled reads as 0, which no stored póliza has: refused as stale.
            expected_version: fields.version.trim().parse().unwrap_or(0),
        }
    } else {
        ContratoCommand::RegisterPoliza {
            actor: user.actor(),
            id: poliza_id,
            poliza: data,
        }
    };
    let result = app
        .commands
        .contrato(contract_id, command, user.metadata())
        .await;
    Ok(match outcome(app, &ctx.page, result).await {
        Outcome::Done => {
            let text = if editing {
                format!("Póliza {number} actualizada.")
            } else {
                format!("Póliza {number} registrada.")
            };
            done(
                &ctx.session,
                Flash::exito(text),
                &format!("/polizas/{poliza_id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            let field = if message.contains("número") {
                "numero"
            } else {
                ""
            };
            errors.add(field, message);
            invalid(form_views::form_page(&ctx.page, &fields.form(errors), &fc))
        }
        Outcome::Conflict => {
            let now = from_stream(app, ctx, contract_id).await?;
            let fc = form_context(contract_id, &now, fc.editing.clone());
            let mut errors = FormErrors::new();
            let form = if editing {
                errors.add(
                    "",
                    "La póliza cambió mientras la editaba. Revise el estado actual y vuelva a enviar: \
                     sus datos se conservaron.",
                );
                let mut form = fields.form(errors);
                if let Some(stored) = stored_form(&now, poliza_id) {
                    form.version = stored.version.clone();
                    form.current = Some(Box::new(stored));
                }
                form
            } else {
                errors.add("", CONFLICT);
                fields.form(errors)
            };
            conflict(invalid(form_views::form_page(&ctx.page, &form, &fc)))
        }
        Outcome::Failed(response) => response,
    })
}

async fn register(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<PolizaFields>,
) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let target = Target {
        contract_id: &id,
        contrato: &c,
        poliza_id: Uuid::now_v7(),
        editing: false,
    };
    save(&app, &ctx, &user, target, &fields).await
}

async fn update(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<PolizaFields>,
) -> PageResult {
    let (contract_id, c, id) = load(&app, &ctx, &pid).await?;
    let target = Target {
        contract_id: &contract_id,
        contrato: &c,
        poliza_id: id,
        editing: true,
    };
    save(&app, &ctx, &user, target, &fields).await
}
