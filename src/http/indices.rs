//! IPC / salario mínimo: yearly values, recording one, the contracts pending adjustment, and the
//! adjustment calculation (preview from the domain) with its confirmation.

use arriendo_events::{Contrato, ContratoCommand, IndexKind, IndiceCommand, Percentage};
use arriendo_projections::plausibility;
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::layout::Flash;
use arriendo_views::pages::indices::{
    self as views, AdjustForm, AdjustmentPage, IndexForm, IndexRow, IndicesPage, rule_label,
    seen_value,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::CurrentUser;
use super::page_error::{OrServerError, PageResult};
use super::respuestas::{
    CONFLICT, Outcome, can_write, done, existing_contract, invalid, outcome, parse_date, required,
    sentence, unprocessable,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::{App, today};
use crate::queries;
use crate::read_models::IndexValueRow;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/indices", Access::Authenticated, page),
        Route::post("/indices", Access::Write, record),
        Route::get("/indices/ajustes/{id}", Access::Authenticated, calculate),
        Route::post("/indices/ajustes/{id}", Access::Write, confirm),
    ]
}

fn kind_of(slug: &str) -> Option<IndexKind> {
    match slug {
        "ipc" => Some(IndexKind::Ipc),
        "salario_minimo" => Some(IndexKind::SalarioMinimo),
        _ => None,
    }
}

async fn render_page(app: &App, ctx: &Ctx, form: &IndexForm) -> PageResult {
    let values = queries::indices::values(&app.db).await.or_500(&ctx.page)?;
    let pending = queries::indices::pending_adjustments(&app.db)
        .await
        .or_500(&ctx.page)?;
    let row = |v: &IndexValueRow| IndexRow {
        year: i32::try_from(v.year).unwrap_or_default(),
        value: v
            .value
            .parse::<Decimal>()
            .map(format::percent)
            .unwrap_or_else(|_| v.value.clone()),
    };
    let ipc: Vec<IndexRow> = values.iter().filter(|v| v.kind == "ipc").map(row).collect();
    let salario: Vec<IndexRow> = values
        .iter()
        .filter(|v| v.kind == "salario_minimo")
        .map(row)
        .collect();
    Ok(views::indices_page(
        &ctx.page,
        &IndicesPage {
            ipc: &ipc,
            salario_minimo: &salario,
            pending: &pending,
            form,
            can_write: can_write(ctx),
        },
    )
    .into_response())
}

async fn page(State(app): State<App>, ctx: Ctx) -> PageResult {
    let form = IndexForm {
        indice: "ipc".into(),
        anio: (today().year() - 1).to_string(),
        ..IndexForm::default()
    };
    render_page(&app, &ctx, &form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IndexFields {
    indice: String,
    anio: String,
    valor: String,
    confirmar: String,
    vistos: String,
}

/// The safety net on index values: the warning when `value` is far from the `kind` value on
/// file for `year` (a correction) or, when that year has none yet, for the year before.
async fn far_from_file(
    app: &App,
    kind: IndexKind,
    year: i32,
    value: Percentage,
) -> Result<Option<String>, crate::store::StoreError> {
    let name = match kind {
        IndexKind::Ipc => "IPC",
        IndexKind::SalarioMinimo => "incremento del salario mínimo",
    };
    for y in [year, year - 1] {
        let on_file = queries::indices::value(&app.db, kind.stream_id(), i64::from(y)).await?;
        if let Some(on_file) = on_file.and_then(|v| v.parse::<Decimal>().ok()) {
            let on_file = Percentage::new(on_file).unwrap_or_default();
            return Ok(plausibility::index_warning(value, on_file, name, y));
        }
    }
    Ok(None)
}

/// The command for a submitted form: a revision checked against the value the page showed for that
/// year, or (a client that sent no snapshot) a plain record.
fn revision(
    actor: &arriendo_events::Actor,
    fields: &IndexFields,
    kind: IndexKind,
    year: i32,
    value: Percentage,
) -> IndiceCommand {
    if fields.vistos.trim().is_empty() {
        return IndiceCommand::RecordIndexValue {
            actor: actor.clone(),
            kind,
            year,
            value,
        };
    }
    let seen = seen_value(&fields.vistos, &fields.indice, year)
        .and_then(|shown| Percentage::parse(shown.trim_end_matches('%').trim()).ok());
    IndiceCommand::ReviseIndexValue {
        actor: actor.clone(),
        kind,
        year,
        value,
        seen,
    }
}

fn confirmed(text: &str) -> bool {
    !text.is_empty() && text != "false"
}

async fn record(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Form(fields): Form<IndexFields>,
) -> PageResult {
    let mut e = FormErrors::new();
    let kind = kind_of(&fields.indice);
    if kind.is_none() {
        e.add("indice", "Elija el índice.");
    }
    let year = fields.anio.trim().parse::<i32>().ok();
    if year.is_none() {
        e.add("anio", "Indique el año (por ejemplo 2025).");
    }
    let value = required(
        &mut e,
        "valor",
        "el valor",
        &fields.valor,
        Percentage::parse,
    );
    let form = |errors: FormErrors| IndexForm {
        indice: fields.indice.clone(),
        anio: fields.anio.clone(),
        valor: fields.valor.clone(),
        errors,
        warning: None,
        vistos: fields.vistos.clone(),
    };
    let (Some(kind), Some(year), Some(value)) = (kind, year, value) else {
        return Ok(unprocessable(render_page(&app, &ctx, &form(e)).await?));
    };
    if !confirmed(&fields.confirmar)
        && let Some(warning) = far_from_file(&app, kind, year, value)
            .await
            .or_500(&ctx.page)?
    {
        let form = IndexForm {
            warning: Some(sentence(&warning)),
            ..form(FormErrors::new())
        };
        return Ok(unprocessable(render_page(&app, &ctx, &form).await?));
    }
    let result = app
        .commands
        .indice(
            kind.stream_id(),
            revision(&user.actor(), &fields, kind, year, value),
            user.metadata(),
        )
        .await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(format!("Valor de {kind} {year} registrado: {value}.")),
                "/indices",
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            errors.add("anio", message);
            unprocessable(render_page(&app, &ctx, &form(errors)).await?)
        }
        Outcome::Conflict => {
            let mut errors = FormErrors::new();
            errors.add(
                "anio",
                format!(
                    "El valor de {kind} {year} cambió mientras lo editaba: revise el valor registrado y envíe de nuevo."
                ),
            );
            // Shown again with the values on file now, so sending it again is a deliberate choice.
            let fresh = IndexForm {
                vistos: String::new(),
                ..form(errors)
            };
            unprocessable(render_page(&app, &ctx, &fresh).await?)
        }
        Outcome::Failed(response) => response,
    })
}

// ---------------------------------------------------------------------------------------------------
// Adjustment: calculate (GET, changes nothing) and confirm (POST)

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdjustFields {
    anio: String,
    valor: String,
    fecha: String,
    confirmar: String,
}

/// Parses the three fields; the errors beside them otherwise.
fn parse_adjust(fields: &AdjustFields) -> Result<(i32, Percentage, chrono::NaiveDate), FormErrors> {
    let mut e = FormErrors::new();
    let year = fields.anio.trim().parse::<i32>().ok();
    if year.is_none() {
        e.add("anio", "Indique el año del ajuste.");
    }
    let value = required(
        &mut e,
        "valor",
        "el valor del índice",
        &fields.valor,
        Percentage::parse,
    );
    let date = required(
        &mut e,
        "fecha",
        "la fecha efectiva",
        &fields.fecha,
        parse_date,
    );
    match (year, value, date) {
        (Some(y), Some(v), Some(d)) => Ok((y, v, d)),
        _ => Err(e),
    }
}

fn render_adjustment(
    ctx: &Ctx,
    id: &str,
    c: &Contrato,
    user: Option<&CurrentUser>,
    form: &AdjustForm,
    try_preview: bool,
) -> Response {
    let rule = c
        .adjustment_rule_in_force(today())
        .map(|r| rule_label(&r.index));
    let mut form = form.clone();
    let mut preview = None;
    let mut reliquidacion = Vec::new();
    // A missing confirmation still shows the calculation it is about.
    if try_preview && form.errors.iter().all(|e| e.field == "confirmar") {
        let fields = AdjustFields {
            anio: form.anio.clone(),
            valor: form.valor.clone(),
            fecha: form.fecha.clone(),
            confirmar: String::new(),
        };
        match parse_adjust(&fields) {
            Ok((year, value, date)) => {
                let actor = user.map(CurrentUser::actor).unwrap_or_else(|| {
                    arriendo_events::Actor::new("consulta", arriendo_events::Role::Auditor)
                });
                match c.preview_canon_adjustment(&actor, year, value, date) {
                    Ok(p) => {
                        reliquidacion = c.preview_reliquidacion(&p);
                        preview = Some(p);
                    }
                    Err(err) => form.errors.add("", sentence(&err.to_string())),
                }
            }
            Err(errors) => form.errors = errors,
        }
    }
    let markup = views::adjustment_page(
        &ctx.page,
        &AdjustmentPage {
            contract_id: id,
            contract_number: c.number(),
            rule,
            form: &form,
            preview: preview.as_ref(),
            reliquidacion: &reliquidacion,
            can_write: can_write(ctx),
        },
    );
    if form.errors.is_empty() {
        markup.into_response()
    } else {
        invalid(markup)
    }
}

async fn calculate(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(fields): Query<AdjustFields>,
) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let mut form = AdjustForm {
        anio: fields.anio.clone(),
        valor: fields.valor.clone(),
        fecha: fields.fecha.clone(),
        errors: FormErrors::new(),
        warning: None,
    };
    // Suggest the published value of the year before (IPC 2025 for the 2026 adjustment).
    if form.valor.trim().is_empty()
        && let (Ok(year), Some(rule)) = (
            form.anio.trim().parse::<i64>(),
            c.adjustment_rule_in_force(today()),
        )
        && let Some(v) = queries::indices::value(&app.db, rule.index.kind().stream_id(), year - 1)
            .await
            .or_500(&ctx.page)?
    {
        form.valor = v.replace('.', ",");
    }
    let complete = ![&form.anio, &form.valor, &form.fecha]
        .iter()
        .any(|v| v.trim().is_empty());
    form.warning = adjust_warning(&app, &c, &form).await.or_500(&ctx.page)?;
    Ok(render_adjustment(
        &ctx,
        &id,
        &c,
        ctx.user.as_ref(),
        &form,
        complete,
    ))
}

/// The index value typed for an adjustment against the one on file for the year before.
async fn adjust_warning(
    app: &App,
    c: &Contrato,
    form: &AdjustForm,
) -> Result<Option<String>, crate::store::StoreError> {
    let (Ok(year), Ok(value), Some(rule)) = (
        form.anio.trim().parse::<i32>(),
        Percentage::parse(&form.valor),
        c.adjustment_rule_in_force(today()),
    ) else {
        return Ok(None);
    };
    let warning = far_from_file(app, rule.index.kind(), year - 1, value).await?;
    Ok(warning.map(|w| sentence(&w)))
}

async fn confirm(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<AdjustFields>,
) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let mut form = AdjustForm {
        anio: fields.anio.clone(),
        valor: fields.valor.clone(),
        fecha: fields.fecha.clone(),
        errors: FormErrors::new(),
        warning: None,
    };
    form.warning = adjust_warning(&app, &c, &form).await.or_500(&ctx.page)?;
    let (year, index_value, effective_date) = match parse_adjust(&fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let form = AdjustForm { errors, ..form };
            return Ok(render_adjustment(&ctx, &id, &c, Some(&user), &form, false));
        }
    };
    // Changing the canon is confirmed explicitly, on the page that shows the new canon.
    if !confirmed(&fields.confirmar) {
        form.errors.add(
            "confirmar",
            "Marque la casilla para confirmar el nuevo canon.",
        );
        return Ok(render_adjustment(&ctx, &id, &c, Some(&user), &form, true));
    }
    // What the confirmation page showed: the months already billed that the adjustment changes.
    let reliquidated = c
        .preview_canon_adjustment(&user.actor(), year, index_value, effective_date)
        .map(|a| c.preview_reliquidacion(&a))
        .unwrap_or_default();
    let result = app
        .commands
        .contrato(
            &id,
            ContratoCommand::RecordCanonAdjustment {
                actor: user.actor(),
                year,
                index_value,
                effective_date,
            },
            user.metadata(),
        )
        .await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            let number = c.number().to_string();
            let reliquidacion = match reliquidated.len() {
                0 => String::new(),
                1 => " Se registró la reliquidación de 1 mes ya facturado.".to_string(),
                n => format!(" Se registró la reliquidación de {n} meses ya facturados."),
            };
            done(
                &ctx.session,
                Flash::exito(format!(
                    "Ajuste {year} del contrato {number} registrado.{reliquidacion}"
                )),
                &format!("/contratos/{id}"),
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut form = form;
            form.errors.add("", message);
            render_adjustment(&ctx, &id, &c, Some(&user), &form, false)
        }
        Outcome::Conflict => {
            let current = existing_contract(&app, &ctx, &id).await?;
            let mut form = form;
            form.errors.add("", CONFLICT);
            render_adjustment(&ctx, &id, &current, Some(&user), &form, false)
        }
        Outcome::Failed(response) => response,
    })
}
