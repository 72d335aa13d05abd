//! `/contratos/{id}`: the contract page, computed from the stored aggregate with the projections
//! functions (terms in force, pólizas, billing, canon schedule) plus its alerts and history rows.

use arriendo_projections::billing::billings;
use arriendo_projections::polizas::poliza_views;
use arriendo_projections::schedule::canon_schedule;
use arriendo_views::components::{FormErrors, TimelineEntry};
use arriendo_views::pages::contrato_detail::{ContratoDetail, contrato_page};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::load;
use crate::app::{App, today};
use crate::http::respuestas::{can_write, server_error};
use crate::http::security::Ctx;
use crate::queries;

pub async fn show(State(app): State<App>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let loaded = match load(&app, &ctx.page, &id).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let extra = async {
        Ok::<_, crate::store::StoreError>((
            queries::contratos::contract_alerts(&app.db, &id).await?,
            queries::indices(&app.db).await?,
            queries::history(&app.db, "contrato", &id).await?,
        ))
    }
    .await;
    let (alerts, indices, history) = match extra {
        Ok(x) => x,
        Err(e) => return server_error(&ctx.page, e),
    };
    let day = today();
    let polizas = poliza_views(&loaded.contrato, day);
    let bills = billings(&loaded.contrato);
    let schedule = canon_schedule(&loaded.contrato, &indices);
    let timeline: Vec<TimelineEntry> = history
        .into_iter()
        .rev()
        .map(|h| TimelineEntry {
            when: h
                .recorded_at
                .with_timezone(&chrono_tz::America::Bogota)
                .naive_local(),
            who: h.actor,
            sentence: h.summary,
        })
        .collect();
    let is_admin = ctx.user.as_ref().is_some_and(|u| u.is_admin());
    contrato_page(
        &ctx.page,
        &ContratoDetail {
            id: &id,
            contrato: &loaded.contrato,
            vigente: &loaded.vigente,
            tercero_name: &loaded.tercero_name,
            local_name: loaded.local_name.as_deref(),
            status: &loaded.status,
            alerts: &alerts,
            polizas: &polizas,
            billings: &bills,
            schedule: &schedule,
            history: &timeline,
            today: day,
            can_write: can_write(&ctx),
            is_admin,
            errors: &FormErrors::new(),
            note: "",
        },
    )
    .into_response()
}
