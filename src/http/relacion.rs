//! `/contratos/relacion-canones`: the rent roll page (100 contracts a page, by number) and its
//! export, XLSX (the contracts, then a sheet of totals per class and modality) or CSV (the
//! contracts). Exports are recorded in the trail of reads.

use std::str::FromStr;
use std::sync::Arc;

use arriendo_views::pages::relacion::{
    RentRollLine, RentRollPage, RentRollSum, kind_label, rent_roll_page,
};
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::descarga::{self, DownloadError, Pages};
use super::lecturas::{self, Reader};
use super::page_error::{OrServerError, PageResult};
use super::security::{Access, Ctx, Route};
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, Column, Format, Sheet, bogota_label};
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

async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<RollQuery>) -> PageResult {
    let after: String = q.despues.trim().chars().take(200).collect();
    let loaded = tokio::try_join!(
        relacion::page(&app.db, &after, PAGE + 1),
        relacion::totals(&app.db)
    );
    let (mut rows, totals) = loaded.or_500(&ctx.page)?;
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
    Ok(rent_roll_page(
        &ctx.page,
        &RentRollPage {
            lines: &lines,
            totals: &sums,
            next,
            today: today(),
        },
    )
    .into_response())
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
) -> PageResult {
    let format = match Format::from_slug(&q.formato) {
        Some(f @ (Format::Xlsx | Format::Csv)) => f,
        _ => return Ok(descarga::unknown_format(&ctx, "XLSX o CSV")),
    };
    let detail = format!("formato {}; relación de cánones", format.extension());
    lecturas::record(
        &app,
        &ctx,
        &reader,
        ReadKind::Export,
        "relación de cánones",
        &detail,
    )
    .await?;
    let filename = format!(
        "relacion-canones-{}.{}",
        today().format("%Y%m%d"),
        format.extension()
    );
    let body = match format {
        Format::Xlsx => xlsx(&app, &reader).await,
        _ => descarga::csv_pages(&COLUMNS, pages(&app)).map_err(DownloadError::from),
    };
    Ok(descarga::attachment(
        body.or_500(&ctx.page)?,
        format,
        &filename,
    ))
}

/// The contracts of the roll as rows, page after page by number (keyset): the cursor is the last
/// number read.
fn pages(app: &App) -> Pages {
    let db = app.db.clone();
    let cursor = Arc::new(tokio::sync::Mutex::new(String::new()));
    Box::new(move |_page| {
        let (db, cursor) = (db.clone(), cursor.clone());
        Box::pin(async move {
            let mut after = cursor.lock().await;
            let rows = relacion::page(&db, &after, BATCH).await?;
            if let Some(last) = rows.last() {
                last.number.clone_into(&mut after);
            }
            Ok(rows.iter().map(cells).collect())
        })
    })
}

async fn xlsx(app: &App, reader: &Reader) -> Result<axum::body::Body, DownloadError> {
    let now = bogota_label(chrono::Utc::now());
    let title = vec![
        "Arriendo — Relación de cánones".to_string(),
        format!(
            "Contratos vigentes el {} · exportado el {now} (hora de Bogotá) por {}",
            arriendo_views::format::date(today()),
            reader.username
        ),
    ];
    let title = descarga::with_company(&app.db, title).await;
    let feed = export::spawn_xlsx(Sheet {
        name: "Contratos".into(),
        title: title.clone(),
        columns: COLUMNS.to_vec(),
    });
    descarga::feed_pages(&feed, pages(app)).await?;
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
    Ok(descarga::xlsx_body(feed).await?)
}
