//! Otro Sí: draft, edit, submit, approve or reject (administrador), delete the last one.

use arriendo_events::{
    Contrato, ContratoCommand, ContratoPart, OtroSi, OtroSiNumber, OtroSiStatus, format_date,
};
use arriendo_projections::comparison::terms_without;
use arriendo_projections::occupancy::{lease_term, term_with_otro_si};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::confirmacion::CONFIRM_FIELD;
use arriendo_views::pages::contrato_form::Conflict;
use arriendo_views::pages::form_values::FormValues;
use arriendo_views::pages::indices::reliquidacion_table;
use arriendo_views::pages::otrosi::{
    OtroSiDetail, OtroSiFormPage, changes_table, otrosi_form_page, otrosi_page,
};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::approval::{Approval, ApprovalPlace, confirm};
use super::form::{OtroSiInput, form_from_otrosi, otrosi_from_form};
use super::pages::act;
use super::reglas::{add_once, double_leasing};
use super::{Loaded, load, load_for_edit, seen_version};
use crate::app::{App, today};
use crate::http::page_error::{OrServerError, PageError, PageResult};
use crate::http::respuestas::{
    CONFLICT, Outcome, can_write, conflict, done, invalid, outcome, parse_date,
};
use crate::http::security::{Ctx, RequireAdmin, RequireWrite};

fn number(n: &str) -> Option<OtroSiNumber> {
    n.parse::<OtroSiNumber>().ok()
}

/// How the form is shown: fresh, refused, or after a conflict (with the current state).
enum Show {
    Fresh,
    Invalid,
    Conflict(Conflict),
}

fn render(
    ctx: &Ctx,
    id: &str,
    l: &Loaded,
    n: Option<u32>,
    values: &FormValues,
    errors: &FormErrors,
    show: Show,
) -> Response {
    let (conflict, is_invalid) = match show {
        Show::Fresh => (None, false),
        Show::Invalid => (None, true),
        Show::Conflict(c) => (Some(c), true),
    };
    let saved = n.and_then(|n| l.contrato.find_otro_si(OtroSiNumber(n)));
    let before = saved.and_then(|o| terms_without(&l.contrato, Some(o.number), o.effective_from));
    let markup = otrosi_form_page(
        &ctx.page,
        &OtroSiFormPage {
            contract_id: id,
            contract_number: l.contrato.number(),
            number: n,
            values,
            errors,
            vigente: &l.vigente,
            tercero_name: &l.tercero_name,
            local_name: l.local_name.as_deref(),
            saved: saved.map(|o| &o.changes),
            before: before.as_ref().unwrap_or(&l.vigente),
            conflict,
        },
    );
    if is_invalid {
        invalid(markup)
    } else {
        markup.into_response()
    }
}

pub async fn new_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
    // A new draft is an append (it takes the next number): it carries no version.
    let values = FormValues::new().with(
        "vigencia_desde",
        arriendo_views::format::date_input(crate::app::today()),
    );
    Ok(render(
        &ctx,
        &id,
        &l,
        None,
        &values,
        &FormErrors::new(),
        Show::Fresh,
    ))
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    save(app, ctx, user, id, None, pairs).await
}

pub async fn update(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let Some(n) = number(&n) else {
        return Err(PageError::not_found(&ctx.page));
    };
    save(app, ctx, user, id, Some(n), pairs).await
}

async fn save(
    app: App,
    ctx: Ctx,
    user: crate::http::CurrentUser,
    id: String,
    n: Option<OtroSiNumber>,
    pairs: Vec<(String, String)>,
) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
    if n.is_some_and(|n| l.contrato.find_otro_si(n).is_none()) {
        return Err(PageError::not_found(&ctx.page));
    }
    let raw = n.map(|n| n.0);
    let mut values = FormValues::from_pairs(pairs);
    let mut errors = FormErrors::new();
    // The amounts that apply are those of the modality in force on the Otro Sí's start date.
    let from = parse_date(values.get("vigencia_desde")).ok();
    let before = from.and_then(|date| terms_without(&l.contrato, n, date));
    let in_force = before.as_ref().unwrap_or(&l.vigente);
    let input = otrosi_from_form(
        &values,
        &mut errors,
        l.vigente.start_date,
        Some(&in_force.modality.value),
    );
    let Some(input) = input else {
        return Ok(render(&ctx, &id, &l, raw, &values, &errors, Show::Invalid));
    };
    if let Some(message) = moves_into_another_lease(&app, &id, &l.contrato, n, &input)
        .await
        .or_500(&ctx.page)?
    {
        add_once(&mut errors, "fecha_fin", message);
        return Ok(render(&ctx, &id, &l, raw, &values, &errors, Show::Invalid));
    }
    let command = match n {
        None => ContratoCommand::DraftOtroSi {
            actor: user.actor(),
            effective_from: input.effective_from,
            effective_to: input.effective_to,
            changes: input.changes,
            description: input.description,
        },
        Some(number) => ContratoCommand::EditOtroSi {
            actor: user.actor(),
            number,
            effective_from: input.effective_from,
            effective_to: input.effective_to,
            changes: input.changes,
            description: input.description,
            expected_version: seen_version(&values),
        },
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            let number = n.map_or_else(
                || {
                    l.contrato
                        .otro_si
                        .iter()
                        .map(|o| o.number.0)
                        .max()
                        .unwrap_or(0)
                        + 1
                },
                |n| n.0,
            );
            done(
                &ctx.session,
                Flash::exito(format!("Otro Sí OS-{number} guardado como borrador.")),
                &format!("/contratos/{id}/otrosi/{number}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            errors.add("", message);
            render(&ctx, &id, &l, raw, &values, &errors, Show::Invalid)
        }
        Outcome::Conflict => {
            let fresh = load_for_edit(&app, &ctx.page, &id).await?;
            if let Some(n) = n {
                values.set("version", fresh.version_of(ContratoPart::OtroSi(n)));
            }
            errors.add("", CONFLICT);
            conflict(render(
                &ctx,
                &id,
                &fresh,
                raw,
                &values,
                &errors,
                Show::Conflict(fresh.conflict()),
            ))
        }
        Outcome::Failed(r) => r,
    })
}

/// The contract as it would stand with this Otro Sí approved (a draft not saved yet included).
fn with_approved(c: &Contrato, n: Option<OtroSiNumber>, input: &OtroSiInput, by: &str) -> Contrato {
    let mut c = c.clone();
    let number = n.unwrap_or_else(|| c.next_otro_si_number());
    c.otro_si.retain(|o| o.number != number);
    c.otro_si.push(OtroSi {
        number,
        effective_from: input.effective_from,
        effective_to: input.effective_to,
        changes: input.changes.clone(),
        description: input.description.clone(),
        status: OtroSiStatus::Aprobado,
        drafted_by: by.to_string(),
        submitted_by: None,
        decided_by: None,
        rejection_reason: None,
    });
    c.otro_si.sort_by_key(|o| o.number);
    c
}

/// Double leasing by moving the end: the message when the Otro Sí, once approved, would keep the
/// local on days another contract holds it.
async fn moves_into_another_lease(
    app: &App,
    id: &str,
    c: &Contrato,
    n: Option<OtroSiNumber>,
    input: &OtroSiInput,
) -> Result<Option<String>, crate::store::StoreError> {
    let Some(local) = c.terms.as_ref().and_then(|t| t.local_id) else {
        return Ok(None);
    };
    if input.changes.end_date.is_none() {
        return Ok(None);
    }
    let Some(term) = lease_term(&with_approved(c, n, input, "")) else {
        return Ok(None);
    };
    Ok(double_leasing(app, local, term, id)
        .await?
        .map(|c| format!("Con esta fecha de terminación, {c}")))
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
    let Some(o) = number(&n).and_then(|n| l.contrato.find_otro_si(n)) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let last = l.contrato.otro_si.iter().map(|o| o.number).max();
    let before = terms_without(&l.contrato, Some(o.number), o.effective_from);
    Ok(otrosi_page(
        &ctx.page,
        &OtroSiDetail {
            contract_id: &id,
            contract_number: l.contrato.number(),
            otro_si: o,
            vigente: &l.vigente,
            before: before.as_ref().unwrap_or(&l.vigente),
            tercero_name: &l.tercero_name,
            local_name: l.local_name.as_deref(),
            is_last: last == Some(o.number),
            contract_open: l.open(),
            can_write: can_write(&ctx),
            is_admin: ctx.user.as_ref().is_some_and(|u| u.is_admin()),
            errors: &FormErrors::new(),
        },
    )
    .into_response())
}

pub async fn edit_form(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, n)): Path<(String, String)>,
) -> PageResult {
    let l = load_for_edit(&app, &ctx.page, &id).await?;
    let Some(o) = number(&n).and_then(|n| l.contrato.find_otro_si(n)) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let values = form_from_otrosi(o).with("version", l.version_of(ContratoPart::OtroSi(o.number)));
    Ok(render(
        &ctx,
        &id,
        &l,
        Some(o.number.0),
        &values,
        &FormErrors::new(),
        Show::Fresh,
    ))
}

enum Step {
    Submit,
    Reject(String),
    Delete,
}

async fn step(
    app: App,
    ctx: Ctx,
    user: crate::http::CurrentUser,
    id: String,
    n: String,
    step: Step,
) -> PageResult {
    let l = load(&app, &ctx.page, &id).await?;
    let Some(number) = number(&n).filter(|n| l.contrato.find_otro_si(*n).is_some()) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let actor = user.actor();
    let page = format!("/contratos/{id}/otrosi/{}", number.0);
    let (command, message, back) = match step {
        Step::Submit => (
            ContratoCommand::SubmitOtroSi { actor, number },
            format!("{number} enviado a revisión."),
            page,
        ),
        Step::Reject(reason) => {
            if reason.is_empty() {
                return Ok(done(
                    &ctx.session,
                    Flash::error("Indique el motivo del rechazo."),
                    &page,
                )
                .await);
            }
            (
                ContratoCommand::RejectOtroSi {
                    actor,
                    number,
                    reason,
                },
                format!("{number} rechazado."),
                page,
            )
        }
        Step::Delete => (
            ContratoCommand::DeleteOtroSi { actor, number },
            format!("{number} eliminado."),
            format!("/contratos/{id}"),
        ),
    };
    Ok(act(&app, &ctx, &id, command, user.metadata(), message, &back).await)
}

pub async fn submit(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
) -> PageResult {
    step(app, ctx, user, id, n, Step::Submit).await
}

/// "regirá desde el 01/03/2027" for a future start, "rige desde el …" otherwise.
fn takes_effect(from: chrono::NaiveDate) -> String {
    if from > today() {
        format!("regirá desde el {}", format_date(from))
    } else {
        format!("rige desde el {}", format_date(from))
    }
}

/// Approving changes money: without `confirmed`, the page that shows what will change and from
/// when; with it, the command, unless the new end would lease the local twice.
pub(crate) async fn prepare_approval(
    app: &App,
    ctx: &Ctx,
    user: &crate::http::CurrentUser,
    id: &str,
    l: &Loaded,
    o: &OtroSi,
    place: &ApprovalPlace<'_>,
) -> Result<Approval, PageError> {
    if o.changes.end_date.is_some()
        && let (Some(local), Some(term)) = (
            l.contrato.terms.as_ref().and_then(|t| t.local_id),
            term_with_otro_si(&l.contrato, o.number),
        )
        && let Some(c) = double_leasing(app, local, term, id)
            .await
            .or_500(&ctx.page)?
    {
        let message = format!(
            "No se puede aprobar {}: con su fecha de terminación, {c}.",
            o.number
        );
        return Ok(Approval::Respond(
            done(&ctx.session, Flash::error(message), place.back).await,
        ));
    }
    if !place.confirmed {
        let before = terms_without(&l.contrato, Some(o.number), o.effective_from);
        let title = format!("Aprobar {} del contrato {}", o.number, l.contrato.number());
        let reliquidacion = l
            .contrato
            .preview_otro_si_reliquidacion(&user.actor(), o.number);
        let with_label = format!("Con {}", o.number);
        let body = maud::html! {
            p { strong { (o.number) " " (takes_effect(o.effective_from)) "." } " Estos términos cambian:" }
            (changes_table(&o.changes, before.as_ref().unwrap_or(&l.vigente)))
            @if !reliquidacion.is_empty() {
                (reliquidacion_table(&reliquidacion, &o.number.to_string(), &with_label))
            }
        };
        let label = format!("Sí, aprobar {}", o.number);
        return Ok(confirm(ctx, place, &title, body, &label));
    }
    let reliquidated = l
        .contrato
        .preview_otro_si_reliquidacion(&user.actor(), o.number)
        .len();
    let mut message = format!("{} aprobado: {}.", o.number, takes_effect(o.effective_from));
    match reliquidated {
        0 => {}
        1 => message.push_str(" Se registró la reliquidación de 1 mes ya facturado."),
        n => message.push_str(&format!(
            " Se registró la reliquidación de {n} meses ya facturados."
        )),
    }
    let command = ContratoCommand::ApproveOtroSi {
        actor: user.actor(),
        number: o.number,
    };
    Ok(Approval::Send(Box::new(command), message))
}

pub async fn approve(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let values = FormValues::from_pairs(pairs);
    let l = load(&app, &ctx.page, &id).await?;
    let Some(o) = number(&n).and_then(|n| l.contrato.find_otro_si(n)) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let page = format!("/contratos/{id}/otrosi/{}", o.number.0);
    let action = format!("{page}/aprobar");
    let place = ApprovalPlace {
        action: &action,
        hidden: &[],
        back: &page,
        confirmed: values.checked(CONFIRM_FIELD),
    };
    Ok(
        match prepare_approval(&app, &ctx, &user, &id, &l, o, &place).await? {
            Approval::Respond(r) => r,
            Approval::Send(command, message) => {
                let back = format!("/contratos/{id}");
                act(&app, &ctx, &id, *command, user.metadata(), message, &back).await
            }
        },
    )
}

pub async fn reject(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    Path((id, n)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let values = FormValues::from_pairs(pairs);
    let reason = values.get("motivo").to_string();
    step(app, ctx, user, id, n, Step::Reject(reason)).await
}

pub async fn delete(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, n)): Path<(String, String)>,
) -> PageResult {
    step(app, ctx, user, id, n, Step::Delete).await
}
