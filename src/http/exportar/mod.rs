//! Exports for the auditor's working papers: the log across all contracts (`/auditoria/exportar`,
//! with the log's filters) and one contract's history (`/contratos/{id}/historial/exportar`), as CSV,
//! XLSX or JSON (the events as stored, with their digests). Every export is recorded in the trail of
//! reads. CSV and JSON stream page after page of the log; XLSX is written row by row to a temporary
//! file in constant memory and then streamed.

use arriendo_views::pages::auditoria::LogFilters;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bytes::Bytes;
use futures::SinkExt;
use futures::channel::mpsc;
use serde::Deserialize;
use serde_json::json;

use super::auditoria::{LogQuery, filter_or_page};
use super::descarga;
use super::lecturas::{self, Reader};
use super::page_error::{OrNotFound, OrServerError, PageResult};
use super::security::{Access, Ctx, Route};
use crate::app::App;
use crate::audit::access::ReadKind;
use crate::export::{self, Cell, ExportError, Format, Sheet, bogota_label};
use crate::queries;
use crate::store::{Db, StoreError};

mod filas;

use filas::{Source, cells, drive, stored_json};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/auditoria/exportar", Access::Authenticated, log_export),
        Route::get(
            "/contratos/{id}/historial/exportar",
            Access::Authenticated,
            contract_export,
        ),
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormatQuery {
    formato: String,
}

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("the client went away")]
    Gone,
}

/// What one export is: its file name, title lines and which events it covers.
struct Request {
    format: Format,
    file_stem: String,
    title: Vec<String>,
    reader: Reader,
}

async fn log_export(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Query(q): Query<LogQuery>,
    Query(f): Query<FormatQuery>,
) -> PageResult {
    let Some(format) = Format::from_slug(&f.formato) else {
        return Ok(descarga::unknown_format(&ctx, "CSV, XLSX o JSON"));
    };
    let (mut filter, typed) = filter_or_page(&app, &ctx, &q).await?;
    filter.before = None;
    filter.after = None;
    let filters = describe_filters(&typed);
    let detail = format!("formato {}; {filters}", format.extension());
    lecturas::record(&app, &ctx, &reader, ReadKind::Export, "registro", &detail).await?;
    let request = Request {
        format,
        file_stem: format!("registro-eventos-{}", stamp()),
        title: title_lines("Registro de eventos", &reader, &filters),
        reader,
    };
    respond(app, request, Source::Log(filter))
        .await
        .or_500(&ctx.page)
}

async fn contract_export(
    State(app): State<App>,
    ctx: Ctx,
    reader: Reader,
    Path(id): Path<String>,
    Query(f): Query<FormatQuery>,
) -> PageResult {
    let Some(format) = Format::from_slug(&f.formato) else {
        return Ok(descarga::unknown_format(&ctx, "CSV, XLSX o JSON"));
    };
    let number = queries::auditoria::subjects(&app.db, &[("contrato".into(), id.clone())])
        .await
        .or_500(&ctx.page)?
        .remove(&("contrato".to_string(), id.clone()))
        .or_404(&ctx.page)?;
    let detail = format!("formato {}; historial completo", format.extension());
    lecturas::record(&app, &ctx, &reader, ReadKind::Export, &number, &detail).await?;
    let request = Request {
        format,
        file_stem: format!("historial-{}-{}", file_safe(&number), stamp()),
        title: title_lines(
            &format!("Historial del contrato {number}"),
            &reader,
            "historial completo",
        ),
        reader,
    };
    respond(app, request, Source::Contract(id))
        .await
        .or_500(&ctx.page)
}

type Chunks = mpsc::Sender<Result<Bytes, std::io::Error>>;

async fn respond(app: App, request: Request, source: Source) -> Result<Response, Failure> {
    let filename = format!("{}.{}", request.file_stem, request.format.extension());
    let body = match request.format {
        Format::Xlsx => xlsx_body(&app.db, &request, &source).await?,
        Format::Csv | Format::Json => {
            let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
            let db = app.db.clone();
            let format = request.format;
            let header = match format {
                Format::Json => json_header(&request),
                _ => export::csv_rows(&[source
                    .columns()
                    .iter()
                    .map(|c| Cell::text(c.header))
                    .collect()])?,
            };
            tokio::spawn(async move {
                if let Err(e) = stream_text(&db, &source, format, header, tx.clone()).await {
                    // The headers are gone already: the download ends short and the log says why.
                    tracing::error!(error = %e, "export stopped before its end");
                    let mut tx = tx;
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                }
            });
            Body::from_stream(rx)
        }
    };
    let response = descarga::attachment(body, request.format, &filename);
    tracing::info!(user = %request.reader.username, file = %filename, "export served");
    Ok(response)
}

async fn stream_text(
    db: &Db,
    source: &Source,
    format: Format,
    header: Vec<u8>,
    mut tx: Chunks,
) -> Result<(), Failure> {
    tx.send(Ok(Bytes::from(header)))
        .await
        .map_err(|_| Failure::Gone)?;
    let mut first = true;
    drive(db, source, |batch| {
        let mut tx = tx.clone();
        let chunk = match format {
            Format::Json => {
                let mut out = Vec::new();
                for e in &batch.events {
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    out.extend_from_slice(b"\n    ");
                    let value = stored_json(e, batch.digests.get(&e.position));
                    out.extend_from_slice(value.to_string().as_bytes());
                }
                Ok(out)
            }
            _ => export::csv_rows(&cells(&batch)),
        };
        async move {
            tx.send(Ok(Bytes::from(chunk?)))
                .await
                .map_err(|_| Failure::Gone)
        }
    })
    .await?;
    if format == Format::Json {
        tx.send(Ok(Bytes::from_static(b"\n  ]\n}\n")))
            .await
            .map_err(|_| Failure::Gone)?;
    }
    Ok(())
}

/// The JSON document's opening, up to the first event.
fn json_header(request: &Request) -> Vec<u8> {
    let about = json!({
        "title": request.title,
        "exported_by": request.reader.username,
        "exported_at": chrono::Utc::now(),
    });
    let about = about.to_string();
    let open = about.strip_suffix('}').unwrap_or(&about);
    format!("{open},\n  \"events\": [").into_bytes()
}

async fn xlsx_body(db: &Db, request: &Request, source: &Source) -> Result<Body, Failure> {
    let feed = export::spawn_xlsx(Sheet {
        name: "Eventos".into(),
        title: super::descarga::with_company(db, request.title.clone()).await,
        columns: source.columns(),
    });
    let feed_ref = &feed;
    drive(db, source, |batch| async move {
        feed_ref.send(cells(&batch)).await.map_err(Failure::from)
    })
    .await?;
    Ok(descarga::xlsx_body(feed).await?)
}

fn title_lines(what: &str, reader: &Reader, filters: &str) -> Vec<String> {
    vec![
        format!("Arriendo — {what}"),
        format!(
            "Exportado el {} (hora de Bogotá) por {}",
            bogota_label(chrono::Utc::now()),
            reader.username
        ),
        format!("Filtros: {filters}"),
        "Cada fila lleva la huella SHA-256 de su evento: «arriendo audit verify» comprueba la cadena.".into(),
    ]
}

fn describe_filters(f: &LogFilters) -> String {
    let parts: Vec<String> = [
        ("contrato", &f.contrato),
        ("registro", &f.tipo),
        ("evento", &f.evento),
        ("usuario", &f.usuario),
        ("desde", &f.desde),
        ("hasta", &f.hasta),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k} {v}"))
    .collect();
    if parts.is_empty() {
        "ninguno (todos los eventos)".into()
    } else {
        parts.join(", ")
    }
}

/// `20261201-1405` in Bogotá, for file names.
fn stamp() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y%m%d-%H%M")
        .to_string()
}

/// A contract number as a file name part: letters, digits, `-` and `_` only.
fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect()
}
