//! Pólizas: the list of every policy, register and edit forms (policies live in the contract's
//! stream), the detail page with status and compliance, and its actions: renew, cancel and add a
//! seguimiento.

use std::str::FromStr;

use arriendo_events::{
    Contrato, ContratoCommand, CumplimientoCover, DateRange, Money, OtroSiNumber, OtroSiStatus,
    PolizaData, RceSublimits, RenewalNumber, RenewalStatus, RequiredBy,
};
use arriendo_projections::polizas::poliza_view;
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::layout::Flash;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::poliza_form::{
    self as form_views, COVER_FIELDS, PolizaForm, PolizaFormContext, RCE_FIELDS, kind_from_slug,
    state_from_slug,
};
use arriendo_views::pages::polizas::{
    self as views, PolizaActions, PolizaDetail, PolizaFilters, PolizaList,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::CurrentUser;
use super::respuestas::{
    CONFLICT, Outcome, can_write, done, invalid, not_found, optional, outcome, parse_date,
    raw_query, required, server_error, unprocessable,
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
    ]
}

// ---------------------------------------------------------------------------------------------------
// List

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    estado: String,
    cumplimiento: String,
    contrato: String,
    tipo: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> Response {
    let page = query
        .pagina
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let filters = PolizaFilters {
        estado: query.estado,
        cumplimiento: query.cumplimiento,
        contrato: query.contrato,
        tipo: query.tipo,
    };
    let contract_number = if filters.contrato.is_empty() {
        None
    } else {
        match queries::catalogos::contract_number(&app.db, &filters.contrato).await {
            Ok(n) => n,
            Err(err) => return server_error(&ctx.page, err),
        }
    };
    let (rows, total) = match queries::polizas::list(&app.db, &filters, page).await {
        Ok(found) => found,
        Err(err) => return server_error(&ctx.page, err),
    };
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
    views::list_page(&ctx.page, &list).into_response()
}

// ---------------------------------------------------------------------------------------------------
// Loading

async fn contract(app: &App, ctx: &Ctx, id: &str) -> Result<Contrato, Response> {
    match queries::contract_state(&app.db, id).await {
        Ok(Some(c)) if c.terms.is_some() => Ok(c),
        Ok(_) => Err(not_found(&ctx.page)),
        Err(err) => Err(server_error(&ctx.page, err)),
    }
}

/// The contract id, the contract and the póliza id of a póliza.
async fn load(app: &App, ctx: &Ctx, poliza_id: &str) -> Result<(String, Contrato, Uuid), Response> {
    let Ok(pid) = Uuid::parse_str(poliza_id) else {
        return Err(not_found(&ctx.page));
    };
    let contract_id = match queries::polizas::contract_of(&app.db, poliza_id).await {
        Ok(Some(id)) => id,
        Ok(None) => return Err(not_found(&ctx.page)),
        Err(err) => return Err(server_error(&ctx.page, err)),
    };
    let contrato = contract(app, ctx, &contract_id).await?;
    if contrato.find_poliza(pid).is_none() {
        return Err(not_found(&ctx.page));
    }
    Ok((contract_id, contrato, pid))
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PolizaFields {
    tipo: String,
    tipo_otra: String,
    numero: String,
    aseguradora: String,
    valor_asegurado: String,
    rce_predios: String,
    rce_patronal: String,
    rce_medicos: String,
    rce_vehiculos: String,
    rce_contratistas: String,
    rce_extrapatrimoniales: String,
    rce_lucro: String,
    cum_canon: String,
    cum_servicios: String,
    cum_iva: String,
    cum_administracion: String,
    vigencia_desde: String,
    vigencia_hasta: String,
    estado: String,
    exigida_por: String,
    colchon: String,
}

impl PolizaFields {
    fn rce(&self) -> [String; 7] {
        [
            self.rce_predios.clone(),
            self.rce_patronal.clone(),
            self.rce_medicos.clone(),
            self.rce_vehiculos.clone(),
            self.rce_contratistas.clone(),
            self.rce_extrapatrimoniales.clone(),
            self.rce_lucro.clone(),
        ]
    }

    fn cover(&self) -> [String; 4] {
        [
            self.cum_canon.clone(),
            self.cum_servicios.clone(),
            self.cum_iva.clone(),
            self.cum_administracion.clone(),
        ]
    }

    fn form(&self, errors: FormErrors) -> PolizaForm {
        PolizaForm {
            tipo: self.tipo.clone(),
            tipo_otra: self.tipo_otra.clone(),
            numero: self.numero.clone(),
            aseguradora: self.aseguradora.clone(),
            valor_asegurado: self.valor_asegurado.clone(),
            rce: self.rce(),
            cobertura: self.cover(),
            vigencia_desde: self.vigencia_desde.clone(),
            vigencia_hasta: self.vigencia_hasta.clone(),
            estado: self.estado.clone(),
            exigida_por: self.exigida_por.clone(),
            colchon: self.colchon.clone(),
            errors,
        }
    }

    fn parse(&self) -> Result<PolizaData, FormErrors> {
        let mut e = FormErrors::new();
        let kind = kind_from_slug(&self.tipo, &self.tipo_otra);
        if kind.is_none() {
            if self.tipo == "otra" {
                e.add("tipo_otra", "Indique el nombre del tipo de póliza.");
            } else {
                e.add("tipo", "Elija el tipo de póliza.");
            }
        }
        if self.numero.trim().is_empty() {
            e.add("numero", "Indique el número de la póliza.");
        }
        if self.aseguradora.trim().is_empty() {
            e.add("aseguradora", "Indique la aseguradora.");
        }
        let insured = required(
            &mut e,
            "valor_asegurado",
            "el valor asegurado",
            &self.valor_asegurado,
            Money::parse,
        );
        let money =
            |e: &mut FormErrors, field: &str, text: &str| optional(e, field, text, Money::parse);
        let rce_values = self.rce();
        let rce: Vec<Option<Money>> = RCE_FIELDS
            .iter()
            .zip(rce_values.iter())
            .map(|(field, text)| money(&mut e, field, text))
            .collect();
        let cover_values = self.cover();
        let cover: Vec<Option<Money>> = COVER_FIELDS
            .iter()
            .zip(cover_values.iter())
            .map(|(field, text)| money(&mut e, field, text))
            .collect();
        let from = required(
            &mut e,
            "vigencia_desde",
            "la fecha de inicio",
            &self.vigencia_desde,
            parse_date,
        );
        let to = required(
            &mut e,
            "vigencia_hasta",
            "la fecha final",
            &self.vigencia_hasta,
            parse_date,
        );
        let validity = match (from, to) {
            (Some(from), Some(to)) => match DateRange::new(from, to) {
                Ok(v) => Some(v),
                Err(err) => {
                    e.add(
                        "vigencia_hasta",
                        super::respuestas::sentence(&err.to_string()),
                    );
                    None
                }
            },
            _ => None,
        };
        let state = if self.estado.is_empty() {
            state_from_slug("aporte_inicial")
        } else {
            state_from_slug(&self.estado)
        };
        if state.is_none() {
            e.add("estado", "Elija el estado de la póliza.");
        }
        let required_by = parse_required_by(&self.exigida_por);
        if required_by.is_none() {
            e.add("exigida_por", "Elija el documento que exige la póliza.");
        }
        let colchon = if self.colchon.trim().is_empty() {
            Some(0)
        } else {
            self.colchon.trim().parse::<u32>().ok().filter(|m| *m <= 24)
        };
        if colchon.is_none() {
            e.add(
                "colchon",
                "El colchón debe ser un número de meses entre 0 y 24.",
            );
        }
        let rce_sublimits = rce.iter().any(Option::is_some).then(|| RceSublimits {
            premises_operations: rce[0],
            employer_liability: rce[1],
            medical_expenses: rce[2],
            vehicles: rce[3],
            contractors: rce[4],
            non_material_damages: rce[5],
            lost_profit: rce[6],
        });
        let cumplimiento_cover = cover
            .iter()
            .any(Option::is_some)
            .then(|| CumplimientoCover {
                rent: cover[0],
                utilities: cover[1],
                vat: cover[2],
                admin_fee: cover[3],
            });
        match (kind, insured, validity, state, required_by, colchon) {
            (
                Some(kind),
                Some(insured_value),
                Some(validity),
                Some(state),
                Some(required_by),
                Some(colchon_months),
            ) if e.is_empty() => Ok(PolizaData {
                kind,
                number: self.numero.trim().to_string(),
                insurer: self.aseguradora.trim().to_string(),
                insured_value,
                rce_sublimits,
                cumplimiento_cover,
                validity,
                state,
                required_by,
                colchon_months,
            }),
            _ => Err(e),
        }
    }
}

fn parse_required_by(text: &str) -> Option<RequiredBy> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("contrato") {
        return Some(RequiredBy::Contract);
    }
    if t.to_uppercase().starts_with("OS-") {
        return OtroSiNumber::from_str(t).ok().map(RequiredBy::OtroSi);
    }
    if t.to_uppercase().starts_with("RA-") {
        return RenewalNumber::from_str(t).ok().map(RequiredBy::Renovacion);
    }
    None
}

async fn new_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let c = match contract(&app, &ctx, &id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let form = PolizaForm {
        estado: "aporte_inicial".into(),
        exigida_por: "contrato".into(),
        colchon: "0".into(),
        ..PolizaForm::default()
    };
    form_views::form_page(&ctx.page, &form, &form_context(&id, &c, None)).into_response()
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(pid): Path<String>) -> Response {
    let (contract_id, c, id) = match load(&app, &ctx, &pid).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Some(p) = c.find_poliza(id) else {
        return not_found(&ctx.page);
    };
    form_views::form_page(
        &ctx.page,
        &PolizaForm::from_poliza(p),
        &form_context(&contract_id, &c, Some(pid)),
    )
    .into_response()
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
) -> Response {
    let Target {
        contract_id,
        contrato: c,
        poliza_id,
        editing,
    } = target;
    let fc = form_context(contract_id, c, editing.then(|| poliza_id.to_string()));
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => return invalid(form_views::form_page(&ctx.page, &fields.form(errors), &fc)),
    };
    let number = data.number.clone();
    let command = if editing {
        ContratoCommand::UpdatePoliza {
            actor: user.actor(),
            id: poliza_id,
            poliza: data,
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
    match outcome(app, &ctx.page, result).await {
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
            let current = contract(app, ctx, contract_id).await;
            let fc = match &current {
                Ok(now) => form_context(contract_id, now, fc.editing.clone()),
                Err(_) => fc,
            };
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT);
            invalid(form_views::form_page(&ctx.page, &fields.form(errors), &fc))
        }
        Outcome::Failed(response) => response,
    }
}

async fn register(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<PolizaFields>,
) -> Response {
    let c = match contract(&app, &ctx, &id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
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
) -> Response {
    let (contract_id, c, id) = match load(&app, &ctx, &pid).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let target = Target {
        contract_id: &contract_id,
        contrato: &c,
        poliza_id: id,
        editing: true,
    };
    save(&app, &ctx, &user, target, &fields).await
}

// ---------------------------------------------------------------------------------------------------
// Detail and its actions

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

async fn detail(State(app): State<App>, ctx: Ctx, Path(pid): Path<String>) -> Response {
    match load(&app, &ctx, &pid).await {
        Ok((contract_id, c, id)) => render_detail(&ctx, &contract_id, &c, id, &default_actions()),
        Err(r) => r,
    }
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
                super::respuestas::sentence(&err.to_string()),
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
    match date {
        Some(date) if e.is_empty() => Ok((
            ContratoCommand::AddPolizaSeguimiento {
                actor: user.actor(),
                id,
                date,
                note: f.seguimiento_nota.trim().to_string(),
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
) -> Response {
    let (contract_id, c, id) = match load(&app, &ctx, &pid).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let (command, message) = match build(&fields, &user, id) {
        Ok(built) => built,
        Err(errors) => {
            return unprocessable(render_detail(
                &ctx,
                &contract_id,
                &c,
                id,
                &fields.actions(errors),
            ));
        }
    };
    let result = app
        .commands
        .contrato(&contract_id, command, user.metadata())
        .await;
    match outcome(&app, &ctx.page, result).await {
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
            let current = match contract(&app, &ctx, &contract_id).await {
                Ok(now) => now,
                Err(r) => return r,
            };
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
    }
}

async fn renew(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> Response {
    act(app, user, ctx, pid, fields, build_renew, "renovar_hasta").await
}

async fn cancel(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> Response {
    act(app, user, ctx, pid, fields, build_cancel, "cancelar_motivo").await
}

async fn add_seguimiento(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(pid): Path<String>,
    Form(fields): Form<ActionFields>,
) -> Response {
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
