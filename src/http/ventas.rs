//! Informes de ventas: the list, register a month, the detail of one month with the billing
//! computed, and mark delivered / pending.

use arriendo_events::{
    Contrato, ContratoCommand, ContratoPart, Money, SalesReportStatus, YearMonth,
};
use arriendo_projections::billing::billing_for_month;
use arriendo_projections::plausibility;
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::layout::Flash;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::ventas::{
    self as views, DeliverForm, NewReportForm, SalesDetail, SalesFilters, SalesList, period_label,
    report_href,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;

use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{
    CONFLICT, Outcome, can_write, conflict, done, existing_contract, invalid, not_found, optional,
    outcome, page_number, parse_date, raw_query, required, unprocessable,
};
use super::security::{Access, Ctx, RequireWrite, Route};
use crate::app::{App, today};
use crate::queries;
use crate::queries::filters::PER_PAGE;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/informes-ventas", Access::Authenticated, list),
        Route::get(
            "/contratos/{id}/informes-ventas/nuevo",
            Access::Write,
            new_form,
        ),
        Route::post(
            "/contratos/{id}/informes-ventas/nuevo",
            Access::Write,
            register,
        ),
        Route::get(
            "/contratos/{id}/informes-ventas/{year}/{month}",
            Access::Authenticated,
            detail,
        ),
        Route::post(
            "/contratos/{id}/informes-ventas/{year}/{month}/entregar",
            Access::Write,
            deliver,
        ),
        Route::post(
            "/contratos/{id}/informes-ventas/{year}/{month}/pendiente",
            Access::Write,
            mark_pending,
        ),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    estado: String,
    vencido: String,
    contrato: String,
    mes: String,
    anio: String,
    pagina: Option<String>,
}

async fn list(
    State(app): State<App>,
    ctx: Ctx,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let page = page_number(query.pagina);
    let filters = SalesFilters {
        estado: query.estado,
        vencido: query.vencido,
        contrato: query.contrato,
        mes: query.mes,
        anio: query.anio,
    };
    let contract_number = if filters.contrato.is_empty() {
        None
    } else {
        queries::catalogos::contract_number(&app.db, &filters.contrato)
            .await
            .or_500(&ctx.page)?
    };
    let (rows, total) = queries::ventas::list(&app.db, &filters, page)
        .await
        .or_500(&ctx.page)?;
    let list = SalesList {
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
    Ok(views::list_page(&ctx.page, &list).into_response())
}

// ---------------------------------------------------------------------------------------------------
// Register

async fn new_form(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let proposed = proposed_month(&c, today());
    let form = NewReportForm {
        anio: proposed.year().to_string(),
        mes: proposed.month().to_string(),
        term: term_phrase(&c),
        ..NewReportForm::default()
    };
    Ok(views::new_page(&ctx.page, &id, c.number(), &form).into_response())
}

/// The month just closed is the usual one to register, kept within the contract's term: a
/// contract that starts on 01/12/2026 is offered December 2026, never November.
fn proposed_month(c: &Contrato, today: chrono::NaiveDate) -> YearMonth {
    let this_month = YearMonth::of(today);
    let last_closed = this_month
        .first_day()
        .pred_opt()
        .map_or(this_month, YearMonth::of);
    match c.term() {
        Some((start, end)) => last_closed
            .min(YearMonth::of(end))
            .max(YearMonth::of(start)),
        None => last_closed,
    }
}

/// `de diciembre de 2026 a noviembre de 2029`.
fn term_phrase(c: &Contrato) -> Option<String> {
    let (start, end) = c.term()?;
    Some(format!(
        "de {} a {}",
        format::month_year(start.year(), start.month()),
        format::month_year(end.year(), end.month())
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewFields {
    anio: String,
    mes: String,
    plazo: String,
}

async fn register(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<NewFields>,
) -> PageResult {
    let c = existing_contract(&app, &ctx, &id).await?;
    let again = |errors: FormErrors| {
        let form = NewReportForm {
            anio: fields.anio.clone(),
            mes: fields.mes.clone(),
            plazo: fields.plazo.clone(),
            term: term_phrase(&c),
            errors,
        };
        invalid(views::new_page(&ctx.page, &id, c.number(), &form))
    };
    let mut e = FormErrors::new();
    let year = fields.anio.trim().parse::<i32>().ok();
    if year.is_none() {
        e.add("anio", "Indique el año (por ejemplo 2026).");
    }
    let month = fields
        .mes
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=12).contains(m));
    if month.is_none() {
        e.add("mes", "Elija el mes.");
    }
    let deadline = optional(&mut e, "plazo", &fields.plazo, parse_date);
    let period = match (year, month) {
        (Some(y), Some(m)) => match YearMonth::new(y, m) {
            Ok(p) => Some(p),
            Err(err) => {
                e.add("anio", super::respuestas::sentence(&err.to_string()));
                None
            }
        },
        _ => None,
    };
    let Some(period) = period.filter(|_| e.is_empty()) else {
        return Ok(again(e));
    };
    let result = app
        .commands
        .contrato(
            &id,
            ContratoCommand::RegisterSalesReport {
                actor: user.actor(),
                period,
                deadline,
            },
            user.metadata(),
        )
        .await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito(format!(
                    "Informe de ventas de {} registrado.",
                    period_label(period.year(), period.month())
                )),
                &report_href(&id, period.year(), period.month()),
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            errors.add("mes", message);
            again(errors)
        }
        Outcome::Conflict => {
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT);
            again(errors)
        }
        Outcome::Failed(response) => response,
    })
}

// ---------------------------------------------------------------------------------------------------
// Detail, deliver, pending

fn period_of(year: &str, month: &str) -> Option<YearMonth> {
    YearMonth::new(year.parse().ok()?, month.parse().ok()?).ok()
}

fn render(ctx: &Ctx, id: &str, c: &Contrato, period: YearMonth, deliver: &DeliverForm) -> Response {
    let Some(report) = c.find_sales_report(period) else {
        return not_found(&ctx.page);
    };
    let billing = match report.status {
        SalesReportStatus::Entregado { .. } => Some(
            billing_for_month(c, period).map_err(|e| super::respuestas::sentence(&e.to_string())),
        ),
        SalesReportStatus::Pendiente => None,
    };
    let detail = SalesDetail {
        contract_id: id,
        contract_number: c.number(),
        report,
        billing,
        deliver,
        today: today(),
        can_write: can_write(ctx),
    };
    views::detail_page(&ctx.page, &detail).into_response()
}

fn deliver_defaults(c: &Contrato, period: YearMonth) -> DeliverForm {
    let version = c.versions.of(ContratoPart::SalesReport(period)).to_string();
    let form = match c.find_sales_report(period).map(|r| r.status) {
        Some(SalesReportStatus::Entregado {
            date,
            gross_sales,
            returns,
        }) => DeliverForm {
            fecha: format::date_input(date),
            ventas_brutas: format::money_input(gross_sales.pesos()),
            devoluciones: format::money_input(returns.pesos()),
            ..DeliverForm::default()
        },
        _ => DeliverForm {
            fecha: format::date_input(today()),
            devoluciones: "0".into(),
            ..DeliverForm::default()
        },
    };
    DeliverForm { version, ..form }
}

/// The contract as its stream says now: the report page shows the report and carries its
/// version from this one read, since it holds the form that corrects it.
async fn from_stream(app: &App, ctx: &Ctx, id: &str) -> Result<Contrato, PageError> {
    app.commands
        .load_contrato(id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)
}

async fn detail(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, year, month)): Path<(String, String, String)>,
) -> PageResult {
    let Some(period) = period_of(&year, &month) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let c = from_stream(&app, &ctx, &id).await?;
    Ok(render(&ctx, &id, &c, period, &deliver_defaults(&c, period)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeliverFields {
    fecha: String,
    ventas_brutas: String,
    devoluciones: String,
    version: String,
    confirmar: String,
}

async fn deliver(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path((id, year, month)): Path<(String, String, String)>,
    Form(fields): Form<DeliverFields>,
) -> PageResult {
    let Some(period) = period_of(&year, &month) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let c = existing_contract(&app, &ctx, &id).await?;
    let form = |errors: FormErrors| DeliverForm {
        fecha: fields.fecha.clone(),
        ventas_brutas: fields.ventas_brutas.clone(),
        devoluciones: fields.devoluciones.clone(),
        errors,
        version: fields.version.clone(),
        warnings: Vec::new(),
    };
    let mut e = FormErrors::new();
    let date = required(
        &mut e,
        "fecha",
        "la fecha de entrega",
        &fields.fecha,
        parse_date,
    );
    let gross = required(
        &mut e,
        "ventas_brutas",
        "las ventas brutas",
        &fields.ventas_brutas,
        Money::parse,
    );
    let returns =
        optional(&mut e, "devoluciones", &fields.devoluciones, Money::parse).unwrap_or(Money::ZERO);
    let (Some(date), Some(gross_sales)) = (date, gross) else {
        return Ok(unprocessable(render(&ctx, &id, &c, period, &form(e))));
    };
    if !e.is_empty() {
        return Ok(unprocessable(render(&ctx, &id, &c, period, &form(e))));
    }
    // Safety net: a future date, an unfinished month or implausible sales are confirmed first.
    if fields.confirmar.is_empty() {
        let net = gross_sales.saturating_sub(returns);
        let warnings = plausibility::sales_report_warnings(&c, period, date, net, today());
        if !warnings.is_empty() {
            let form = DeliverForm {
                warnings: warnings
                    .iter()
                    .map(|w| super::respuestas::sentence(w))
                    .collect(),
                ..form(FormErrors::new())
            };
            return Ok(unprocessable(render(&ctx, &id, &c, period, &form)));
        }
    }
    let result = app
        .commands
        .contrato(
            &id,
            ContratoCommand::MarkSalesReportDelivered {
                actor: user.actor(),
                period,
                date,
                gross_sales,
                returns,
                // Missing or mangled reads as 0, which no registered report has: refused as stale.
                expected_version: fields.version.trim().parse().unwrap_or(0),
            },
            user.metadata(),
        )
        .await;
    let href = report_href(&id, period.year(), period.month());
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito("Informe marcado como entregado; la facturación quedó calculada."),
                &href,
            )
            .await
        }
        Outcome::Refused(message) => {
            let mut errors = FormErrors::new();
            let field = if message.contains("devoluciones") {
                "devoluciones"
            } else {
                ""
            };
            errors.add(field, message);
            unprocessable(render(&ctx, &id, &c, period, &form(errors)))
        }
        Outcome::Conflict => {
            // The page shows the report as stored now; the form keeps what the user typed and
            // takes the current version, so saving again is a deliberate overwrite.
            let current = from_stream(&app, &ctx, &id).await?;
            let mut errors = FormErrors::new();
            errors.add("", CONFLICT.replace("El contrato", "El informe de ventas"));
            let typed = DeliverForm {
                version: deliver_defaults(&current, period).version,
                ..form(errors)
            };
            conflict(render(&ctx, &id, &current, period, &typed))
        }
        Outcome::Failed(response) => response,
    })
}

async fn mark_pending(
    State(app): State<App>,
    RequireWrite(user): RequireWrite,
    ctx: Ctx,
    Path((id, year, month)): Path<(String, String, String)>,
) -> PageResult {
    let period = period_of(&year, &month).or_404(&ctx.page)?;
    existing_contract(&app, &ctx, &id).await?;
    let result = app
        .commands
        .contrato(
            &id,
            ContratoCommand::MarkSalesReportPending {
                actor: user.actor(),
                period,
            },
            user.metadata(),
        )
        .await;
    let href = report_href(&id, period.year(), period.month());
    let flash = match outcome(&app, &ctx.page, result).await {
        Outcome::Done => Flash::exito("Informe marcado como pendiente."),
        Outcome::Refused(message) => Flash::error(message),
        Outcome::Conflict => Flash::error(CONFLICT),
        Outcome::Failed(response) => return Err(response.into()),
    };
    Ok(done(&ctx.session, flash, &href).await)
}
