//! `/contratos/{id}/informes-ventas/{year}/{month}/calculo`: the billing calculation of one
//! delivered sales report as XLSX — gross sales, returns, net, percentage, value, minimum (or the
//! grace canon), excess, billed, every reliquidación since and the month's total — the same
//! `billing_for_month` the report page shows. Recorded in the trail of reads.

use arriendo_events::YearMonth;
use arriendo_projections::billing::billing_for_month;
use axum::extract::{Path, State};
use rust_decimal::Decimal;

use super::descarga;
use super::lecturas::{self, Reader};
use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, Column, Format, Sheet, bogota_label};
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![Route::get(
        "/contratos/{id}/informes-ventas/{year}/{month}/calculo",
        Access::Authenticated,
        calculation,
    )]
}

fn pesos(m: arriendo_events::Money) -> Cell {
    Cell::Money(Decimal::from(m.pesos()))
}

async fn calculation(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Path((id, year, month)): Path<(String, String, String)>,
) -> PageResult {
    let Some(period) = year
        .parse()
        .ok()
        .zip(month.parse().ok())
        .and_then(|(y, m)| YearMonth::new(y, m).ok())
    else {
        return Err(PageError::not_found(&ctx.page));
    };
    let contrato = queries::contract_state(&app.db, &id)
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    // A pending report, or a month without one, has no calculation: the report page says why.
    let Ok(b) = billing_for_month(&contrato, period) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let month_label = arriendo_views::format::month_year(period.year(), period.month());
    let number = contrato.number().to_string();
    let detail = format!("formato xlsx; cálculo del informe de {month_label}");
    lecturas::record(&app, &ctx, &reader, ReadKind::Export, &number, &detail).await?;
    let mut rows = vec![
        vec![
            Cell::text("Ventas brutas"),
            pesos(b.gross_sales),
            Cell::Empty,
        ],
        vec![Cell::text("Devoluciones"), pesos(b.returns), Cell::Empty],
        vec![
            Cell::text("Ventas netas"),
            pesos(b.net_sales),
            Cell::text("ventas brutas − devoluciones"),
        ],
        vec![
            Cell::text("Porcentaje de las ventas"),
            Cell::Number(b.percentage.as_decimal()),
            Cell::text(format!("según {}", b.source.short())),
        ],
        vec![
            Cell::text("Valor por ventas"),
            pesos(b.value),
            Cell::text("ventas netas × porcentaje, redondeado al peso"),
        ],
    ];
    if let Some(minimum) = b.minimum {
        let what = if b.grace {
            "Canon del periodo de gracia"
        } else {
            "Mínimo garantizado"
        };
        rows.push(vec![Cell::text(what), pesos(minimum), Cell::Empty]);
        rows.push(vec![
            Cell::text("Excedente sobre el mínimo"),
            pesos(b.excess),
            Cell::text("valor por ventas − mínimo, si es mayor"),
        ]);
    }
    rows.push(vec![
        Cell::text("Facturado al entregar el informe"),
        pesos(b.billed),
        Cell::Empty,
    ]);
    for r in &b.reliquidaciones {
        rows.push(vec![
            Cell::text(format!("Reliquidación por {}", r.cause)),
            Cell::Money(Decimal::from(r.difference)),
            Cell::text(format!("el mes queda en {}", r.corrected)),
        ]);
    }
    rows.push(vec![
        Cell::text("Total del mes"),
        pesos(b.total),
        Cell::text("facturado más reliquidaciones"),
    ]);
    let title = vec![
        format!("Arriendo — Cálculo de facturación: contrato {number}, ventas de {month_label}"),
        format!(
            "Exportado el {} (hora de Bogotá) por {}",
            bogota_label(chrono::Utc::now()),
            reader.username
        ),
    ];
    let feed = export::spawn_xlsx(Sheet {
        name: "Cálculo".into(),
        title: descarga::with_company(&app.db, title).await,
        columns: vec![
            Column::new("Concepto", 36.0),
            Column::new("Valor", 20.0),
            Column::new("Cómo se obtiene", 48.0),
        ],
    });
    let body = match feed.send(rows).await {
        Ok(()) => descarga::xlsx_body(feed).await,
        Err(e) => Err(e),
    };
    let body = body.or_500(&ctx.page)?;
    let filename = format!(
        "calculo-{}-{}-{:02}.xlsx",
        number.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"),
        period.year(),
        period.month()
    );
    Ok(descarga::attachment(body, Format::Xlsx, &filename))
}
