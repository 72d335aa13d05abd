//! Contratos: list, detail, create and edit, seguimientos, termination, Otro Sí workflow and
//! renovaciones automáticas. Handlers are thin: parse, check, send a command, redirect or render.

pub(crate) mod approval;
mod clausulas;
mod comparar;
mod detail;
pub mod form;
pub(crate) mod otrosi;
pub(crate) mod pages;
mod reglas;
pub(crate) mod renovaciones;
mod seguimientos;

use arriendo_events::{Contrato, ContratoPart};
use arriendo_projections::{ContratoVigente, vigente};
use arriendo_views::PageContext;
use arriendo_views::pages::contrato_form::Conflict;
use arriendo_views::pages::contrato_terms::vigente_details;

use super::security::{Access, Route};
use crate::app::{App, today};
use crate::http::page_error::{OrNotFound, OrServerError, PageError};
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/contratos", Access::Authenticated, pages::list),
        Route::post("/contratos", Access::Write, pages::create),
        Route::get("/contratos/nuevo", Access::Write, pages::new_form),
        Route::get("/contratos/{id}", Access::Authenticated, detail::show),
        Route::get(
            "/contratos/{id}/imprimir",
            Access::Authenticated,
            detail::print,
        ),
        Route::get(
            "/contratos/{id}/comparar",
            Access::Authenticated,
            comparar::compare,
        ),
        Route::get("/contratos/{id}/editar", Access::Write, pages::edit_form),
        Route::get(
            "/contratos/{id}/clausulas",
            Access::Authenticated,
            clausulas::show,
        ),
        Route::post("/contratos/{id}/clausulas", Access::Write, clausulas::save),
        Route::post("/contratos/{id}/editar", Access::Write, pages::update),
        Route::post("/contratos/{id}/terminar", Access::Write, pages::terminate),
        Route::post("/contratos/{id}/eliminar", Access::Admin, pages::delete),
        Route::post(
            "/contratos/{id}/seguimientos/{n}/corregir",
            Access::Write,
            seguimientos::correct_seguimiento,
        ),
        Route::post(
            "/contratos/{id}/seguimientos/{n}/retirar",
            Access::Write,
            seguimientos::retract_seguimiento,
        ),
        Route::post(
            "/contratos/{id}/seguimientos",
            Access::Write,
            seguimientos::seguimiento,
        ),
        Route::get(
            "/contratos/{id}/otrosi/nuevo",
            Access::Write,
            otrosi::new_form,
        ),
        Route::post("/contratos/{id}/otrosi", Access::Write, otrosi::create),
        Route::get(
            "/contratos/{id}/otrosi/{n}",
            Access::Authenticated,
            otrosi::show,
        ),
        Route::get(
            "/contratos/{id}/otrosi/{n}/editar",
            Access::Write,
            otrosi::edit_form,
        ),
        Route::post(
            "/contratos/{id}/otrosi/{n}/editar",
            Access::Write,
            otrosi::update,
        ),
        Route::post(
            "/contratos/{id}/otrosi/{n}/enviar",
            Access::Write,
            otrosi::submit,
        ),
        Route::post(
            "/contratos/{id}/otrosi/{n}/aprobar",
            Access::Admin,
            otrosi::approve,
        ),
        Route::post(
            "/contratos/{id}/otrosi/{n}/rechazar",
            Access::Admin,
            otrosi::reject,
        ),
        Route::post(
            "/contratos/{id}/otrosi/{n}/eliminar",
            Access::Write,
            otrosi::delete,
        ),
        Route::post(
            "/contratos/{id}/renovaciones",
            Access::Write,
            renovaciones::propose,
        ),
        Route::post(
            "/contratos/{id}/renovaciones/{n}/aprobar",
            Access::Admin,
            renovaciones::approve,
        ),
        Route::post(
            "/contratos/{id}/renovaciones/{n}/anular",
            Access::Write,
            renovaciones::annul,
        ),
    ]
}

/// A contract as the pages need it.
pub(crate) struct Loaded {
    pub contrato: Contrato,
    pub vigente: ContratoVigente,
    pub tercero_name: String,
    pub local_name: Option<String>,
    pub status: String,
}

/// Where a page reads the contract's state from.
#[derive(Clone, Copy)]
enum Source {
    /// The read model: pages that only show.
    ReadModel,
    /// The event stream: edit forms, so the values shown and the version sent back are one read.
    Stream,
}

/// Loads a contract from the read models; a 404 page for an unknown id, a 500 page on failure.
pub(crate) async fn load(app: &App, page: &PageContext, id: &str) -> Result<Loaded, PageError> {
    load_from(app, page, id, Source::ReadModel).await
}

/// Loads a contract from its event stream, for an edit form or the conflict panel.
pub(crate) async fn load_for_edit(
    app: &App,
    page: &PageContext,
    id: &str,
) -> Result<Loaded, PageError> {
    load_from(app, page, id, Source::Stream).await
}

async fn load_from(
    app: &App,
    page: &PageContext,
    id: &str,
    source: Source,
) -> Result<Loaded, PageError> {
    let found = async {
        let contrato = match source {
            Source::ReadModel => queries::contract_state(&app.db, id).await?,
            Source::Stream => app
                .commands
                .load_contrato(id)
                .await
                .map_err(|e| crate::store::StoreError::Invalid(e.to_string()))?,
        };
        let Some(contrato) = contrato else {
            return Ok(None);
        };
        let names = queries::contratos::names(&app.db, id).await?;
        Ok::<_, crate::store::StoreError>(Some((contrato, names)))
    }
    .await;
    let (contrato, names) = found.or_500(page)?.or_404(page)?;
    let v = vigente(&contrato, today()).or_404(page)?;
    let (tercero_name, local_name, status) =
        names.unwrap_or_else(|| (String::new(), None, String::new()));
    Ok(Loaded {
        contrato,
        vigente: v,
        tercero_name,
        local_name,
        status,
    })
}

impl Loaded {
    /// The conflict box: the terms in force now.
    pub fn conflict(&self) -> Conflict {
        Conflict {
            current: vigente_details(
                &self.vigente,
                &self.tercero_name,
                self.local_name.as_deref(),
                true,
            ),
        }
    }

    pub fn open(&self) -> bool {
        self.contrato.terminated.is_none() && self.contrato.deleted.is_none()
    }

    /// The version of `part` as loaded: what an edit form sends back.
    pub fn version_of(&self, part: ContratoPart) -> String {
        self.contrato.versions.of(part).to_string()
    }
}

/// The version an edit form was prepared from (its hidden `version` field). A missing or mangled
/// field reads as 0, which only an untouched part has, so the edit is refused as stale.
pub(crate) fn seen_version(values: &arriendo_views::pages::form_values::FormValues) -> u64 {
    values.get("version").trim().parse().unwrap_or(0)
}
