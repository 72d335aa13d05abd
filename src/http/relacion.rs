//! `/contratos/relacion-canones`: the rent roll page (100 contracts a page, by number) and its
//! export, XLSX (the contracts, then a sheet of totals per class and modality) or CSV (the
//! contracts). Exports are recorded in the trail of reads.

use std::str::FromStr;

use arriendo_views::pages::relacion::{
    RentRollLine, RentRollPage, RentRollSum, kind_label, rent_roll_page,
};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::lecturas::{self, Reader};
use super::respuestas::server_error;
use super::security::{Access, Ctx, Route};
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, Column, ExportError, Format, Sheet, bogota_label};
use crate::queries::relacion::{self, RentRollRow};

/// Contracts per page.
const PAGE: i64 = 100;
/// Contracts read per round trip while exporting.
const BATCH: i64 = 500;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/contratos/relacion-canones", Access::Authenticated, page),
        Route::get(
            "/contratos/relacion-canones/exportar",
            Access::Authenticated,
            export_roll,
        ),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RollQuery {
    despues: String,
    formato: String,
}

fn line(r: RentRollRow) -> RentRollLine {
    RentRollLine {
        id: r.id,
        number: r.number,
        kind: r.kind,
        tercero: r.tercero_name,
        local: r.local_name,
        modality: r.modality,
        canon: r.canon,
        percentage: r.percentage,
        next_adjustment: r.next_adjustment,
        end_date: r.end_date,
    }
}

async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<RollQuery>) -> Response {
    let after: String = q.despues.trim().chars().take(200).collect();
    let loaded = tokio::try_join!(
        relacion::page(&app.db, &after, PAGE + 1),
        relacion::totals(&app.db)
    );
    let (mut rows, totals) = match loaded {
        Ok(x) => x,
        Err(e) => return server_error(&ctx.page, e),
    };
    let more = rows.len() > PAGE as usize;
    rows.truncate(PAGE as usize);
    let next = more
        .then(|| rows.last())
        .flatten()
        .map(|r| {
            arriendo_views::query::QueryString::from_pairs([("despues", r.number.as_str())]).href()
        })
        .map(|q| format!("/contratos/relacion-canones{q}"));
    let lines: Vec<RentRollLine> = rows.into_iter().map(line).collect();
    let sums: Vec<RentRollSum> = totals
        .into_iter()
        .map(|t| RentRollSum {
            kind: t.kind,
            modality: t.modality,
            contracts: t.contracts,
            canon: t.canon,
        })
        .collect();
    rent_roll_page(
        &ctx.page,
        &RentRollPage {
            lines: &lines,
            totals: &sums,
            next,
            today: today(),
        },
    )
    .into_response()
}

const COLUMNS: [Column; 11] = [
    Column::new("Contrato", 16.0),
    Column::new("Clase", 10.0),
    Column::new("Arrendatario / proveedor", 32.0),
    Column::new("NIT", 14.0),
    Column::new("Local", 18.0),
    Column::new("Modalidad", 12.0),
    Column::new("Canon o mínimo", 16.0),
    Column::new("% ventas", 9.0),
    Column::new("Próximo ajuste", 14.0),
    Column::new("Terminación", 12.0),
    Column::new("Estado del canon", 14.0),
];

fn cells(r: &RentRollRow) -> Vec<Cell> {
    vec![
        Cell::text(&r.number),
        Cell::text(kind_label(&r.kind)),
        Cell::text(&r.tercero_name),
        Cell::text(&r.tercero_nit),
        r.local_name.clone().map(Cell::Text).unwrap_or(Cell::Empty),
        Cell::text(arriendo_views::pages::catalogos::modality_label(
            &r.modality,
        )),
        r.canon
            .map(|c| Cell::Money(Decimal::from(c)))
            .unwrap_or(Cell::Empty),
        r.percentage
            .as_deref()
            .and_then(|p| Decimal::from_str(p).ok())
            .map(Cell::Number)
            .unwrap_or(Cell::Empty),
        r.next_adjustment.map(Cell::Date).unwrap_or(Cell::Empty),
        Cell::Date(r.end_date),
        Cell::text(match r.modality.as_str() {
            "variable" => "según ventas",
            "hibrido" => "mínimo garantizado",
            _ => "canon fijo",
        }),
    ]
}

async fn export_roll(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Query(q): Query<RollQuery>,
) -> Response {
    let format = match Format::from_slug(&q.formato) {
        Some(f @ (Format::Xlsx | Format::Csv)) => f,
        _ => {
            let page = arriendo_views::errors::error_page(
                &ctx.page,
                422,
                "Formato desconocido",
                maud::html! { p { "Elija XLSX o CSV para exportar la relación de cánones." } },
            );
            return (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    let detail = format!("formato {}; relación de cánones", format.extension());
    if let Err(page) = lecturas::record(
        &app,
        &ctx,
        &reader,
        ReadKind::Export,
        "relación de cánones",
        &detail,
    )
    .await
    {
        return page;
    }
    let filename = format!(
        "relacion-canones-{}.{}",
        today().format("%Y%m%d"),
        format.extension()
    );
    let body = match format {
        Format::Xlsx => xlsx(&app, &reader).await,
        _ => csv(&app).await,
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => return server_error(&ctx.page, e),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// Every contract of the roll, page after page, handed to `sink`.
async fn each_page<F, Fut>(app: &App, mut sink: F) -> Result<(), Failure>
where
    F: FnMut(Vec<RentRollRow>) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>>,
{
    let mut after = String::new();
    loop {
        let rows = relacion::page(&app.db, &after, BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = last.number.clone();
        sink(rows).await?;
    }
    Ok(())
}

async fn xlsx(app: &App, reader: &Reader) -> Result<axum::body::Body, Failure> {
    let now = bogota_label(chrono::Utc::now());
    let title = vec![
        "Arriendo — Relación de cánones".to_string(),
        format!(
            "Contratos vigentes el {} · exportado el {now} (hora de Bogotá) por {}",
            arriendo_views::format::date(today()),
            reader.username
        ),
    ];
    let feed = export::spawn_xlsx(Sheet {
        name: "Contratos".into(),
        title: title.clone(),
        columns: COLUMNS.to_vec(),
    });
    let feed_ref = &feed;
    each_page(app, |rows| async move {
        feed_ref
            .send(rows.iter().map(cells).collect())
            .await
            .map_err(Failure::from)
    })
    .await?;
    feed.next_sheet(Sheet {
        name: "Totales".into(),
        title,
        columns: vec![
            Column::new("Clase", 12.0),
            Column::new("Modalidad", 14.0),
            Column::new("Contratos", 12.0),
            Column::new("Cánones y mínimos", 20.0),
        ],
    })
    .await?;
    let totals = relacion::totals(&app.db).await?;
    feed.send(
        totals
            .iter()
            .map(|t| {
                vec![
                    Cell::text(kind_label(&t.kind)),
                    Cell::text(arriendo_views::pages::catalogos::modality_label(
                        &t.modality,
                    )),
                    Cell::Int(t.contracts),
                    Cell::Money(Decimal::from(t.canon)),
                ]
            })
            .collect(),
    )
    .await?;
    let file = feed.finish().await?;
    Ok(super::exportar::file_body(file).await?)
}

/// The CSV streams page after page: the header first, then each page of contracts as it is read.
async fn csv(app: &App) -> Result<axum::body::Body, Failure> {
    use futures::SinkExt;
    let header = export::csv_rows(&[COLUMNS.iter().map(|c| Cell::text(c.header)).collect()])?;
    let (mut tx, rx) = futures::channel::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let db_app = app.clone();
    tokio::spawn(async move {
        let mut sent = tx.send(Ok(Bytes::from(header))).await;
        let mut after = String::new();
        while sent.is_ok() {
            let chunk = match relacion::page(&db_app.db, &after, BATCH).await {
                Ok(rows) if rows.is_empty() => break,
                Ok(rows) => {
                    after = rows.last().map(|r| r.number.clone()).unwrap_or_default();
                    export::csv_rows(&rows.iter().map(cells).collect::<Vec<_>>())
                        .map(Bytes::from)
                        .map_err(|e| std::io::Error::other(e.to_string()))
                }
                Err(e) => Err(std::io::Error::other(e.to_string())),
            };
            let failed = chunk.is_err();
            if let Err(e) = &chunk {
                // The headers are gone already: the download ends short and the log says why.
                tracing::error!(error = %e, "rent roll export stopped before its end");
            }
            sent = tx.send(chunk).await;
            if failed {
                break;
            }
        }
    });
    Ok(axum::body::Body::from_stream(rx))
}
