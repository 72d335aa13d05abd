//! `/contratos/{id}`: the contract page, computed from the stored aggregate with the projections
//! functions (terms in force, pólizas, billing, canon schedule) plus its alerts and history rows.
//! With `?vigente=D` it shows the terms, pólizas, billing and alerts as they applied on D; with
//! `?registrado=T` only the events recorded up to T (what a manager saw that day); both together.

use arriendo_events::Contrato;
use arriendo_projections::alerts::contract_alerts;
use arriendo_projections::billing::billings;
use arriendo_projections::polizas::poliza_views;
use arriendo_projections::schedule::canon_schedule;
use arriendo_projections::vigente;
use arriendo_views::components::{FormErrors, TimelineEntry};
use arriendo_views::pages::contrato_detail::{ContratoDetail, PastView, Printed, contrato_page};
use arriendo_views::pages::dashboard::AlertRow;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::Deserialize;

use super::load;
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::http::lecturas::{self, Reader};
use crate::http::page_error::{OrServerError, PageError, PageResult};
use crate::http::respuestas::{can_write, parse_date, unprocessable};
use crate::http::security::Ctx;
use crate::queries;
use crate::queries::time_travel;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TimeTravel {
    vigente: String,
    registrado: String,
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Path(id): Path<String>,
    Query(tt): Query<TimeTravel>,
) -> PageResult {
    render(app, ctx, reader, id, tt, false).await
}

/// `/contratos/{id}/imprimir`: the same page (on the same day and moment) with every event of the
/// history and no forms, for the browser's «Guardar como PDF».
pub async fn print(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Path(id): Path<String>,
    Query(tt): Query<TimeTravel>,
) -> PageResult {
    render(app, ctx, reader, id, tt, true).await
}

/// What a read of the past says in the trail: the day and moment asked for.
fn read_detail(tt: &TimeTravel) -> String {
    let mut parts = Vec::new();
    if !tt.vigente.trim().is_empty() {
        parts.push(format!("en vigor el {}", tt.vigente.trim()));
    }
    if !tt.registrado.trim().is_empty() {
        parts.push(format!("según lo registrado al {}", tt.registrado.trim()));
    }
    if parts.is_empty() {
        "hoy".to_string()
    } else {
        parts.join("; ")
    }
}

async fn render(
    app: App,
    ctx: Ctx,
    reader: Reader,
    id: String,
    tt: TimeTravel,
    printing: bool,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let past = past_view(&tt);
    let asked_for_past = !tt.vigente.trim().is_empty() || !tt.registrado.trim().is_empty();
    let valid_past = asked_for_past && past.errors.is_empty();
    let recorded_up_to = valid_past
        .then(|| time_travel::recorded_limit(&tt.registrado))
        .flatten();
    let day = past
        .in_force_on
        .filter(|_| valid_past)
        .unwrap_or_else(today);

    let extra = async {
        let contrato = match recorded_up_to {
            Some(limit) => time_travel::contract_as_recorded(&app.db, &id, limit).await?,
            None => Some(loaded.contrato.clone()),
        };
        Ok::<_, crate::store::StoreError>((
            contrato,
            // A past view computes its alerts for its day below; the stored ones are today's.
            if valid_past {
                Vec::new()
            } else {
                queries::contratos::contract_alerts(&app.db, &id).await?
            },
            queries::indices(&app.db).await?,
            queries::history(&app.db, "contrato", &id).await?,
            queries::clausulas::catalog(&app.db).await?,
        ))
    }
    .await;
    let (contrato, stored_alerts, indices, history, catalog) = extra.or_500(&ctx.page)?;
    // Recorded later than the moment asked for, or not yet in force on the day: nothing to show.
    let Some(contrato) = contrato else {
        return Err(PageError::not_found(&ctx.page));
    };
    let Some(in_force) = vigente(&contrato, day) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let alerts = if valid_past {
        alerts_on(&id, &contrato, day, &loaded.tercero_name)
    } else {
        stored_alerts
    };
    let polizas = poliza_views(&contrato, day);
    let bills = billings(&contrato);
    let schedule = canon_schedule(&contrato, &indices);
    let timeline: Vec<TimelineEntry> = history
        .into_iter()
        .filter(|h| recorded_up_to.is_none_or(|limit| h.recorded_at <= limit))
        .rev()
        .map(|h| TimelineEntry {
            when: h
                .recorded_at
                .with_timezone(&chrono_tz::America::Bogota)
                .naive_local(),
            who: h.actor,
            sentence: h.summary,
            href: Some(format!("/auditoria/eventos/{}", h.position)),
        })
        .collect();
    let is_admin = ctx.user.as_ref().is_some_and(|u| u.is_admin());
    let kind = if printing {
        Some(ReadKind::Print)
    } else {
        valid_past.then_some(ReadKind::TimeTravel)
    };
    if let Some(kind) = kind {
        let target = contrato.number().to_string();
        lecturas::record(&app, &ctx, &reader, kind, &target, &read_detail(&tt)).await?;
    }
    let company = if printing {
        queries::empresa::header(&app.db).await.or_500(&ctx.page)?
    } else {
        None
    };
    let printed = printing.then(|| Printed {
        by: reader.username.clone(),
        at: crate::export::bogota_label(chrono::Utc::now()),
        company,
    });
    let (type_line, clauses_line) = clause_lines(&contrato, &catalog);
    let page = contrato_page(
        &ctx.page,
        &ContratoDetail {
            id: &id,
            contrato: &contrato,
            vigente: &in_force,
            tercero_name: &loaded.tercero_name,
            local_name: loaded.local_name.as_deref(),
            status: &loaded.status,
            alerts: &alerts,
            polizas: &polizas,
            billings: &bills,
            schedule: &schedule,
            history: &timeline,
            today: day,
            can_write: can_write(&ctx) && !valid_past && !printing,
            is_admin: is_admin && !valid_past && !printing,
            errors: &FormErrors::new(),
            note: "",
            past: asked_for_past.then_some(&past),
            printed: printed.as_ref(),
            type_line: &type_line,
            clauses_line: &clauses_line,
        },
    )
    .into_response();
    Ok(if asked_for_past && !valid_past {
        unprocessable(page)
    } else {
        page
    })
}

/// The time-travel fields as typed, read; errors stay on the view, beside each field.
fn past_view(tt: &TimeTravel) -> PastView {
    let mut past = PastView {
        vigente_typed: tt.vigente.trim().to_string(),
        registrado_typed: tt.registrado.trim().to_string(),
        ..PastView::default()
    };
    if !past.vigente_typed.is_empty() {
        match parse_date(&past.vigente_typed) {
            Ok(day) => past.in_force_on = Some(day),
            Err(e) => past.errors.add("vigente", e.to_string()),
        }
    }
    if !past.registrado_typed.is_empty() {
        match time_travel::bogota_moment(&past.registrado_typed) {
            Some(local) => {
                past.recorded_up_to = Some(past.registrado_typed.clone());
                past.recorded_up_to_label = Some(local.format("%d/%m/%Y %H:%M:%S").to_string());
            }
            None => past.errors.add(
                "registrado",
                "Escriba fecha y hora como 2026-02-15T10:00 (o solo la fecha: hasta el final de ese día).",
            ),
        }
    }
    past
}

/// The contract's alerts as they stood on `day`, computed like the projector computes today's.
fn alerts_on(id: &str, contrato: &Contrato, day: NaiveDate, tercero: &str) -> Vec<AlertRow> {
    let Ok(uuid) = uuid::Uuid::parse_str(id) else {
        return Vec::new();
    };
    contract_alerts(uuid, contrato, day)
        .into_iter()
        .map(|a| AlertRow::from_alert(a, Some(id.to_string()), tercero))
        .collect()
}

/// The contract's type as a line («Tipo de contrato: BODEGAS», empty without one) and what its
/// clause checklist lacks.
fn clause_lines(
    contrato: &arriendo_events::Contrato,
    catalog: &arriendo_events::Catalogos,
) -> (String, String) {
    let type_line = contrato
        .terms
        .as_ref()
        .and_then(|t| t.type_id)
        .and_then(|id| catalog.find_type(id))
        .map(|t| {
            let inactive = if t.active { "" } else { " (inactivo)" };
            match t.catalog {
                arriendo_events::TypeCatalog::Contrato => {
                    format!("Tipo de contrato: {}{inactive}", t.name)
                }
                arriendo_events::TypeCatalog::Servicio => {
                    format!("Tipo de servicio: {}{inactive}", t.name)
                }
            }
        })
        .unwrap_or_default();
    let missing = arriendo_projections::clausulas::missing(catalog, contrato);
    let clauses_line = match missing.len() {
        0 if contrato.clauses.is_empty() => "sin lista registrada".to_string(),
        0 => format!(
            "{} registradas, ninguna obligatoria falta",
            contrato.clauses.len()
        ),
        n => format!(
            "falta{} {n} obligatoria{}: {}",
            if n == 1 { "" } else { "n" },
            if n == 1 { "" } else { "s" },
            missing
                .iter()
                .map(|c| c.data.title.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (type_line, clauses_line)
}
