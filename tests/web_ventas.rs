//! Informes de ventas and IPC over HTTP: register a month, deliver it and see the billing
//! (híbrido: minimum plus excess), mark it pending; record an IPC value, see the contract pending
//! adjustment, calculate and confirm it.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{PaymentModality, Role, YearMonth};
use arriendo_views::format;
use auth_support::{Web, form_version, location};
use chrono::{Datelike, Duration};
use common::Engine;
use web_fixtures::*;

async fn a_sales_report_delivered_shows_the_billing(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let terms = terms(
        "CT-9001",
        tercero,
        None,
        PaymentModality::Hibrido {
            minimum: money(10_000_000),
            percentage: pct("8"),
        },
        today,
        100,
    );
    let id = contract(app, terms).await;
    let gus = web.logged_in("gus").await;
    let last = YearMonth::of(today.with_day(1).unwrap() - Duration::days(1));
    let (year, month) = (last.year().to_string(), last.month().to_string());

    let form = page(
        gus.get(&format!("/contratos/{id}/informes-ventas/nuevo"))
            .await,
        200,
    )
    .await;
    assert!(form.contains(&format!("value=\"{year}\"")));
    let response = gus
        .post(
            &format!("/contratos/{id}/informes-ventas/nuevo"),
            &[("anio", &year), ("mes", &month), ("plazo", "")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail_path = location(&response);
    assert_eq!(
        detail_path,
        format!("/contratos/{id}/informes-ventas/{year}/{month}")
    );
    let html = page(gus.get(&detail_path).await, 200).await;
    assert!(html.contains("registrado."));
    assert!(html.contains("Pendiente"));
    assert!(html.contains("Marcar como entregado"));
    let version = form_version(&html);
    if today.day() > 10 {
        assert!(html.contains("Vencido"), "past the due day 10");
    }

    // The same month twice: refused beside the month.
    let response = gus
        .post(
            &format!("/contratos/{id}/informes-ventas/nuevo"),
            &[("anio", &year), ("mes", &month)],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("Ya existe el informe de ventas de"));

    // Returns above the sales: refused, input kept.
    let delivered_on = format::date_input(today);
    let response = gus
        .post(
            &format!("{detail_path}/entregar"),
            &[
                ("fecha", &delivered_on),
                ("ventas_brutas", "1.000.000"),
                ("devoluciones", "2.000.000"),
                ("version", &version),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("Las devoluciones no pueden superar las ventas brutas."));
    assert!(html.contains("value=\"2.000.000\""));

    // Delivered: net sales $ 150.000.000 at 8 % = $ 12.000.000 > minimum $ 10.000.000.
    let response = gus
        .post(
            &format!("{detail_path}/entregar"),
            &[
                ("fecha", &delivered_on),
                ("ventas_brutas", "$ 160.000.000"),
                ("devoluciones", "10.000.000"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&detail_path).await, 200).await;
    assert!(html.contains("Facturación por ventas"));
    assert!(html.contains("$ 150.000.000"), "net base");
    assert!(html.contains("8 %"));
    assert!(html.contains("$ 10.000.000"), "minimum");
    assert!(html.contains("$ 2.000.000"), "excess");
    assert!(html.contains("$ 12.000.000"), "total");

    // A correction prepared before that delivery: 409, the report as stored now, the input kept.
    let response = gus
        .post(
            &format!("{detail_path}/entregar"),
            &[
                ("fecha", &delivered_on),
                ("ventas_brutas", "$ 170.000.000"),
                ("devoluciones", "0"),
                ("version", &version),
            ],
        )
        .await;
    let html = page(response, 409).await;
    assert!(html.contains("El informe de ventas cambió mientras lo editaba"));
    assert!(html.contains("$ 150.000.000"), "the stored billing");
    assert!(html.contains("value=\"$ 170.000.000\""), "the user's input");
    assert!(html.contains("se factura el mínimo $ 10.000.000 más el excedente $ 2.000.000"));
    assert!(
        html.contains("Contrato (contrato original)"),
        "which document set the %"
    );
    assert!(html.contains("Entregado"));

    // The list shows it with its billing; filters.
    let list = page(
        gus.get(&format!("/informes-ventas?contrato={id}")).await,
        200,
    )
    .await;
    assert!(list.contains("CT-9001"));
    assert!(list.contains("$ 12.000.000"));
    let list = page(gus.get("/informes-ventas?estado=pendiente").await, 200).await;
    assert!(list.contains("No hay informes de ventas con esos filtros."));
    let list = page(
        gus.get(&format!("/informes-ventas?mes={month}&anio={year}"))
            .await,
        200,
    )
    .await;
    assert!(list.contains("CT-9001"));

    // Back to pending.
    let response = gus.post(&format!("{detail_path}/pendiente"), &[]).await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&detail_path).await, 200).await;
    assert!(html.contains("Informe marcado como pendiente."));
    assert!(!html.contains("Total a facturar"));

    assert_eq!(
        gus.get(&format!("/contratos/{id}/informes-ventas/2020/13"))
            .await
            .status(),
        404
    );
}
both_engines!(
    a_sales_report_delivered_shows_the_billing,
    super::a_sales_report_delivered_shows_the_billing
);

async fn record_an_ipc_value_and_confirm_an_adjustment(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    // Started 345 days ago: the anniversary (IPC + 2 points) is 20 days ahead.
    let terms = terms(
        "CT-9100",
        tercero,
        None,
        PaymentModality::Fijo {
            canon: money(10_000_000),
        },
        today,
        345,
    );
    let anniversary = terms
        .start_date
        .with_year(terms.start_date.year() + 1)
        .unwrap();
    let id = contract(app, terms).await;
    let gus = web.logged_in("gus").await;
    let index_year = (anniversary.year() - 1).to_string();

    // Record the IPC of the year before the adjustment.
    let response = gus
        .post(
            "/indices",
            &[("indice", "ipc"), ("anio", &index_year), ("valor", "abc")],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("«abc» no es un porcentaje válido"));
    let response = gus
        .post(
            "/indices",
            &[("indice", "ipc"), ("anio", &index_year), ("valor", "5,2")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get("/indices").await, 200).await;
    assert!(html.contains(&format!("Valor de IPC {index_year} registrado: 5,2 %.")));
    assert!(html.contains("5,2 %"));
    // The contract is pending adjustment.
    assert!(html.contains("CT-9100"));
    let calculate = format!(
        "/indices/ajustes/{id}?anio={}&amp;fecha={}",
        anniversary.year(),
        format::date_input(anniversary)
    );
    assert!(html.contains(&calculate), "{html}");

    // Calculate: the IPC value is suggested and the preview shown.
    let html = page(gus.get(&calculate.replace("&amp;", "&")).await, 200).await;
    assert!(html.contains("Regla pactada: IPC + 2 puntos"));
    assert!(html.contains("value=\"5,2\""));
    assert!(html.contains("$ 10.000.000"));
    assert!(html.contains("7,2 %"));
    assert!(html.contains("$ 10.720.000"));
    assert!(html.contains("Confirmar ajuste"));

    // Confirm.
    let response = gus
        .post(
            &format!("/indices/ajustes/{id}"),
            &[
                ("anio", &anniversary.year().to_string()),
                ("valor", "5,2"),
                ("fecha", &format::date_input(anniversary)),
                ("confirmar", "si"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/contratos/{id}"));
    let state = arriendo::queries::contract_state(&app.db, &id.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.ajustes.len(), 1);
    assert_eq!(state.ajustes[0].new_canon, money(10_720_000));
    let html = page(gus.get("/indices").await, 200).await;
    assert!(html.contains("Ajuste") && html.contains("del contrato CT-9100 registrado."));
    assert!(
        !html.contains(&format!("/indices/ajustes/{id}")),
        "no longer pending"
    );

    // Twice: refused with the domain's message.
    let response = gus
        .post(
            &format!("/indices/ajustes/{id}"),
            &[
                ("anio", &anniversary.year().to_string()),
                ("valor", "5,2"),
                ("fecha", &format::date_input(anniversary)),
                ("confirmar", "si"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains(&format!(
        "El canon del contrato CT-9100 ya fue ajustado para {}.",
        anniversary.year()
    )));
}
both_engines!(
    record_an_ipc_value_and_confirm_an_adjustment,
    super::record_an_ipc_value_and_confirm_an_adjustment
);
