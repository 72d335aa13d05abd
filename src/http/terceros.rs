//! Terceros: list, detail with contracts, register and edit.

use arriendo_events::{Email, Nit, TerceroCommand, TerceroData};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::terceros::{
    self as views, TerceroForm, TerceroList, TerceroRow, kind_from_slug,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page_error::{OrNotFound, OrServerError, PageResult};
use super::respuestas::{
    CONFLICT, Outcome, can_write, conflict, done, invalid, outcome, page_number, raw_query,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::App;
use crate::queries::catalogos::{self as q, ContractsOf};
use crate::queries::filters::PER_PAGE;
use crate::store::CommandError;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/terceros", Access::Authenticated, list),
        Route::get("/terceros/nuevo", Access::Write, new_form),
        Route::post("/terceros", Access::Write, create),
        Route::get("/terceros/{id}", Access::Authenticated, detail),
        Route::get("/terceros/{id}/editar", Access::Write, edit_form),
        Route::post("/terceros/{id}", Access::Write, update),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    tipo: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let page = page_number(query.pagina);
    let kind = kind_from_slug(&query.tipo).map(views::kind_slug);
    let (rows, total) = q::terceros(&app.db, &query.q, kind, page)
        .await
        .or_500(&ctx.page)?;
    let rows = rows
        .into_iter()
        .filter_map(|row| {
            Some(TerceroRow {
                kind: kind_from_slug(&row.kind)?,
                nit: Nit::parse(&row.nit)
                    .map(|n| n.to_string())
                    .unwrap_or(row.nit),
                id: row.id,
                razon_social: row.razon_social,
            })
        })
        .collect();
    let list = TerceroList {
        rows,
        q: query.q,
        tipo: kind.unwrap_or("").to_string(),
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

async fn detail(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let data = q::tercero(&app.db, &id)
        .await
        .or_500(&ctx.page)?
        .and_then(|t| t.data)
        .or_404(&ctx.page)?;
    let contracts = q::contracts_of(&app.db, ContractsOf::Tercero(&id))
        .await
        .or_500(&ctx.page)?;
    Ok(views::detail_page(&ctx.page, &id, &data, &contracts, can_write(&ctx)).into_response())
}

async fn new_form(ctx: Ctx) -> Response {
    views::form_page(&ctx.page, &TerceroForm::default(), None).into_response()
}

/// The tercero as its stream says now, and its version as a form field: an edit form shows both
/// from one read.
async fn stored(app: &App, id: &str) -> Result<Option<(TerceroData, TerceroForm)>, String> {
    let tercero = app
        .commands
        .load_tercero(id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(tercero.and_then(|t| {
        let data = t.data?;
        let mut form = TerceroForm::from_data(&data);
        form.version = t.version.to_string();
        Some((data, form))
    }))
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (data, form) = stored(&app, &id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    Ok(views::form_page(&ctx.page, &form, Some((&id, &data.razon_social))).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TerceroFields {
    nit: String,
    razon_social: String,
    tipo: String,
    representante: String,
    supervisor: String,
    correo: String,
    version: String,
}

impl TerceroFields {
    fn form(&self, errors: FormErrors) -> TerceroForm {
        TerceroForm {
            nit: self.nit.clone(),
            razon_social: self.razon_social.clone(),
            tipo: self.tipo.clone(),
            representante: self.representante.clone(),
            supervisor: self.supervisor.clone(),
            correo: self.correo.clone(),
            errors,
            version: self.version.clone(),
            current: None,
        }
    }

    /// The data, or the errors beside each field.
    fn parse(&self) -> Result<TerceroData, FormErrors> {
        let mut errors = FormErrors::new();
        let nit = super::respuestas::required(&mut errors, "nit", "el NIT", &self.nit, Nit::parse);
        let kind = kind_from_slug(&self.tipo);
        if kind.is_none() {
            errors.add("tipo", "Elija si es arrendatario o proveedor.");
        }
        if self.razon_social.trim().is_empty() {
            errors.add("razon_social", "Indique la razón social.");
        }
        let email = super::respuestas::optional(&mut errors, "correo", &self.correo, Email::parse);
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        match (nit, kind) {
            (Some(nit), Some(kind)) if errors.is_empty() => Ok(TerceroData {
                nit,
                razon_social: self.razon_social.trim().to_string(),
                kind,
                legal_representative: text(&self.representante),
                supervisor_name: text(&self.supervisor),
                supervisor_email: email,
            }),
            _ => Err(errors),
        }
    }
}

/// The message beside the NIT when another tercero of the same kind has it.
fn nit_taken(data: &TerceroData) -> String {
    format!(
        "Ya existe un {} con el NIT {}.",
        views::kind_label(data.kind).to_lowercase(),
        data.nit
    )
}

/// The NIT must not belong to another tercero of the same kind.
async fn check_unique(
    app: &App,
    data: &TerceroData,
    except: Option<&str>,
) -> Result<Option<String>, crate::store::StoreError> {
    let kind = views::kind_slug(data.kind);
    Ok(q::nit_taken(&app.db, kind, &data.nit, except)
        .await?
        .map(|_| nit_taken(data)))
}

async fn create(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Form(fields): Form<TerceroFields>,
) -> PageResult {
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => {
            return Ok(invalid(views::form_page(
                &ctx.page,
                &fields.form(errors),
                None,
            )));
        }
    };
    if let Some(message) = check_unique(&app, &data, None).await.or_500(&ctx.page)? {
        let mut errors = FormErrors::new();
        errors.add("nit", message);
        return Ok(invalid(views::form_page(
            &ctx.page,
            &fields.form(errors),
            None,
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let name = data.razon_social.clone();
    let taken = nit_taken(&data);
    let result = app
        .commands
        .tercero(
            &id,
            TerceroCommand::RegisterTercero {
                actor: user.actor(),
                data,
            },
            user.metadata(),
        )
        .await;
    if let Err(CommandError::Taken(_)) = result {
        let mut errors = FormErrors::new();
        errors.add("nit", taken);
        return Ok(invalid(views::form_page(
            &ctx.page,
            &fields.form(errors),
            None,
        )));
    }
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(format!("Tercero «{name}» registrado.")),
                &format!("/terceros/{id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            errors.add("", message);
            invalid(views::form_page(&ctx.page, &fields.form(errors), None))
        }
        Outcome::Conflict => {
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT.replace("El contrato", "El tercero"));
            invalid(views::form_page(&ctx.page, &fields.form(errors), None))
        }
        Outcome::Failed(response) => response,
    })
}

async fn update(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<TerceroFields>,
) -> PageResult {
    let current = q::tercero(&app.db, &id)
        .await
        .or_500(&ctx.page)?
        .and_then(|t| t.data)
        .or_404(&ctx.page)?;
    let editing = Some((id.as_str(), current.razon_social.as_str()));
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => {
            return Ok(invalid(views::form_page(
                &ctx.page,
                &fields.form(errors),
                editing,
            )));
        }
    };
    if let Some(message) = check_unique(&app, &data, Some(&id))
        .await
        .or_500(&ctx.page)?
    {
        let mut errors = FormErrors::new();
        errors.add("nit", message);
        return Ok(invalid(views::form_page(
            &ctx.page,
            &fields.form(errors),
            editing,
        )));
    }
    let taken = nit_taken(&data);
    let result = app
        .commands
        .tercero(
            &id,
            TerceroCommand::UpdateTercero {
                actor: user.actor(),
                data,
                // Missing or mangled reads as 0, which no stored tercero has: refused as stale.
                expected_version: fields.version.trim().parse().unwrap_or(0),
            },
            user.metadata(),
        )
        .await;
    if let Err(CommandError::Taken(_)) = result {
        let mut errors = FormErrors::new();
        errors.add("nit", taken);
        return Ok(invalid(views::form_page(
            &ctx.page,
            &fields.form(errors),
            editing,
        )));
    }
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito("Cambios guardados."),
                &format!("/terceros/{id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            errors.add("", message);
            invalid(views::form_page(&ctx.page, &fields.form(errors), editing))
        }
        Outcome::Conflict => {
            let (now_data, now) = stored(&app, &id)
                .await
                .or_500(&ctx.page)?
                .or_404(&ctx.page)?;
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT.replace("El contrato", "El tercero"));
            let mut form = fields.form(errors);
            form.version = now.version.clone();
            form.current = Some(Box::new(now));
            conflict(invalid(views::form_page(
                &ctx.page,
                &form,
                Some((&id, &now_data.razon_social)),
            )))
        }
        Outcome::Failed(response) => response,
    })
}
