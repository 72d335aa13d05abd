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

use super::respuestas::{
    CONFLICT, Outcome, can_write, done, invalid, not_found, outcome, page_number, raw_query,
    server_error,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::App;
use crate::queries::catalogos::{self as q, ContractsOf};
use crate::queries::filters::PER_PAGE;

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
) -> Response {
    let page = page_number(query.pagina);
    let kind = kind_from_slug(&query.tipo).map(views::kind_slug);
    let (rows, total) = match q::terceros(&app.db, &query.q, kind, page).await {
        Ok(found) => found,
        Err(err) => return server_error(&ctx.page, err),
    };
    let rows = rows
        .into_iter()
        .filter_map(|(id, nit, kind, razon_social)| {
            Some(TerceroRow {
                id,
                nit: Nit::parse(&nit).map(|n| n.to_string()).unwrap_or(nit),
                razon_social,
                kind: kind_from_slug(&kind)?,
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
    views::list_page(&ctx.page, &list).into_response()
}

async fn detail(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match q::tercero(&app.db, &id).await {
        Ok(Some(t)) => t.data,
        Ok(None) => None,
        Err(err) => return server_error(&ctx.page, err),
    };
    let Some(data) = data else {
        return not_found(&ctx.page);
    };
    let contracts = match q::contracts_of(&app.db, ContractsOf::Tercero(&id)).await {
        Ok(c) => c,
        Err(err) => return server_error(&ctx.page, err),
    };
    views::detail_page(&ctx.page, &id, &data, &contracts, can_write(&ctx)).into_response()
}

async fn new_form(ctx: Ctx) -> Response {
    views::form_page(&ctx.page, &TerceroForm::default(), None).into_response()
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> Response {
    match q::tercero(&app.db, &id).await {
        Ok(Some(t)) => match t.data {
            Some(data) => views::form_page(
                &ctx.page,
                &TerceroForm::from_data(&data),
                Some((&id, &data.razon_social)),
            )
            .into_response(),
            None => not_found(&ctx.page),
        },
        Ok(None) => not_found(&ctx.page),
        Err(err) => server_error(&ctx.page, err),
    }
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

/// The NIT must not belong to another tercero of the same kind.
async fn check_unique(
    app: &App,
    data: &TerceroData,
    except: Option<&str>,
) -> Result<Option<String>, crate::store::StoreError> {
    let kind = views::kind_slug(data.kind);
    Ok(q::nit_taken(&app.db, kind, &data.nit, except)
        .await?
        .map(|_| {
            format!(
                "Ya existe un {} con el NIT {}.",
                views::kind_label(data.kind).to_lowercase(),
                data.nit
            )
        }))
}

async fn create(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Form(fields): Form<TerceroFields>,
) -> Response {
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => return invalid(views::form_page(&ctx.page, &fields.form(errors), None)),
    };
    match check_unique(&app, &data, None).await {
        Ok(Some(message)) => {
            let mut errors = FormErrors::new();
            errors.add("nit", message);
            return invalid(views::form_page(&ctx.page, &fields.form(errors), None));
        }
        Ok(None) => {}
        Err(err) => return server_error(&ctx.page, err),
    }
    let id = uuid::Uuid::now_v7().to_string();
    let name = data.razon_social.clone();
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
    match outcome(&app, &ctx.page, result).await {
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
    }
}

async fn update(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<TerceroFields>,
) -> Response {
    let current = match q::tercero(&app.db, &id).await {
        Ok(Some(t)) => t.data,
        Ok(None) => None,
        Err(err) => return server_error(&ctx.page, err),
    };
    let Some(current) = current else {
        return not_found(&ctx.page);
    };
    let editing = Some((id.as_str(), current.razon_social.as_str()));
    let data = match fields.parse() {
        Ok(d) => d,
        Err(errors) => return invalid(views::form_page(&ctx.page, &fields.form(errors), editing)),
    };
    match check_unique(&app, &data, Some(&id)).await {
        Ok(Some(message)) => {
            let mut errors = FormErrors::new();
            errors.add("nit", message);
            return invalid(views::form_page(&ctx.page, &fields.form(errors), editing));
        }
        Ok(None) => {}
        Err(err) => return server_error(&ctx.page, err),
    }
    let result = app
        .commands
        .tercero(
            &id,
            TerceroCommand::UpdateTercero {
                actor: user.actor(),
                data,
            },
            user.metadata(),
        )
        .await;
    match outcome(&app, &ctx.page, result).await {
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
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT.replace("El contrato", "El tercero"));
            invalid(views::form_page(&ctx.page, &fields.form(errors), editing))
        }
        Outcome::Failed(response) => response,
    }
}
