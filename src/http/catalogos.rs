//! Catálogos: the page listing the tipos de contrato, the tipos de servicio and the cláusulas, and
//! the forms of the types. Everyone reads; only administradores change (the domain refuses others).

use arriendo_events::{Catalogos, CatalogosCommand, ClauseScope, TypeCatalog};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::clausulas::{self as views, CatalogPage, ClauseRow, TypeForm, TypeRow};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{Outcome, conflict, done, invalid, not_found, outcome};
use super::security::{Access, Ctx, CurrentUser, RequireAdmin, Route};
use crate::app::App;
use crate::queries::clausulas as q;

pub fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/catalogos", Access::Authenticated, list),
        Route::get("/catalogos/tipos/nuevo", Access::Admin, new_type),
        Route::post("/catalogos/tipos", Access::Admin, create_type),
        Route::get("/catalogos/tipos/{id}/editar", Access::Admin, edit_type),
        Route::post("/catalogos/tipos/{id}", Access::Admin, update_type),
    ];
    routes.extend(super::clausulas::routes());
    routes
}

/// What the catalog page says of a scope: «todos los contratos de cliente», «tipo de contrato BODEGAS».
pub fn scope_label(catalog: &Catalogos, scope: ClauseScope) -> String {
    let type_name = |id| {
        catalog
            .find_type(id)
            .map_or_else(|| "(desconocido)".to_string(), |t| t.name.clone())
    };
    match scope {
        ClauseScope::AllClient => "todos los contratos de cliente".to_string(),
        ClauseScope::AllSupplier => "todos los contratos de proveedor".to_string(),
        ClauseScope::ContractType(id) => format!("tipo de contrato {}", type_name(id)),
        ClauseScope::ServiceType(id) => format!("tipo de servicio {}", type_name(id)),
    }
}

async fn list(State(app): State<App>, ctx: Ctx) -> PageResult {
    let catalog = q::catalog(&app.db).await.or_500(&ctx.page)?;
    let counts = q::contracts_per_type(&app.db).await.or_500(&ctx.page)?;
    let rows = |which| -> Vec<TypeRow> {
        catalog
            .types_of(which)
            .into_iter()
            .map(|t| TypeRow {
                id: t.id.to_string(),
                name: t.name.clone(),
                active: t.active,
                contracts: counts.get(&t.id.to_string()).copied().unwrap_or(0),
            })
            .collect()
    };
    let data = CatalogPage {
        contract_types: rows(TypeCatalog::Contrato),
        service_types: rows(TypeCatalog::Servicio),
        clauses: catalog
            .clauses_in_order()
            .into_iter()
            .map(|c| ClauseRow {
                id: c.id.to_string(),
                order: c.data.order,
                title: c.data.title.clone(),
                category: c.data.category.clone(),
                active: c.data.active,
                mandatory_in: catalog
                    .scopes_of(c.id)
                    .into_iter()
                    .map(|s| scope_label(&catalog, s))
                    .collect(),
            })
            .collect(),
        can_admin: ctx.user.as_ref().is_some_and(|u| u.is_admin()),
    };
    Ok(views::catalog_page(&ctx.page, &data).into_response())
}

fn catalog_of(slug: &str) -> Option<TypeCatalog> {
    match slug {
        "contrato" => Some(TypeCatalog::Contrato),
        "servicio" => Some(TypeCatalog::Servicio),
        _ => None,
    }
}

fn slug_of(catalog: TypeCatalog) -> &'static str {
    match catalog {
        TypeCatalog::Contrato => "contrato",
        TypeCatalog::Servicio => "servicio",
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TypeFields {
    catalogo: String,
    nombre: String,
    activo: String,
    version: String,
}

async fn new_type(ctx: Ctx, Query(fields): Query<TypeFields>) -> Response {
    let Some(catalog) = catalog_of(&fields.catalogo) else {
        return not_found(&ctx.page);
    };
    let form = TypeForm {
        what: catalog.label().to_string(),
        catalog_slug: slug_of(catalog).to_string(),
        activo: true,
        ..TypeForm::default()
    };
    views::type_form_page(&ctx.page, &form).into_response()
}

/// The type's form as its stream says now.
async fn stored_type(app: &App, id: Uuid) -> Result<Option<TypeForm>, String> {
    let catalog = app
        .commands
        .load_catalogos()
        .await
        .map_err(|e| e.to_string())?;
    Ok(catalog.find_type(id).map(|t| TypeForm {
        what: t.catalog.label().to_string(),
        catalog_slug: slug_of(t.catalog).to_string(),
        nombre: t.name.clone(),
        activo: t.active,
        version: t.version.to_string(),
        errors: FormErrors::new(),
        editing: Some(id.to_string()),
    }))
}

async fn edit_type(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = Uuid::parse_str(&id).ok().or_404(&ctx.page)?;
    let form = stored_type(&app, id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    Ok(views::type_form_page(&ctx.page, &form).into_response())
}

async fn create_type(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(fields): Form<TypeFields>,
) -> PageResult {
    let Some(catalog) = catalog_of(&fields.catalogo) else {
        let mut errors = FormErrors::new();
        errors.add("", "Elija si es un tipo de contrato o de servicio.");
        return Ok(invalid(views::type_form_page(
            &ctx.page,
            &TypeForm {
                what: "tipo".into(),
                nombre: fields.nombre,
                errors,
                ..TypeForm::default()
            },
        )));
    };
    let form = TypeForm {
        what: catalog.label().to_string(),
        catalog_slug: slug_of(catalog).to_string(),
        nombre: fields.nombre.clone(),
        activo: true,
        ..TypeForm::default()
    };
    let command = CatalogosCommand::RegisterType {
        actor: user.actor(),
        id: Uuid::now_v7(),
        catalog,
        name: fields.nombre.clone(),
    };
    save_type(&app, &ctx, &user, command, form).await
}

async fn update_type(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<TypeFields>,
) -> PageResult {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let stored = stored_type(&app, id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    let form = TypeForm {
        nombre: fields.nombre.clone(),
        activo: !fields.activo.is_empty(),
        version: fields.version.clone(),
        ..stored
    };
    let command = CatalogosCommand::UpdateType {
        actor: user.actor(),
        id,
        name: fields.nombre.clone(),
        active: form.activo,
        // Missing or mangled reads as 0, which no stored type has: refused as stale.
        expected_version: fields.version.trim().parse().unwrap_or(0),
    };
    save_type(&app, &ctx, &user, command, form).await
}

async fn save_type(
    app: &App,
    ctx: &Ctx,
    user: &CurrentUser,
    command: CatalogosCommand,
    mut form: TypeForm,
) -> PageResult {
    let result = app.commands.catalogos(command, user.metadata()).await;
    Ok(match outcome(app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(format!(
                    "{} «{}» guardado.",
                    capitalised(&form.what),
                    form.nombre.trim()
                )),
                "/catalogos",
            )
            .await
        }
        Outcome::Refused(message) => {
            form.errors.add("nombre", message);
            invalid(views::type_form_page(&ctx.page, &form))
        }
        Outcome::Conflict => {
            let Some(id) = form
                .editing
                .as_deref()
                .and_then(|i| Uuid::parse_str(i).ok())
            else {
                // Lost the race to other saves more times than the store retries it.
                form.errors.add(
                    "",
                    "Otras personas guardaron el catálogo al mismo tiempo y no se pudo registrar. Vuelva a enviar: sus datos se conservaron.",
                );
                return Ok(conflict(invalid(views::type_form_page(&ctx.page, &form))));
            };
            let now = stored_type(app, id)
                .await
                .or_500(&ctx.page)?
                .or_404(&ctx.page)?;
            form.version = now.version;
            form.errors.add(
                "",
                format!(
                    "Otra persona cambió este tipo mientras usted lo editaba: ahora se llama «{}» y está {}. Revise y vuelva a guardar.",
                    now.nombre,
                    if now.activo { "activo" } else { "inactivo" }
                ),
            );
            conflict(invalid(views::type_form_page(&ctx.page, &form)))
        }
        Outcome::Failed(response) => response,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
