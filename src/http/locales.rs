//! Locales: list, detail with contracts, register and edit. The commercial name is unique.

use arriendo_events::{Area, LocalCommand, LocalData};
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::layout::Flash;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::locales::{self as views, LocalForm, LocalList, LocalRow};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::page_error::{OrNotFound, OrServerError, PageResult};
use super::respuestas::{
    CONFLICT, Outcome, can_write, conflict, done, invalid, outcome, page_number, raw_query,
    required, sentence,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::App;
use crate::queries::catalogos::{self as q, ContractsOf};
use crate::queries::filters::PER_PAGE;
use crate::store::{ClaimScope, CommandError};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/locales", Access::Authenticated, list),
        Route::get("/locales/nuevo", Access::Write, new_form),
        Route::post("/locales", Access::Write, create),
        Route::get("/locales/{id}", Access::Authenticated, detail),
        Route::get("/locales/{id}/editar", Access::Write, edit_form),
        Route::post("/locales/{id}", Access::Write, update),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let page = page_number(query.pagina);
    let (rows, total) = q::locales(&app.db, &query.q, page)
        .await
        .or_500(&ctx.page)?;
    let rows = rows
        .into_iter()
        .map(|row| LocalRow {
            area: row
                .area_m2
                .parse::<Decimal>()
                .map(|a| format!("{} m²", format::decimal(a)))
                .unwrap_or(row.area_m2),
            id: row.id,
            name: row.name,
            location: row.location,
        })
        .collect();
    let list = LocalList {
        rows,
        q: query.q,
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

async fn current(app: &App, id: &str) -> Result<Option<LocalData>, crate::store::StoreError> {
    Ok(q::local(&app.db, id).await?.and_then(|l| l.data))
}

async fn detail(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let data = current(&app, &id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    let contracts = q::contracts_of(&app.db, ContractsOf::Local(&id))
        .await
        .or_500(&ctx.page)?;
    Ok(views::detail_page(&ctx.page, &id, &data, &contracts, can_write(&ctx)).into_response())
}

async fn new_form(ctx: Ctx) -> Response {
    views::form_page(&ctx.page, &LocalForm::default(), None).into_response()
}

/// The local as its stream says now, and its version as a form field: an edit form shows both
/// from one read.
async fn stored(app: &App, id: &str) -> Result<Option<(LocalData, LocalForm)>, String> {
    let local = app
        .commands
        .load_local(id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(local.and_then(|l| {
        let data = l.data?;
        let mut form = LocalForm::from_data(&data);
        form.version = l.version.to_string();
        Some((data, form))
    }))
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (data, form) = stored(&app, &id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    Ok(views::form_page(&ctx.page, &form, Some((&id, &data.name))).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocalFields {
    nombre: String,
    ubicacion: String,
    area: String,
    version: String,
}

impl LocalFields {
    fn form(&self, errors: FormErrors) -> LocalForm {
        LocalForm {
            nombre: self.nombre.clone(),
            ubicacion: self.ubicacion.clone(),
            area: self.area.clone(),
            errors,
            version: self.version.clone(),
            current: None,
        }
    }

    fn parse(&self) -> Result<LocalData, FormErrors> {
        let mut errors = FormErrors::new();
        if self.nombre.trim().is_empty() {
            errors.add("nombre", "Indique el nombre comercial.");
        }
        if self.ubicacion.trim().is_empty() {
            errors.add("ubicacion", "Indique la ubicación.");
        }
        let area = required(&mut errors, "area", "el área", &self.area, Area::parse);
        let data = match area {
            Some(area_m2) if errors.is_empty() => LocalData {
                name: self.nombre.trim().to_string(),
                location: self.ubicacion.trim().to_string(),
                area_m2,
            },
            _ => return Err(errors),
        };
        // Bounds before the name is looked up: PostgreSQL refuses a NUL in text.
        if let Err(e) = data.check_bounds() {
            let field = match e.field() {
                Some("nombre comercial") => "nombre",
                Some("ubicación") => "ubicacion",
                _ => "area",
            };
            errors.add(field, sentence(&e.to_string()));
            return Err(errors);
        }
        Ok(data)
    }
}

fn name_taken(name: &str) -> String {
    format!("Ya existe un local llamado «{name}».")
}

/// Validates, checks the name is free, sends the command; the form again on any refusal.
async fn save(
    app: &App,
    ctx: &Ctx,
    user: &super::CurrentUser,
    id: &str,
    fields: &LocalFields,
    editing: Option<(&str, &str)>,
) -> PageResult {
    let again =
        |errors: FormErrors| invalid(views::form_page(&ctx.page, &fields.form(errors), editing));
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => return Ok(again(errors)),
    };
    if q::local_name_taken(&app.db, &data.name, editing.map(|(id, _)| id))
        .await
        .or_500(&ctx.page)?
        .is_some()
    {
        let mut errors = FormErrors::new();
        errors.add("nombre", name_taken(&data.name));
        return Ok(again(errors));
    }
    let name = data.name.clone();
    let command = match editing {
        Some(_) => LocalCommand::UpdateLocal {
            actor: user.actor(),
            data,
            // Missing or mangled reads as 0, which no stored local has: refused as stale.
            expected_version: fields.version.trim().parse().unwrap_or(0),
        },
        None => LocalCommand::RegisterLocal {
            actor: user.actor(),
            data,
        },
    };
    let result = app.commands.local(id, command, user.metadata()).await;
    if let Err(CommandError::Taken(ClaimScope::LocalNombre)) = result {
        let mut errors = FormErrors::new();
        errors.add("nombre", name_taken(&name));
        return Ok(again(errors));
    }
    Ok(match outcome(app, &ctx.page, result).await {
        Outcome::Done => {
            let text = if editing.is_some() {
                "Cambios guardados.".to_string()
            } else {
                format!("Local «{name}» registrado.")
            };
            done(&ctx.session, Flash::exito(text), &format!("/locales/{id}")).await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            errors.add("", message);
            again(errors)
        }
        Outcome::Conflict => {
            let (now_data, now) = stored(app, id).await.or_500(&ctx.page)?.or_404(&ctx.page)?;
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT.replace("El contrato", "El local"));
            let mut form = fields.form(errors);
            form.version = now.version.clone();
            form.current = Some(Box::new(now));
            conflict(invalid(views::form_page(
                &ctx.page,
                &form,
                Some((id, &now_data.name)),
            )))
        }
        Outcome::Failed(response) => response,
    })
}

async fn create(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Form(fields): Form<LocalFields>,
) -> PageResult {
    let id = uuid::Uuid::now_v7().to_string();
    save(&app, &ctx, &user, &id, &fields, None).await
}

async fn update(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<LocalFields>,
) -> PageResult {
    let data = current(&app, &id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    save(&app, &ctx, &user, &id, &fields, Some((&id, &data.name))).await
}
