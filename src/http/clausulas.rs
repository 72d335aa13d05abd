//! The cláusulas of the catalog: register and edit, with the scopes where each is mandatory
//! (checkboxes `obligatoria`: `cliente`, `proveedor` or `tipo:{id}`).

use arriendo_events::{Catalogos, CatalogosCommand, ClauseData, ClauseScope, TypeCatalog};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::clausulas::{self as views, ClauseForm, ScopeOption};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use uuid::Uuid;

use super::catalogos::scope_label;
use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{Outcome, conflict, done, invalid, outcome};
use super::security::{Access, Ctx, CurrentUser, RequireAdmin, Route};
use crate::app::App;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/catalogos/clausulas/nueva", Access::Admin, new_form),
        Route::post("/catalogos/clausulas", Access::Admin, create),
        Route::get("/catalogos/clausulas/{id}/editar", Access::Admin, edit_form),
        Route::post("/catalogos/clausulas/{id}", Access::Admin, update),
    ]
}

fn scope_value(scope: ClauseScope) -> String {
    match scope {
        ClauseScope::AllClient => "cliente".to_string(),
        ClauseScope::AllSupplier => "proveedor".to_string(),
        ClauseScope::ContractType(id) | ClauseScope::ServiceType(id) => format!("tipo:{id}"),
    }
}

/// The scope a checkbox names; `None` for anything the form never offers.
fn parse_scope(catalog: &Catalogos, value: &str) -> Option<ClauseScope> {
    match value {
        "cliente" => Some(ClauseScope::AllClient),
        "proveedor" => Some(ClauseScope::AllSupplier),
        other => {
            let id = Uuid::parse_str(other.strip_prefix("tipo:")?).ok()?;
            Some(match catalog.find_type(id)?.catalog {
                TypeCatalog::Contrato => ClauseScope::ContractType(id),
                TypeCatalog::Servicio => ClauseScope::ServiceType(id),
            })
        }
    }
}

/// Every scope the form offers (active types, and inactive ones ticked already), ticked as given.
fn scope_options(catalog: &Catalogos, ticked: &[ClauseScope]) -> Vec<ScopeOption> {
    let mut scopes = vec![ClauseScope::AllClient];
    let of = |which, make: fn(Uuid) -> ClauseScope| -> Vec<ClauseScope> {
        catalog
            .types_of(which)
            .into_iter()
            .map(|t| (t, make(t.id)))
            .filter(|(t, s)| t.active || ticked.contains(s))
            .map(|(_, s)| s)
            .collect()
    };
    scopes.extend(of(TypeCatalog::Contrato, ClauseScope::ContractType));
    scopes.push(ClauseScope::AllSupplier);
    scopes.extend(of(TypeCatalog::Servicio, ClauseScope::ServiceType));
    scopes
        .into_iter()
        .map(|s| {
            let label = scope_label(catalog, s);
            let mut chars = label.chars();
            ScopeOption {
                value: scope_value(s),
                label: chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default(),
                checked: ticked.contains(&s),
            }
        })
        .collect()
}

async fn load(app: &App) -> Result<Catalogos, String> {
    app.commands
        .load_catalogos()
        .await
        .map_err(|e| e.to_string())
}

async fn new_form(State(app): State<App>, ctx: Ctx) -> PageResult {
    let catalog = load(&app).await.or_500(&ctx.page)?;
    let form = ClauseForm {
        orden: (catalog.clauses.len().saturating_add(1)).to_string(),
        activa: true,
        scopes: scope_options(&catalog, &[]),
        ..ClauseForm::default()
    };
    Ok(views::clause_form_page(&ctx.page, &form).into_response())
}

fn stored_form(catalog: &Catalogos, id: Uuid) -> Option<ClauseForm> {
    let clause = catalog.find_clause(id)?;
    Some(ClauseForm {
        titulo: clause.data.title.clone(),
        texto: clause.data.text.clone(),
        categoria: clause.data.category.clone(),
        orden: clause.data.order.to_string(),
        activa: clause.data.active,
        scopes: scope_options(catalog, &catalog.scopes_of(id)),
        version: clause.version.to_string(),
        errors: FormErrors::new(),
        editing: Some(id.to_string()),
    })
}

async fn edit_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = Uuid::parse_str(&id).ok().or_404(&ctx.page)?;
    let catalog = load(&app).await.or_500(&ctx.page)?;
    let form = stored_form(&catalog, id).or_404(&ctx.page)?;
    Ok(views::clause_form_page(&ctx.page, &form).into_response())
}

/// The form as sent: its fields, the scopes ticked, and what does not parse.
struct Sent {
    form: ClauseForm,
    data: Option<ClauseData>,
    scopes: Vec<ClauseScope>,
}

fn read(catalog: &Catalogos, pairs: &[(String, String)], editing: Option<Uuid>) -> Sent {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut errors = FormErrors::new();
    let mut scopes = Vec::new();
    for (_, value) in pairs.iter().filter(|(k, _)| k == "obligatoria") {
        match parse_scope(catalog, value) {
            Some(s) if !scopes.contains(&s) => scopes.push(s),
            Some(_) => {}
            None => errors.add("obligatoria", "Elija alcances de la lista."),
        }
    }
    let orden = field("orden");
    let order = match orden.trim() {
        "" => Some(0),
        text => text.parse::<u32>().ok(),
    };
    if order.is_none() {
        errors.add(
            "orden",
            "El orden debe ser un número entero entre 0 y 100.000.",
        );
    }
    let form = ClauseForm {
        titulo: field("titulo"),
        texto: field("texto"),
        categoria: field("categoria"),
        orden,
        activa: !field("activa").is_empty(),
        scopes: scope_options(catalog, &scopes),
        version: field("version"),
        errors,
        editing: editing.map(|id| id.to_string()),
    };
    let data = order
        .filter(|_| form.errors.is_empty())
        .map(|order| ClauseData {
            title: form.titulo.clone(),
            text: form.texto.clone(),
            category: form.categoria.clone(),
            order,
            active: form.activa,
        });
    Sent { form, data, scopes }
}

async fn create(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    save(&app, &ctx, &user, None, &pairs).await
}

async fn update(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let Ok(id) = Uuid::parse_str(&id) else {
        return Err(PageError::not_found(&ctx.page));
    };
    save(&app, &ctx, &user, Some(id), &pairs).await
}

/// The clause first, then each scope that changed; the form again on the first refusal.
async fn save(
    app: &App,
    ctx: &Ctx,
    user: &CurrentUser,
    editing: Option<Uuid>,
    pairs: &[(String, String)],
) -> PageResult {
    let catalog = load(app).await.or_500(&ctx.page)?;
    if editing.is_some_and(|id| catalog.find_clause(id).is_none()) {
        return Err(PageError::not_found(&ctx.page));
    }
    let Sent {
        mut form,
        data,
        scopes,
    } = read(&catalog, pairs, editing);
    let Some(data) = data else {
        return Ok(invalid(views::clause_form_page(&ctx.page, &form)));
    };
    let id = editing.unwrap_or_else(Uuid::now_v7);
    let title = data.title.trim().to_string();
    let mut commands = vec![match editing {
        Some(_) => CatalogosCommand::UpdateClause {
            actor: user.actor(),
            id,
            clause: data,
            expected_version: form.version.trim().parse().unwrap_or(0),
        },
        None => CatalogosCommand::RegisterClause {
            actor: user.actor(),
            id,
            clause: data,
        },
    }];
    let before = catalog.scopes_of(id);
    for scope in before.iter().chain(&scopes) {
        let mandatory = scopes.contains(scope);
        if mandatory != before.contains(scope) {
            commands.push(CatalogosCommand::SetMandatory {
                actor: user.actor(),
                clause_id: id,
                scope: *scope,
                mandatory,
            });
        }
    }
    for command in commands {
        let result = app.commands.catalogos(command, user.metadata()).await;
        match outcome(app, &ctx.page, result).await {
            Outcome::Done => {}
            Outcome::Refused(message) => {
                form.errors.add("", message);
                return Ok(invalid(views::clause_form_page(&ctx.page, &form)));
            }
            Outcome::Conflict => {
                let now = load(app).await.ok().and_then(|c| stored_form(&c, id));
                form.errors.add(
                    "",
                    "Otra persona cambió esta cláusula mientras usted la editaba. Revise el estado actual y vuelva a guardar: sus datos se conservaron.",
                );
                if let Some(now) = now {
                    form.version = now.version;
                }
                return Ok(conflict(invalid(views::clause_form_page(&ctx.page, &form))));
            }
            Outcome::Failed(response) => return Ok(response),
        }
    }
    Ok(done(
        &ctx.session,
        Flash::exito(format!("Cláusula «{title}» guardada.")),
        "/catalogos",
    )
    .await)
}
