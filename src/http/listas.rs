//! Exports of the lists people work from, with the filters the page has: contracts
//! (`/contratos/exportar`), alerts of every kind or one (`/alertas/exportar`), pólizas
//! (`/polizas/exportar`) and sales reports (`/informes-ventas/exportar`), as XLSX (typed cells:
//! pesos as numbers with a peso format, dates as dates, a title with what, when and who) or CSV.
//! Each export reads the same query the page reads, page after page, so the file holds exactly the
//! rows the pages show; every export is recorded in the trail of reads.

use std::future::Future;
use std::pin::Pin;

use arriendo_views::pages::contratos_list::ContractFilters;
use arriendo_views::pages::dashboard::AlertFilters;
use arriendo_views::pages::polizas::PolizaFilters;
use arriendo_views::pages::ventas::SalesFilters;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::SinkExt;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::lecturas::{self, Reader};
use super::respuestas::server_error;
use super::security::{Access, Ctx, Route};
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, Column, Format, Sheet, bogota_label};
use crate::queries;
use crate::store::StoreError;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/contratos/exportar", Access::Authenticated, contracts),
        Route::get("/alertas/exportar", Access::Authenticated, alerts),
        Route::get("/polizas/exportar", Access::Authenticated, polizas),
        Route::get("/informes-ventas/exportar", Access::Authenticated, sales),
    ]
}

/// The next page of rows (1-based page number); an empty page ends the export.
type Pages = Box<
    dyn FnMut(u64) -> Pin<Box<dyn Future<Output = Result<Vec<Vec<Cell>>, StoreError>> + Send>>
        + Send,
>;

/// What one list export is.
struct Table {
    /// `Contratos`, used in the title, the sheet and the trail.
    what: &'static str,
    /// `contratos`: the file name's start.
    stem: &'static str,
    columns: Vec<Column>,
    /// The page's query string, for the title and the trail.
    query: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormatQuery {
    formato: String,
}

fn raw_query(uri: &Uri) -> String {
    arriendo_views::query::QueryString::parse(uri.query().unwrap_or(""))
        .without("formato")
        .without("pagina")
        .encoded()
}

async fn contracts(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    uri: Uri,
    Query(f): Query<FormatQuery>,
) -> Response {
    let query = raw_query(&uri);
    let filters = ContractFilters::from_query(&query);
    let db = app.db.clone();
    let pages: Pages = Box::new(move |page| {
        let (db, mut filters) = (db.clone(), filters.clone());
        filters.page = page;
        Box::pin(async move {
            let (rows, _) = queries::contratos::list(&db, &filters).await?;
            Ok(rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(&r.number),
                        Cell::text(arriendo_views::pages::relacion::kind_label(&r.kind)),
                        Cell::text(&r.tercero_name),
                        Cell::text(&r.tercero_nit),
                        r.local_name.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                        Cell::text(arriendo_views::pages::catalogos::modality_label(
                            &r.modality,
                        )),
                        money(r.canon),
                        percent(r.percentage.as_deref()),
                        Cell::Date(r.start_date),
                        Cell::Date(r.end_date),
                        Cell::text(arriendo_views::pages::catalogos::contract_status_label(
                            &r.status,
                        )),
                        Cell::Int(r.alert_count),
                    ]
                })
                .collect())
        })
    });
    let table = Table {
        what: "Contratos",
        stem: "contratos",
        columns: vec![
            Column::new("Contrato", 16.0),
            Column::new("Clase", 10.0),
            Column::new("Arrendatario / proveedor", 32.0),
            Column::new("NIT", 14.0),
            Column::new("Local", 18.0),
            Column::new("Modalidad", 12.0),
            Column::new("Canon o mínimo", 16.0),
            Column::new("% ventas", 9.0),
            Column::new("Inicio", 12.0),
            Column::new("Terminación", 12.0),
            Column::new("Estado", 12.0),
            Column::new("Alertas", 9.0),
        ],
        query,
    };
    respond(app, ctx, reader, &f.formato, table, pages).await
}

async fn alerts(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    uri: Uri,
    Query(f): Query<FormatQuery>,
) -> Response {
    let query = raw_query(&uri);
    let filters = AlertFilters::from_query(&query);
    let db = app.db.clone();
    let pages: Pages = Box::new(move |page| {
        let (db, filters) = (db.clone(), filters.clone());
        Box::pin(async move {
            let (rows, _) = queries::dashboard::alert_page(&db, &filters, page, 500).await?;
            Ok(rows
                .iter()
                .map(|a| {
                    vec![
                        Cell::text(a.kind.label()),
                        Cell::text(a.severity.label()),
                        Cell::text(&a.contract_number),
                        Cell::text(&a.tercero_name),
                        Cell::Date(a.trigger_date),
                        Cell::Int(a.days_left),
                        Cell::text(&a.source),
                        Cell::text(&a.message),
                    ]
                })
                .collect())
        })
    });
    let table = Table {
        what: "Alertas",
        stem: "alertas",
        columns: vec![
            Column::new("Tipo", 24.0),
            Column::new("Severidad", 10.0),
            Column::new("Contrato", 16.0),
            Column::new("Arrendatario / proveedor", 30.0),
            Column::new("Fecha", 12.0),
            Column::new("Días", 8.0),
            Column::new("Según", 10.0),
            Column::new("Detalle", 80.0),
        ],
        query,
    };
    respond(app, ctx, reader, &f.formato, table, pages).await
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct PolizaQuery {
    estado: String,
    cumplimiento: String,
    contrato: String,
    tipo: String,
}

async fn polizas(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    uri: Uri,
    Query(f): Query<FormatQuery>,
    Query(q): Query<PolizaQuery>,
) -> Response {
    let filters = PolizaFilters {
        estado: q.estado,
        cumplimiento: q.cumplimiento,
        contrato: q.contrato,
        tipo: q.tipo,
    };
    let db = app.db.clone();
    let pages: Pages = Box::new(move |page| {
        let (db, filters) = (db.clone(), filters.clone());
        Box::pin(async move {
            let (rows, _) = queries::polizas::list(&db, &filters, page).await?;
            Ok(rows
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(&p.contract_number),
                        Cell::text(&p.tercero_name),
                        Cell::text(&p.kind),
                        Cell::text(&p.number),
                        Cell::text(&p.insurer),
                        money(Some(p.insured_value)),
                        Cell::Date(p.valid_to),
                        Cell::Date(p.effective_expiry),
                        Cell::text(&p.status),
                        Cell::text(&p.compliance),
                        Cell::text(&p.required_by),
                    ]
                })
                .collect())
        })
    });
    let table = Table {
        what: "Pólizas",
        stem: "polizas",
        columns: vec![
            Column::new("Contrato", 16.0),
            Column::new("Arrendatario / proveedor", 30.0),
            Column::new("Tipo", 14.0),
            Column::new("Número", 16.0),
            Column::new("Aseguradora", 18.0),
            Column::new("Valor asegurado", 18.0),
            Column::new("Vigente hasta", 13.0),
            Column::new("Vencimiento efectivo", 13.0),
            Column::new("Estado", 12.0),
            Column::new("Cumplimiento", 12.0),
            Column::new("Exigida por", 12.0),
        ],
        query: raw_query(&uri),
    };
    respond(app, ctx, reader, &f.formato, table, pages).await
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct SalesQuery {
    estado: String,
    vencido: String,
    contrato: String,
    mes: String,
    anio: String,
}

async fn sales(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    uri: Uri,
    Query(f): Query<FormatQuery>,
    Query(q): Query<SalesQuery>,
) -> Response {
    let filters = SalesFilters {
        estado: q.estado,
        vencido: q.vencido,
        contrato: q.contrato,
        mes: q.mes,
        anio: q.anio,
    };
    let db = app.db.clone();
    let pages: Pages = Box::new(move |page| {
        let (db, filters) = (db.clone(), filters.clone());
        Box::pin(async move {
            let (rows, _) = queries::ventas::list(&db, &filters, page).await?;
            Ok(rows
                .iter()
                .map(|s| {
                    vec![
                        Cell::text(&s.contract_number),
                        Cell::text(&s.tercero_name),
                        Cell::text(format!("{}-{:02}", s.year, s.month)),
                        Cell::text(&s.status),
                        Cell::Date(s.deadline),
                        s.delivered_on.map(Cell::Date).unwrap_or(Cell::Empty),
                        money(s.gross_sales),
                        money(s.returns),
                        money(s.billed),
                        Cell::text(if s.overdue { "sí" } else { "no" }),
                    ]
                })
                .collect())
        })
    });
    let table = Table {
        what: "Informes de ventas",
        stem: "informes-ventas",
        columns: vec![
            Column::new("Contrato", 16.0),
            Column::new("Arrendatario", 30.0),
            Column::new("Mes", 10.0),
            Column::new("Estado", 12.0),
            Column::new("Fecha límite", 13.0),
            Column::new("Entregado el", 13.0),
            Column::new("Ventas brutas", 18.0),
            Column::new("Devoluciones", 16.0),
            Column::new("Facturado", 18.0),
            Column::new("Vencido", 9.0),
        ],
        query: raw_query(&uri),
    };
    respond(app, ctx, reader, &f.formato, table, pages).await
}

fn money(pesos: Option<i64>) -> Cell {
    pesos
        .map(|p| Cell::Money(Decimal::from(p)))
        .unwrap_or(Cell::Empty)
}

fn percent(text: Option<&str>) -> Cell {
    text.and_then(|p| p.parse::<Decimal>().ok())
        .map(Cell::Number)
        .unwrap_or(Cell::Empty)
}

/// The last page read, so a bug in a page function cannot loop forever.
const MAX_PAGES: u64 = 1_000_000;

async fn respond(
    app: App,
    ctx: Ctx,
    reader: Reader,
    format: &str,
    table: Table,
    mut pages: Pages,
) -> Response {
    let format = match Format::from_slug(format) {
        Some(f @ (Format::Xlsx | Format::Csv)) => f,
        _ => {
            let page = arriendo_views::errors::error_page(
                &ctx.page,
                422,
                "Formato desconocido",
                maud::html! { p { "Elija XLSX o CSV para exportar." } },
            );
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    let filters = if table.query.is_empty() {
        "sin filtros".to_string()
    } else {
        table.query.clone()
    };
    let detail = format!("formato {}; {}", format.extension(), filters);
    if let Err(page) =
        lecturas::record(&app, &ctx, &reader, ReadKind::Export, table.what, &detail).await
    {
        return page;
    }
    let filename = format!(
        "{}-{}.{}",
        table.stem,
        today().format("%Y%m%d"),
        format.extension()
    );
    let body = match format {
        Format::Xlsx => {
            let feed = export::spawn_xlsx(Sheet {
                name: table.what.into(),
                title: vec![
                    format!("Arriendo — {}", table.what),
                    format!(
                        "Exportado el {} (hora de Bogotá) por {}",
                        bogota_label(chrono::Utc::now()),
                        reader.username
                    ),
                    format!("Filtros: {filters}"),
                ],
                columns: table.columns.clone(),
            });
            let mut page = 1;
            let written: Result<(), crate::export::ExportError> = loop {
                let rows = match pages(page).await {
                    Ok(rows) => rows,
                    Err(e) => return server_error(&ctx.page, e),
                };
                if rows.is_empty() || page >= MAX_PAGES {
                    break Ok(());
                }
                if let Err(e) = feed.send(rows).await {
                    break Err(e);
                }
                page += 1;
            };
            let file = match written {
                Ok(()) => feed.finish().await,
                Err(e) => Err(e),
            };
            match file {
                Ok(file) => match super::exportar::file_body(file).await {
                    Ok(body) => body,
                    Err(e) => return server_error(&ctx.page, e),
                },
                Err(e) => return server_error(&ctx.page, e),
            }
        }
        _ => {
            let header = match export::csv_rows(&[table
                .columns
                .iter()
                .map(|c| Cell::text(c.header))
                .collect()])
            {
                Ok(h) => h,
                Err(e) => return server_error(&ctx.page, e),
            };
            let (mut tx, rx) = futures::channel::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
            tokio::spawn(async move {
                let mut sent = tx.send(Ok(Bytes::from(header))).await;
                let mut page = 1;
                while sent.is_ok() && page < MAX_PAGES {
                    let chunk = match pages(page).await {
                        Ok(rows) if rows.is_empty() => break,
                        Ok(rows) => export::csv_rows(&rows)
                            .map(Bytes::from)
                            .map_err(|e| std::io::Error::other(e.to_string())),
                        Err(e) => Err(std::io::Error::other(e.to_string())),
                    };
                    let failed = chunk.is_err();
                    if let Err(e) = &chunk {
                        // The headers are gone already: the download ends short and the log says why.
                        tracing::error!(error = %e, "list export stopped before its end");
                    }
                    sent = tx.send(chunk).await;
                    if failed {
                        break;
                    }
                    page += 1;
                }
            });
            Body::from_stream(rx)
        }
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
