//! What every file download shares: the Spanish refusal of an unknown format, the attachment
//! headers, and tables read page after page into a streamed CSV or a constant-memory XLSX. The
//! list exports, the rent roll, the billing calculation and the auditor's exports all use it.

use std::future::Future;
use std::pin::Pin;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::SinkExt;
use tokio::io::AsyncReadExt;

use super::security::Ctx;
use crate::export::{self, Cell, Column, ExportError, Format, XlsxFeed};
use crate::store::StoreError;

/// The next page of rows (pages counted from 1); an empty page ends the table.
pub type Pages = Box<
    dyn FnMut(u64) -> Pin<Box<dyn Future<Output = Result<Vec<Vec<Cell>>, StoreError>> + Send>>
        + Send,
>;

/// The last page read, so a page function that never runs dry cannot loop forever.
const MAX_PAGES: u64 = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// 422 in Spanish: `choices` says which formats this download offers («XLSX o CSV»).
pub fn unknown_format(ctx: &Ctx, choices: &str) -> Response {
    let page = arriendo_views::errors::error_page(
        &ctx.page,
        422,
        "Formato desconocido",
        maud::html! { p { "Elija " (choices) " para exportar." } },
    );
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// `body` as a download named `filename`, never cached.
pub fn attachment(body: Body, format: Format, filename: &str) -> Response {
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

/// `title` with the company's line first, when there is one.
pub async fn with_company(db: &crate::store::Db, mut title: Vec<String>) -> Vec<String> {
    if let Some(line) = crate::queries::empresa::title_line(db).await {
        title.insert(0, line);
    }
    title
}

/// `Content-Disposition` for a download named `name` (any language): an ASCII fallback in
/// `filename` and the exact name, percent-encoded, in `filename*` (RFC 6266).
pub fn attachment_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A CSV of `columns` whose rows stream page after page as they are read. The headers are sent
/// before the rows: a page that fails ends the download short, and the log says why.
pub fn csv_pages(columns: &[Column], mut pages: Pages) -> Result<Body, ExportError> {
    let header = export::csv_rows(&[columns.iter().map(|c| Cell::text(c.header)).collect()])?;
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
                tracing::error!(error = %e, "export stopped before its end");
            }
            sent = tx.send(chunk).await;
            if failed {
                break;
            }
            page += 1;
        }
    });
    Ok(Body::from_stream(rx))
}

/// Sends every page of `pages` to the workbook's current sheet.
pub async fn feed_pages(feed: &XlsxFeed, mut pages: Pages) -> Result<(), DownloadError> {
    for page in 1..MAX_PAGES {
        let rows = pages(page).await?;
        if rows.is_empty() {
            break;
        }
        feed.send(rows).await?;
    }
    Ok(())
}

/// A finished workbook as a response body; the temporary file is removed once the download ends
/// or is dropped.
pub async fn xlsx_body(feed: XlsxFeed) -> Result<Body, ExportError> {
    let file = feed.finish().await?;
    let reader = tokio::fs::File::open(file.path()).await?;
    let stream = futures::stream::unfold(Some((reader, file)), |state| async move {
        let (mut reader, file) = state?;
        let mut buf = vec![0u8; 64 * 1024];
        match reader.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((
                    Ok::<_, std::io::Error>(Bytes::from(buf)),
                    Some((reader, file)),
                ))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    // Fused: the compression layer polls once more after the end, which `unfold` alone answers
    // with a panic (and a truncated download in every browser).
    Ok(Body::from_stream(futures::StreamExt::fuse(stream)))
}
