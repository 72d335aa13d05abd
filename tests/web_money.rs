//! Money that is never wrong (issue 10) over HTTP, on both engines: a month outside the term gets
//! no sales report and is not proposed; a grace month bills no guaranteed minimum; a retroactive
//! adjustment shows its reliquidación before confirming and records it; billing and the canon
//! schedule agree on every month of the demo portfolio.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{Actor, ContratoCommand, PaymentModality, Role, YearMonth};
use arriendo_projections::billing::billing_for_month;
use arriendo_projections::schedule::{Indices, canon_schedule};
use arriendo_views::format;
use auth_support::{Web, location};
use chrono::{Duration, NaiveDate};
use common::{Engine, TestStore};
use web_fixtures::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn grace_and_term_decide_what_a_month_bills(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    // Híbrido $ 12.500.000 at 8 %, starting on the first of this month, with a grace period of
    // this month and the next at canon $ 0 (like 01/12/2026–31/01/2027 in the issue).
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let (id, this_month) = hybrid_in_grace(app, "CT-9300", tercero, today).await;
    let start = this_month.first_day();
    let gus = web.logged_in("gus").await;
    let new = format!("/contratos/{id}/informes-ventas/nuevo");

    // The selector proposes this month, not the month before the start.
    let form = page(gus.get(&new).await, 200).await;
    assert!(
        form.contains(&format!(
            "<option value=\"{}\" selected>",
            this_month.month()
        )),
        "{form}"
    );
    assert!(form.contains("Solo meses dentro de la vigencia del contrato: de "));

    // The month before the start is refused beside the month.
    let before = YearMonth::of(start - Duration::days(1));
    let response = gus
        .post(
            &new,
            &[
                ("anio", &before.year().to_string()),
                ("mes", &before.month().to_string()),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(
        html.contains(&format!(
            "El mes {before} está fuera de la vigencia del contrato CT-9300 (del {} al",
            format::date(start)
        )),
        "{html}"
    );

    // This month, delivered with $ 100.000.000 of sales: 8 % = $ 8.000.000, no minimum.
    let response = gus
        .post(
            &new,
            &[
                ("anio", &this_month.year().to_string()),
                ("mes", &this_month.month().to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail = location(&response);
    // The delivery replaces the registered report: it carries the report's version, and confirms
    // delivering a month that has not ended yet.
    let version = app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap_or_default()
        .versions
        .of(arriendo_events::ContratoPart::SalesReport(this_month))
        .to_string();
    let response = gus
        .post(
            &format!("{detail}/entregar"),
            &[
                ("fecha", &format::date_input(today)),
                ("ventas_brutas", "100.000.000"),
                ("devoluciones", "0"),
                ("version", &version),
                ("confirmar", "si"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&detail).await, 200).await;
    for text in [
        "Facturado $ 8.000.000",
        "Mes en periodo de gracia",
        "Mínimo garantizado (canon del periodo de gracia): $ 0.",
        "Ventas × porcentaje: $ 100.000.000 × 8 % = $ 8.000.000.",
        "Total a facturar: mínimo $ 0 + excedente $ 8.000.000 = $ 8.000.000.",
        "se redondea una sola vez al peso, la mitad hacia arriba",
    ] {
        assert!(html.contains(text), "{text}\n{html}");
    }
    let state = arriendo::queries::contract_state(&app.db, &id.to_string())
        .await
        .unwrap()
        .unwrap();
    let billing = billing_for_month(&state, this_month).unwrap();
    assert_eq!(billing.total, money(8_000_000));
    let schedule = canon_schedule(&state, &Indices::default());
    assert_eq!(schedule[0].period, this_month);
    assert_eq!(schedule[0].amount, Some(billing.total));
}
both_engines!(
    grace_and_term_decide_what_a_month_bills,
    super::grace_and_term_decide_what_a_month_bills
);

async fn a_retroactive_adjustment_shows_and_records_its_reliquidacion(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let id = hybrid_fifteen_million(app, "CT-9400", tercero).await;
    let gestor = Actor::new("gus", Role::Gestor);
    deliver_sep_to_nov_2026(app, id, &gestor).await;
    record_ipc(app, &gestor, 2025, "5,1").await;
    let gus = web.logged_in("gus").await;

    // Before confirming: the difference per month.
    let calculate = format!("/indices/ajustes/{id}?anio=2026&valor=5,1&fecha=01/09/2026");
    let html = page(gus.get(&calculate).await, 200).await;
    for text in [
        "$ 16.065.000",
        "Reliquidación de meses ya facturados",
        "septiembre de 2026",
        "noviembre de 2026",
        "+$ 1.065.000",
        "+$ 3.195.000",
        "Confirmar ajuste",
    ] {
        assert!(html.contains(text), "{text}\n{html}");
    }

    let response = gus
        .post(
            &format!("/indices/ajustes/{id}"),
            &[
                ("anio", "2026"),
                ("valor", "5,1"),
                ("fecha", "01/09/2026"),
                ("confirmar", "si"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&location(&response)).await, 200).await;
    assert!(html.contains("Se registró la reliquidación de 3 meses ya facturados."));
    assert!(
        html.contains(
            "Reliquidó por IPC 2026 los meses ya facturados: 09/2026 de $ 15.000.000 a $ 16.065.000 (+$ 1.065.000)"
        ),
        "history: {html}"
    );

    // The billing of September keeps what was billed and shows the reliquidación.
    let html = page(
        gus.get(&format!("/contratos/{id}/informes-ventas/2026/9"))
            .await,
        200,
    )
    .await;
    assert!(
        html.contains("Facturado $ 15.000.000 · reliquidación +$ 1.065.000 por IPC 2026"),
        "{html}"
    );
    assert!(html.contains("Total del mes"));
    let list = page(
        gus.get(&format!("/informes-ventas?contrato={id}")).await,
        200,
    )
    .await;
    assert!(list.contains("$ 16.065.000"), "what the month costs now");
}
both_engines!(
    a_retroactive_adjustment_shows_and_records_its_reliquidacion,
    super::a_retroactive_adjustment_shows_and_records_its_reliquidacion
);

/// September to November 2026 delivered: $ 200.000.000 × 5 % is below the $ 15.000.000 minimum,
/// each month billed $ 15.000.000.
async fn deliver_sep_to_nov_2026(app: &arriendo::App, id: uuid::Uuid, gestor: &Actor) {
    deliver_months(app, id, gestor, 2026, 9..=11, money(200_000_000)).await;
}

/// An Otro Sí raising the minimum to $ 16.000.000 from 01/10/2026, approved after October and
/// November were billed: the approval's confirmation shows +$ 1.000.000 per month before anything
/// is recorded, the approval records it, and October's billing keeps what was billed beside it.
async fn approving_a_past_otro_si_shows_and_records_its_reliquidacion(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    let app = &web.app;
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let id = hybrid_fifteen_million(app, "CT-9500", tercero).await;
    let gestor = Actor::new("gus", Role::Gestor);
    deliver_sep_to_nov_2026(app, id, &gestor).await;
    run(
        app,
        id,
        ContratoCommand::DraftOtroSi {
            actor: gestor.clone(),
            effective_from: d(2026, 10, 1),
            effective_to: None,
            changes: arriendo_events::OtroSiChanges {
                minimum: Some(money(16_000_000)),
                ..Default::default()
            },
            description: "Nuevo mínimo garantizado".into(),
        },
    )
    .await;
    run(
        app,
        id,
        ContratoCommand::SubmitOtroSi {
            actor: gestor.clone(),
            number: arriendo_events::OtroSiNumber(1),
        },
    )
    .await;
    app.projector.catch_up().await.unwrap();
    let ana = web.logged_in("ana").await;
    let approve = format!("/contratos/{id}/otrosi/1/aprobar");

    let html = page(ana.post(&approve, &[]).await, 200).await;
    for text in [
        "Reliquidación de meses ya facturados",
        "Con OS-1",
        "octubre de 2026",
        "noviembre de 2026",
        "+$ 1.000.000",
        "+$ 2.000.000",
        "Sí, aprobar OS-1",
    ] {
        assert!(html.contains(text), "{text}\n{html}");
    }
    assert!(
        !html.contains("septiembre de 2026"),
        "September is before OS-1"
    );

    let response = ana.post(&approve, &[("confirmar", "si")]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get(&location(&response)).await, 200).await;
    assert!(
        html.contains("Se registró la reliquidación de 2 meses ya facturados."),
        "{html}"
    );
    assert!(
        html.contains("Reliquidó por OS-1 los meses ya facturados: 10/2026 de $ 15.000.000 a $ 16.000.000 (+$ 1.000.000)"),
        "history: {html}"
    );
    let october = page(
        ana.get(&format!("/contratos/{id}/informes-ventas/2026/10"))
            .await,
        200,
    )
    .await;
    assert!(
        october.contains("Facturado $ 15.000.000 · reliquidación +$ 1.000.000 por OS-1"),
        "{october}"
    );
}
both_engines!(
    approving_a_past_otro_si_shows_and_records_its_reliquidacion,
    super::approving_a_past_otro_si_shows_and_records_its_reliquidacion
);

/// Every month of every demo contract: a month with a delivered report costs in the schedule
/// exactly what its billing says, and a grace month never shows the full fixed amount.
async fn billing_and_schedule_agree_on_every_demo_month(engine: Engine) {
    let store = TestStore::new(engine).await;
    let today = d(2026, 11, 28);
    arriendo::demo::load(&store.app, today).await.unwrap();
    store.app.projector.catch_up().await.unwrap();
    let ids: Vec<String> = arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts ORDER BY number").fetch_all(pool).await.unwrap()
    });
    assert_eq!(ids.len(), 60);
    let (mut billed, mut grace, mut reliquidated) = (0, 0, 0);
    for id in ids {
        let state = arriendo::queries::contract_state(store.db(), &id)
            .await
            .unwrap()
            .unwrap();
        let rows = canon_schedule(&state, &Indices::default());
        for row in &rows {
            match billing_for_month(&state, row.period) {
                Ok(billing) => {
                    billed += 1;
                    assert_eq!(row.amount, Some(billing.total), "{id} {}", row.period);
                    grace += usize::from(billing.grace);
                    reliquidated += usize::from(!billing.reliquidaciones.is_empty());
                }
                Err(_) => {
                    let day = state.evaluation_day(row.period);
                    if let Some(canon) = state.grace_canon_on(day)
                        && !matches!(
                            state.modality_in_force(day),
                            Some(PaymentModality::VariablePuro { .. })
                        )
                    {
                        assert_eq!(row.amount, Some(canon), "{id} {}", row.period);
                    }
                }
            }
        }
        // No report outside the term.
        assert!(
            state
                .informes_ventas
                .iter()
                .all(|r| state.month_in_term(r.period))
        );
        assert!(
            rows.first()
                .is_none_or(|r| r.period == YearMonth::of(state.term().unwrap().0))
        );
    }
    assert!(billed > 50, "{billed} billed months");
    assert!(grace > 0, "a grace month was billed");
    assert!(reliquidated > 0, "a month was reliquidated");
}
both_engines!(
    billing_and_schedule_agree_on_every_demo_month,
    super::billing_and_schedule_agree_on_every_demo_month
);
