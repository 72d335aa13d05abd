//! `/contratos/{id}/comparar`: two points of one contract side by side, changed rows highlighted.
//! Two dates (`?a=D1&b=D2`): the terms, pólizas and money in force on each. Two events
//! (`?ea=P1&eb=P2&fecha=D`): the contract as recorded right after each event, both read on D — what
//! an edit or an approval changed. Every comparison is recorded in the trail of reads.

use arriendo_events::{Contrato, ContratoEvent, YearMonth};
use arriendo_projections::billing::billings;
use arriendo_projections::polizas::poliza_views;
use arriendo_projections::schedule::{Indices, canon_schedule};
use arriendo_projections::vigente;
use arriendo_views::components::FormErrors;
use arriendo_views::pages::auditoria::{ComparePage, EventChoice, compare_page};
use arriendo_views::pages::contrato_terms::{TermLine, terms_lines};
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::Deserialize;

use super::load;
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::http::lecturas::{self, Reader};
use crate::http::page_error::{OrServerError, PageResult};
use crate::http::respuestas::{parse_date, unprocessable};
use crate::http::security::Ctx;
use crate::queries;
use crate::read_models::payload::typed;
use crate::store::event_log::{self, StoredEvent};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareQuery {
    a: String,
    b: String,
    ea: String,
    eb: String,
    fecha: String,
}

/// One side of the comparison: the contract as known, read on a day.
struct Side {
    label: String,
    contrato: Contrato,
    day: NaiveDate,
}

pub async fn compare(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let (stream, indices) = tokio::try_join!(
        event_log::read_stream(&app.db, "contrato", &id),
        queries::indices(&app.db)
    )
    .or_500(&ctx.page)?;
    let mut errors = FormErrors::new();
    let mut date = |field: &str, typed: &str, default: NaiveDate| {
        if typed.trim().is_empty() {
            return Some(default);
        }
        parse_date(typed)
            .map_err(|e| errors.add(field, e.to_string()))
            .ok()
    };
    let by_events = !q.ea.trim().is_empty() || !q.eb.trim().is_empty();
    let (a, b, on) = if by_events {
        (None, None, date("fecha", &q.fecha, today()))
    } else {
        (
            date("a", &q.a, loaded.vigente.start_date),
            date("b", &q.b, today()),
            None,
        )
    };
    let sides = if by_events {
        let ea = after_event("ea", &q.ea, &stream, &mut errors);
        let eb = after_event("eb", &q.eb, &stream, &mut errors);
        match (ea, eb, on) {
            (Some(ea), Some(eb), Some(on)) => Some((
                Side {
                    label: ea.0,
                    contrato: ea.1,
                    day: on,
                },
                Side {
                    label: eb.0,
                    contrato: eb.1,
                    day: on,
                },
            )),
            _ => None,
        }
    } else {
        match (a, b) {
            (Some(a), Some(b)) => Some((
                Side {
                    label: format!("En vigor el {}", arriendo_views::format::date(a)),
                    contrato: loaded.contrato.clone(),
                    day: a,
                },
                Side {
                    label: format!("En vigor el {}", arriendo_views::format::date(b)),
                    contrato: loaded.contrato.clone(),
                    day: b,
                },
            )),
            _ => None,
        }
    };
    let rows = sides
        .as_ref()
        .map(|(a, b)| compare_rows(a, b, &indices))
        .unwrap_or_default();
    if let Some((side_a, side_b)) = &sides {
        let detail = format!("{} frente a {}", side_a.label, side_b.label);
        let target = loaded.contrato.number().to_string();
        lecturas::record(&app, &ctx, &reader, ReadKind::Compare, &target, &detail).await?;
    }
    let typed = |d: Option<NaiveDate>, t: &str| {
        d.map_or_else(|| t.to_string(), arriendo_views::format::date_input)
    };
    let choices: Vec<EventChoice> = stream
        .iter()
        .map(|e| EventChoice {
            position: e.position,
            label: format!("{} · {}", e.position, sentence(e)),
        })
        .collect();
    let (a_label, b_label) = sides
        .as_ref()
        .map(|(a, b)| (a.label.clone(), b.label.clone()))
        .unwrap_or_default();
    let page = compare_page(
        &ctx.page,
        &ComparePage {
            contract_id: &id,
            contract_number: loaded.contrato.number(),
            a_typed: &typed(a, &q.a),
            b_typed: &typed(b, &q.b),
            ea_typed: q.ea.trim(),
            eb_typed: q.eb.trim(),
            on_typed: &typed(on, &q.fecha),
            by_events,
            events: &choices,
            errors: &errors,
            rows: &rows,
            a_label: &a_label,
            b_label: &b_label,
        },
    )
    .into_response();
    Ok(if errors.is_empty() {
        page
    } else {
        unprocessable(page)
    })
}

fn sentence(e: &StoredEvent) -> String {
    arriendo_projections::history::describe(&e.aggregate_type, &e.payload)
        .unwrap_or_else(|| e.event_type.clone())
}

/// The contract folded from its events up to the one at `chosen` (a position of its stream), with
/// the side's label; `None` (and the error on `field`) when there is no such event.
fn after_event(
    field: &str,
    chosen: &str,
    stream: &[StoredEvent],
    errors: &mut FormErrors,
) -> Option<(String, Contrato)> {
    let position = chosen.trim().parse::<i64>().ok();
    let Some(event) = position.and_then(|p| stream.iter().find(|e| e.position == p)) else {
        errors.add(field, "Elija un evento de este contrato.");
        return None;
    };
    let mut contrato = Contrato::default();
    for stored in stream.iter().take_while(|e| e.position <= event.position) {
        match typed::<ContratoEvent>(stored) {
            Ok(e) => contrato.apply_event(e),
            Err(err) => {
                tracing::error!(error = %err, position = stored.position, "unreadable event in a comparison");
                errors.add(field, "Un evento de este contrato no se puede leer.");
                return None;
            }
        }
    }
    let label = format!(
        "Después del evento {} ({})",
        event.position, event.event_type
    );
    Some((label, contrato))
}

/// The terms (with the document behind each value), then the money and the pólizas, on each side.
fn compare_rows(
    a: &Side,
    b: &Side,
    indices: &Indices,
) -> Vec<(String, Option<String>, Option<String>)> {
    let lines = |s: &Side| {
        vigente(&s.contrato, s.day)
            .map(|v| terms_lines(&v))
            .unwrap_or_default()
    };
    let (on_a, on_b) = (lines(a), lines(b));
    // Escaped HTML, compared as text.
    let shown = |l: &TermLine| {
        maud::html! {
            (l.value)
            @if let Some(source) = &l.source { " (" (source) ")" }
        }
        .into_string()
    };
    let mut rows: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for label in on_a.iter().chain(&on_b).map(|l| l.label) {
        if rows.iter().any(|(l, _, _)| l == label) {
            continue;
        }
        let find = |lines: &[TermLine]| lines.iter().find(|l| l.label == label).map(shown);
        rows.push((label.to_string(), find(&on_a), find(&on_b)));
    }
    rows.push((
        "Canon del mes (calendario)".into(),
        month_canon(a, indices),
        month_canon(b, indices),
    ));
    rows.push((
        "Facturado por ventas hasta ese mes".into(),
        billed_up_to(a),
        billed_up_to(b),
    ));
    rows.push(("Pólizas".into(), polizas(a), polizas(b)));
    rows
}

fn escaped(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

/// The canon schedule's amount for the side's month, with what set it.
fn month_canon(s: &Side, indices: &Indices) -> Option<String> {
    let month = YearMonth::of(s.day);
    let row = canon_schedule(&s.contrato, indices)
        .into_iter()
        .find(|r| r.period == month)?;
    let amount = row
        .amount
        .map_or_else(|| "según ventas".to_string(), |m| m.to_string());
    Some(escaped(&format!("{amount} ({})", row.basis)))
}

/// The sum billed for sales reports of months up to the side's, when there is any.
fn billed_up_to(s: &Side) -> Option<String> {
    let month = YearMonth::of(s.day);
    let bills = billings(&s.contrato);
    let upto: Vec<_> = bills.iter().filter(|b| b.period <= month).collect();
    if upto.is_empty() {
        return None;
    }
    let total = upto.iter().fold(arriendo_events::Money::ZERO, |sum, b| {
        sum.saturating_add(b.billed)
    });
    Some(escaped(&format!("{total} en {} meses", upto.len())))
}

/// Each póliza with its state on the side's day.
fn polizas(s: &Side) -> Option<String> {
    let views = poliza_views(&s.contrato, s.day);
    if views.is_empty() {
        return None;
    }
    let list: Vec<String> = views
        .iter()
        .map(|p| {
            format!(
                "{} {} ({})",
                p.kind,
                p.number,
                p.status.label().to_lowercase()
            )
        })
        .collect();
    Some(escaped(&list.join("; ")))
}
