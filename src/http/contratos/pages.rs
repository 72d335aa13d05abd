//! The contract list, the create and edit forms, termination and deletion.

use arriendo_events::{ContratoCommand, ContratoPart};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::confirmacion::{CONFIRM_FIELD, Confirmation, confirmation_page};
use arriendo_views::pages::contrato_form::{Conflict, ContratoFormPage, contrato_form_page};
use arriendo_views::pages::contratos_list::{ContractFilters, ContractList, contracts_page};
use arriendo_views::pages::form_values::FormValues;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use super::form::{contract_form, form_from_terms};
use super::reglas;
use super::{load, load_for_edit, seen_version};
use crate::app::App;
use crate::http::page_error::{OrServerError, PageError, PageResult};
use crate::http::respuestas::{
    Outcome, can_write, conflict, done, invalid, outcome, parse_date, raw_query, sentence,
};
use crate::http::security::{Ctx, RequireAdmin, RequireWrite};
use crate::queries;
use crate::store::{ClaimScope, CommandError};

pub async fn list(State(app): State<App>, ctx: Ctx, uri: Uri) -> PageResult {
    let query = raw_query(&uri);
    let filters = ContractFilters::from_query(&query);
    let (rows, total) = queries::contratos::list(&app.db, &filters)
        .await
        .or_500(&ctx.page)?;
    Ok(contracts_page(
        &ctx.page,
        &ContractList {
            filters,
            rows,
            total,
            can_write: can_write(&ctx),
        },
        &query,
    )
    .into_response())
}

struct FormPage<'a> {
    contract: Option<(&'a str, &'a str)>,
    values: &'a FormValues,
    errors: &'a FormErrors,
    conflict: Option<Conflict>,
}

async fn render_form(app: &App, ctx: &Ctx, f: FormPage<'_>, status_invalid: bool) -> PageResult {
    let options = async {
        Ok::<_, crate::store::StoreError>((
            queries::contratos::tercero_options(&app.db).await?,
            queries::contratos::local_options(&app.db).await?,
            queries::clausulas::type_options(&app.db, f.values.get("tipo")).await?,
        ))
    }
    .await;
    let (terceros, locales, types) = options.or_500(&ctx.page)?;
    let markup = contrato_form_page(
        &ctx.page,
        &ContratoFormPage {
            contract: f.contract,
            values: f.values,
            errors: f.errors,
            terceros: &terceros,
            locales: &locales,
            types: &types,
            conflict: f.conflict,
        },
    );
    Ok(if status_invalid {
        invalid(markup)
    } else {
        markup.into_response()
    })
}

pub async fn new_form(State(app): State<App>, ctx: Ctx) -> PageResult {
    let values = FormValues::new()
        .with("clase", "cliente")
        .with("modalidad", "fijo")
        .with("preaviso_dias", "60")
        .with("terminacion_dias", "60");
    let f = FormPage {
        contract: None,
        values: &values,
        errors: &FormErrors::new(),
        conflict: None,
    };
    render_form(&app, &ctx, f, false).await
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut values = FormValues::from_pairs(pairs);
    let typed_end = values.get("fecha_fin").to_string();
    let mut errors = FormErrors::new();
    let terms = match validated_terms(&app, &ctx, &mut values, &mut errors, "").await {
        Ok(Some(terms)) => terms,
        Ok(None) => return form_again(&app, &ctx, None, &values, &errors).await,
        Err(stopped) => return Err(stopped),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let number = terms.number.clone();
    let command = ContratoCommand::CreateContract {
        actor: user.actor(),
        terms,
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    if let Err(CommandError::Taken(ClaimScope::ContratoNumero)) = result {
        errors.add("numero", number_taken(&number));
        return form_again(&app, &ctx, None, &values, &errors).await;
    }
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(saved_message(
                    format!("Contrato {number} creado."),
                    &values,
                    &typed_end,
                )),
                &format!("/contratos/{id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            errors.add("", message);
            form_again(&app, &ctx, None, &values, &errors).await?
        }
        Outcome::Conflict => {
            errors.add("", crate::http::respuestas::CONFLICT);
            form_again(&app, &ctx, None, &values, &errors).await?
        }
        Outcome::Failed(r) => r,
    })
}

/// The terms the form describes, once every rule holds: the fields parse and agree with each
/// other, the number is not another contract's, the tercero is of the contract's class and the
/// local is free on those days (`own_id` is the contract being edited, empty when creating).
/// All the checks run, so every mistake shows at once. An end computed from start + duration is
/// written back into `values`, so the form shows it. `None` when `errors` got entries.
async fn validated_terms(
    app: &App,
    ctx: &Ctx,
    values: &mut FormValues,
    errors: &mut FormErrors,
    own_id: &str,
) -> Result<Option<arriendo_events::ContractTerms>, PageError> {
    let (terms, pieces) = contract_form(values, errors);
    reglas::against_read_models(app, &pieces, own_id, errors)
        .await
        .or_500(&ctx.page)?;
    if let Some(end) = pieces.computed_end {
        values.set("fecha_fin", arriendo_views::format::date_input(end));
    }
    Ok(terms.filter(|_| errors.is_empty()))
}

fn number_taken(number: &str) -> String {
    format!("Ya existe un contrato con el número {number}.")
}

/// "Contrato CT-1 creado." plus, when the end was computed, the end it got.
fn saved_message(what: String, values: &FormValues, typed_end: &str) -> String {
    if typed_end.trim().is_empty()
        && let Ok(end) = parse_date(values.get("fecha_fin"))
    {
        format!(
            "{what} Fecha de terminación calculada con la duración: {}.",
            arriendo_views::format::date(end)
        )
    } else {
        what
    }
}

/// The form again, with what the user typed and the errors beside their fields.
async fn form_again(
    app: &App,
    ctx: &Ctx,
    contract: Option<(&str, &str)>,
    values: &FormValues,
    errors: &FormErrors,
) -> PageResult {
    let f = FormPage {
        contract,
        values,
        errors,
        conflict: None,
    };
    render_form(app, ctx, f, true).await
}

pub async fn edit_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let loaded = load_for_edit(&app, &ctx.page, &id).await?;
    let Some(terms) = &loaded.contrato.terms else {
        return Ok(crate::http::respuestas::not_found(&ctx.page));
    };
    let values = form_from_terms(terms).with("version", loaded.version_of(ContratoPart::Terms));
    let f = FormPage {
        contract: Some((&id, terms.number.as_str())),
        values: &values,
        errors: &FormErrors::new(),
        conflict: None,
    };
    render_form(&app, &ctx, f, false).await
}

const MISSING_REASON: &str = "Escriba el motivo del cambio: queda en el historial del contrato.";

/// Saves the edit form. The command carries the version of the terms the form showed; when they
/// changed since (or another append won the race) the form comes back, 409, with the user's input
/// and the current terms beside it, and the version now stored so a second save goes through.
pub async fn update(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let mut values = FormValues::from_pairs(pairs);
    let number = loaded.contrato.number().to_string();
    let mut errors = FormErrors::new();
    let typed_end = values.get("fecha_fin").to_string();
    let terms = match validated_terms(&app, &ctx, &mut values, &mut errors, &id).await {
        Ok(Some(terms)) => terms,
        Ok(None) => {
            // Every mistake in one round: the reason too, since the user meant to change something.
            if values.get("motivo").trim().is_empty() {
                errors.add("motivo", MISSING_REASON);
            }
            return form_again(&app, &ctx, Some((&id, &number)), &values, &errors).await;
        }
        Err(stopped) => return Err(stopped),
    };
    let new_number = terms.number.clone();
    let changes_terms = loaded.contrato.terms.as_ref() != Some(&terms);
    if changes_terms && values.get("motivo").trim().is_empty() {
        errors.add("motivo", MISSING_REASON);
        return form_again(&app, &ctx, Some((&id, &number)), &values, &errors).await;
    }
    let command = ContratoCommand::UpdateContractTerms {
        actor: user.actor(),
        terms,
        expected_version: seen_version(&values),
        reason: values.get("motivo").to_string(),
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    if let Err(CommandError::Taken(ClaimScope::ContratoNumero)) = result {
        errors.add("numero", number_taken(&new_number));
        return form_again(&app, &ctx, Some((&id, &number)), &values, &errors).await;
    }
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(saved_message(
                    format!("Contrato {new_number} actualizado."),
                    &values,
                    &typed_end,
                )),
                &format!("/contratos/{id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            errors.add("", message);
            form_again(&app, &ctx, Some((&id, &number)), &values, &errors).await?
        }
        Outcome::Conflict => {
            let fresh = load_for_edit(&app, &ctx.page, &id).await?;
            values.set("version", fresh.version_of(ContratoPart::Terms));
            let f = FormPage {
                contract: Some((&id, &number)),
                values: &values,
                errors: &errors,
                conflict: Some(fresh.conflict()),
            };
            conflict(render_form(&app, &ctx, f, true).await?)
        }
        Outcome::Failed(r) => r,
    })
}

/// Sends a simple command from the contract page and comes back to it with a flash.
pub(crate) async fn act(
    app: &App,
    ctx: &Ctx,
    id: &str,
    command: ContratoCommand,
    metadata: crate::store::Metadata,
    success: String,
    back: &str,
) -> Response {
    match outcome(
        app,
        &ctx.page,
        app.commands.contrato(id, command, metadata).await,
    )
    .await
    {
        Outcome::Done => done(&ctx.session, Flash::exito(success), back).await,
        Outcome::Refused(message) => done(&ctx.session, Flash::error(message), back).await,
        Outcome::Conflict => {
            done(
                &ctx.session,
                Flash::error(crate::http::respuestas::CONFLICT),
                back,
            )
            .await
        }
        Outcome::Failed(r) => r,
    }
}

pub async fn terminate(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let values = FormValues::from_pairs(pairs);
    let back = format!("/contratos/{id}");
    let date = match parse_date(values.get("fecha_terminacion")) {
        Ok(d) => d,
        Err(e) => {
            return Ok(done(&ctx.session, Flash::error(sentence(&e.to_string())), &back).await);
        }
    };
    if values.get("motivo").is_empty() {
        return Ok(done(
            &ctx.session,
            Flash::error("Indique el motivo de la terminación."),
            &back,
        )
        .await);
    }
    if !values.checked(CONFIRM_FIELD) {
        // Ending a contract ends its canon and its alerts: asked on a page, not by a script.
        let number = loaded.contrato.number().to_string();
        let title = format!("Terminar el contrato {number}");
        let body = maud::html! {
            p { "El contrato " strong { (number) } " quedará terminado el " strong { (arriendo_views::format::date(date)) } ": deja de estar vigente desde esa fecha y no se podrá modificar después." }
            p { "Motivo: " (values.get("motivo")) }
        };
        let action = format!("{back}/terminar");
        let hidden = [
            (
                "fecha_terminacion".to_string(),
                values.get("fecha_terminacion").to_string(),
            ),
            ("motivo".to_string(), values.get("motivo").to_string()),
        ];
        return Ok(confirmation_page(
            &ctx.page,
            &Confirmation {
                title: &title,
                body,
                action: &action,
                hidden: &hidden,
                confirm_label: &format!("Sí, terminar {number}"),
                cancel_href: &back,
                style: "btn-danger",
            },
        )
        .into_response());
    }
    let command = ContratoCommand::TerminateContract {
        actor: user.actor(),
        date,
        reason: values.get("motivo").to_string(),
    };
    Ok(act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        "Contrato terminado.".into(),
        &back,
    )
    .await)
}

/// Deletes a contract (administrador only): the stream stays, the contract leaves the lists.
pub async fn delete(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let values = FormValues::from_pairs(pairs);
    let back = format!("/contratos/{id}");
    if values.get("motivo_eliminacion").is_empty() {
        return Ok(done(
            &ctx.session,
            Flash::error("Indique el motivo de la eliminación."),
            &back,
        )
        .await);
    }
    let number = loaded.contrato.number().to_string();
    if !values.checked(CONFIRM_FIELD) {
        let title = format!("Eliminar el contrato {number}");
        let body = maud::html! {
            p { "El contrato " strong { (number) } " saldrá de las listas, del panel y de las alertas. Su historial se conserva y sigue visible en su página." }
            p { "Motivo: " (values.get("motivo_eliminacion")) }
        };
        let action = format!("{back}/eliminar");
        let hidden = [(
            "motivo_eliminacion".to_string(),
            values.get("motivo_eliminacion").to_string(),
        )];
        return Ok(confirmation_page(
            &ctx.page,
            &Confirmation {
                title: &title,
                body,
                action: &action,
                hidden: &hidden,
                confirm_label: &format!("Sí, eliminar {number}"),
                cancel_href: &back,
                style: "btn-danger",
            },
        )
        .into_response());
    }
    let command = ContratoCommand::DeleteContract {
        actor: user.actor(),
        reason: values.get("motivo_eliminacion").to_string(),
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(format!("Contrato {number} eliminado.")),
                "/contratos",
            )
            .await
        }
        Outcome::Refused(message) => done(&ctx.session, Flash::error(message), &back).await,
        Outcome::Conflict => {
            done(
                &ctx.session,
                Flash::error(crate::http::respuestas::CONFLICT),
                &back,
            )
            .await
        }
        Outcome::Failed(r) => r,
    })
}
