//! `/contratos/{id}/clausulas`: the clause checklist of a contract, what mandatory clauses it
//! lacks, and who changed it when. Saving with missing mandatory clauses is allowed (the old
//! system's «continuar sin completar»); the page and the alert say what is missing.

use arriendo_events::{Catalogos, Contrato, ContratoCommand, ContratoPart, TypeCatalog};
use arriendo_projections::clausulas::{checklist, checklist_changes, missing};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::contrato_clausulas::{
    self as views, ChecklistChangeRow, ChecklistPage, ChecklistRow,
};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use uuid::Uuid;

use super::super::respuestas::{Outcome, can_write, conflict, done, invalid, outcome};
use super::super::security::{Ctx, RequireWrite};
use super::load_for_edit;
use crate::app::App;
use crate::http::page_error::{OrServerError, PageError, PageResult};
use crate::queries::clausulas as q;

/// Who changed the checklist, when, and what: the titles of the clauses added and removed.
async fn history(
    app: &App,
    id: &str,
    catalog: &Catalogos,
) -> Result<Vec<ChecklistChangeRow>, String> {
    let lists = q::checklists(&app.db, id)
        .await
        .map_err(|e| e.to_string())?;
    let ids: Vec<Vec<Uuid>> = lists.iter().map(|l| l.clause_ids.clone()).collect();
    let title = |id: &Uuid| {
        catalog.find_clause(*id).map_or_else(
            || "(cláusula desconocida)".to_string(),
            |c| c.data.title.clone(),
        )
    };
    Ok(lists
        .iter()
        .zip(checklist_changes(&ids))
        .map(|(list, change)| ChecklistChangeRow {
            when: chrono::DateTime::parse_from_rfc3339(&list.recorded_at)
                .map(|t| {
                    t.with_timezone(&chrono_tz::America::Bogota)
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
            by: list.by.clone(),
            added: change.added.iter().map(title).collect(),
            removed: change.removed.iter().map(title).collect(),
        })
        .collect())
}

/// The page for `contrato` as stored, with the boxes ticked as `ticked` (the stored checklist, or
/// what the user sent when it is shown again).
async fn page_data(
    app: &App,
    ctx: &Ctx,
    id: &str,
    (contrato, catalog): (&Contrato, &Catalogos),
    ticked: &[Uuid],
) -> Result<ChecklistPage, String> {
    let Some(terms) = contrato.terms.as_ref() else {
        return Err(format!("contract {id} has no terms"));
    };
    let type_line = terms
        .type_id
        .and_then(|t| catalog.find_type(t))
        .map(|t| {
            let what = match t.catalog {
                TypeCatalog::Contrato => "Tipo de contrato",
                TypeCatalog::Servicio => "Tipo de servicio",
            };
            format!("{what}: {}", t.name)
        })
        .unwrap_or_default();
    let rows = checklist(catalog, contrato)
        .into_iter()
        .map(|s| ChecklistRow {
            id: s.clause.id.to_string(),
            title: s.clause.data.title.clone(),
            category: s.clause.data.category.clone(),
            present: ticked.contains(&s.clause.id),
            mandatory: s.mandatory,
            active: s.clause.data.active,
        })
        .collect();
    Ok(ChecklistPage {
        contract_id: id.to_string(),
        number: terms.number.clone(),
        type_line,
        rows,
        missing: missing(catalog, contrato)
            .iter()
            .map(|c| c.data.title.clone())
            .collect(),
        version: contrato.versions.of(ContratoPart::Clauses).to_string(),
        history: history(app, id, catalog).await?,
        can_write: can_write(ctx),
        errors: FormErrors::new(),
        recorded: contrato.versions.of(ContratoPart::Clauses) > 0,
    })
}

/// The contract and the catalogs as their streams say now (the form's version comes from the
/// same read); the 404 or 500 page otherwise.
async fn current(app: &App, ctx: &Ctx, id: &str) -> Result<(Contrato, Catalogos), PageError> {
    let loaded = load_for_edit(app, &ctx.page, id).await?;
    let catalog = app.commands.load_catalogos().await.or_500(&ctx.page)?;
    Ok((loaded.contrato, catalog))
}

pub(super) async fn show(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (contrato, catalog) = current(&app, &ctx, &id).await?;
    let data = page_data(&app, &ctx, &id, (&contrato, &catalog), &contrato.clauses)
        .await
        .or_500(&ctx.page)?;
    Ok(views::checklist_page(&ctx.page, &data).into_response())
}

/// The ids sent, each a clause of the catalog that is active or already on the contract; the
/// Spanish message of the first that is not.
fn parse_ids(
    pairs: &[(String, String)],
    catalog: &Catalogos,
    contrato: &Contrato,
) -> Result<Vec<Uuid>, String> {
    pairs
        .iter()
        .filter(|(k, _)| k == "clausula")
        .map(|(_, value)| {
            let shown: String = value.chars().take(40).filter(|c| !c.is_control()).collect();
            let unknown = || format!("La cláusula «{shown}» no existe en el catálogo.");
            let id = Uuid::parse_str(value.trim()).map_err(|_| unknown())?;
            let clause = catalog.find_clause(id).ok_or_else(unknown)?;
            if !clause.data.active && !contrato.clauses.contains(&id) {
                return Err(format!(
                    "La cláusula «{}» está inactiva y no puede agregarse.",
                    clause.data.title
                ));
            }
            Ok(id)
        })
        .collect()
}

pub(super) async fn save(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (contrato, catalog) = current(&app, &ctx, &id).await?;
    let contrato = &contrato;
    let again = |ticked: Vec<Uuid>, message: String, stale: bool| {
        let app = app.clone();
        let ctx = &ctx;
        let id = id.clone();
        let catalog = &catalog;
        async move {
            let mut data = page_data(&app, ctx, &id, (contrato, catalog), &ticked)
                .await
                .or_500(&ctx.page)?;
            data.errors.add("", message);
            let response = invalid(views::checklist_page(&ctx.page, &data));
            Ok::<_, PageError>(if stale { conflict(response) } else { response })
        }
    };
    let ids = match parse_ids(&pairs, &catalog, contrato) {
        Ok(ids) => ids,
        Err(message) => return again(contrato.clauses.clone(), message, false).await,
    };
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.trim().parse().ok())
        // Missing or mangled: a version no checklist has, refused as stale.
        .unwrap_or(u64::MAX);
    let command = ContratoCommand::RecordClauseChecklist {
        actor: user.actor(),
        clause_ids: ids.clone(),
        expected_version: version,
    };
    let result = app.commands.contrato(&id, command, user.metadata()).await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            let mut after = contrato.clone();
            after.clauses = ids;
            let missing = missing(&catalog, &after).len();
            let text = match missing {
                0 => "Lista de cláusulas guardada.".to_string(),
                1 => "Lista de cláusulas guardada. Falta 1 cláusula obligatoria.".to_string(),
                n => format!("Lista de cláusulas guardada. Faltan {n} cláusulas obligatorias."),
            };
            let flash = if missing == 0 {
                Flash::exito(text)
            } else {
                Flash::aviso(text)
            };
            done(&ctx.session, flash, &format!("/contratos/{id}/clausulas")).await
        }
        Outcome::Refused(message) => again(ids, message, false).await?,
        Outcome::Conflict => {
            again(
                ids,
                "Otra persona guardó la lista de cláusulas mientras usted la editaba. Abajo está lo que usted marcó; la lista guardada ahora está en el historial. Revise y vuelva a guardar.".to_string(),
                true,
            )
            .await?
        }
        Outcome::Failed(response) => response,
    })
}
