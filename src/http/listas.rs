//! Exports of the lists people work from, with the filters the page has: contracts
//! (`/contratos/exportar`), alerts of every kind or one (`/alertas/exportar`), pólizas
//! (`/polizas/exportar`) and sales reports (`/informes-ventas/exportar`), as XLSX (typed cells:
//! pesos as numbers with a peso format, dates as dates, a title with what, when and who) or CSV.
//! Each export reads the same query the page reads, page after page, so the file holds exactly the
//! rows the pages show; every export is recorded in the trail of reads.

use arriendo_views::pages::contratos_list::ContractFilters;
use arriendo_views::pages::dashboard::AlertFilters;
use arriendo_views::pages::polizas::PolizaFilters;
use arriendo_views::pages::ventas::SalesFilters;
use axum::extract::{Query, State};
use axum::http::Uri;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::descarga::{self, DownloadError, Pages};
use super::lecturas::{self, Reader};
use super::page_error::{OrServerError, PageResult};
use super::security::{Access, Ctx, Route};
use crate::app::{App, today};
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, Column, Format, Sheet, bogota_label};
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/contratos/exportar", Access::Authenticated, contracts),
        Route::get("/alertas/exportar", Access::Authenticated, alerts),
        Route::get("/polizas/exportar", Access::Authenticated, polizas),
        Route::get("/informes-ventas/exportar", Access::Authenticated, sales),
    ]
}

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
) -> PageResult {
    let query = raw_query(&uri);
    let filters = ContractFilters::from_query(&query);
    let catalog = std::sync::Arc::new(
        queries::clausulas::catalog(&app.db)
            .await
            .or_500(&ctx.page)?,
    );
    let db = app.db.clone();
    let pages: Pages = Box::new(move |page| {
        let (db, mut filters, catalog) = (db.clone(), filters.clone(), catalog.clone());
        filters.page = page;
        Box::pin(async move {
            let (rows, _) = queries::contratos::list(&db, &filters).await?;
            let type_name = |id: &Option<String>| {
                id.as_deref()
                    .and_then(|t| uuid::Uuid::parse_str(t).ok())
                    .and_then(|t| catalog.find_type(t))
                    .map_or(Cell::Empty, |t| Cell::text(&t.name))
            };
            Ok(rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(&r.number),
                        Cell::text(arriendo_views::pages::relacion::kind_label(&r.kind)),
                        type_name(&r.type_id),
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
            Column::new("Tipo", 20.0),
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
) -> PageResult {
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
    q: String,
    estado: String,
    cumplimiento: String,
    contrato: String,
    tipo: String,
    vence: String,
    clase: String,
}

async fn polizas(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    uri: Uri,
    Query(f): Query<FormatQuery>,
    Query(q): Query<PolizaQuery>,
) -> PageResult {
    let filters = PolizaFilters {
        q: q.q.trim().chars().take(100).collect(),
        estado: q.estado,
        cumplimiento: q.cumplimiento,
        contrato: q.contrato,
        tipo: q.tipo,
        vence: q.vence,
        clase: q.clase,
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
) -> PageResult {
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

async fn respond(
    app: App,
    ctx: Ctx,
    reader: Reader,
    format: &str,
    table: Table,
    pages: Pages,
) -> PageResult {
    let format = match Format::from_slug(format) {
        Some(f @ (Format::Xlsx | Format::Csv)) => f,
        _ => return Ok(descarga::unknown_format(&ctx, "XLSX o CSV")),
    };
    let filters = if table.query.is_empty() {
        "sin filtros".to_string()
    } else {
        table.query.clone()
    };
    let detail = format!("formato {}; {}", format.extension(), filters);
    lecturas::record(&app, &ctx, &reader, ReadKind::Export, table.what, &detail).await?;
    let filename = format!(
        "{}-{}.{}",
        table.stem,
        today().format("%Y%m%d"),
        format.extension()
    );
    let body = match format {
        Format::Xlsx => {
            let title = vec![
                format!("Arriendo — {}", table.what),
                format!(
                    "Exportado el {} (hora de Bogotá) por {}",
                    bogota_label(chrono::Utc::now()),
                    reader.username
                ),
                format!("Filtros: {filters}"),
            ];
            let feed = export::spawn_xlsx(Sheet {
                name: table.what.into(),
                title: descarga::with_company(&app.db, title).await,
                columns: table.columns.clone(),
            });
            match descarga::feed_pages(&feed, pages).await {
                Ok(()) => descarga::xlsx_body(feed).await.map_err(DownloadError::from),
                Err(e) => Err(e),
            }
        }
        _ => descarga::csv_pages(&table.columns, pages).map_err(DownloadError::from),
    };
    Ok(descarga::attachment(
        body.or_500(&ctx.page)?,
        format,
        &filename,
    ))
}
