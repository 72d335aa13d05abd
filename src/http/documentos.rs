//! Documents of a contract: upload (`POST /contratos/{id}/documentos`), download
//! (`GET /contratos/{id}/documentos/{doc}`) and withdrawal (`…/{doc}/retirar`).
//!
//! A file is accepted only when its first bytes say PDF, PNG or JPEG, whatever its name or the
//! browser's content type; it is kept under its SHA-256 before the event records it (an event never
//! points at bytes that were not stored). Downloads are checked against that digest and always go
//! out as attachments with the recorded type, `nosniff` and a sandboxing CSP: nothing uploaded
//! can run in Arriendo's origin.

use arriendo_events::{AttachmentSubject, ContratoCommand, Document, OtroSiNumber};
use arriendo_views::layout::Flash;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::contratos::load;
use super::contratos::pages::act;
use super::page_error::{PageError, PageResult};
use super::respuestas::done;
use super::security::{Access, Ctx, RequireWrite, Route};
use super::subida;
use crate::app::App;
use crate::documents::Upload;

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/contratos/{id}/documentos", Access::Write, upload),
        Route::get(
            "/contratos/{id}/documentos/{doc}",
            Access::Authenticated,
            download,
        ),
        Route::post(
            "/contratos/{id}/documentos/{doc}/retirar",
            Access::Write,
            withdraw,
        ),
    ]
}

/// The «asunto» select's value, read back: `contrato`, `os-2`, `poliza-<uuid>`.
fn parse_subject(value: &str) -> Option<AttachmentSubject> {
    let value = value.trim();
    if value == "contrato" {
        return Some(AttachmentSubject::Contrato);
    }
    if let Some(n) = value.strip_prefix("os-") {
        return n.parse::<u32>().ok().map(|n| AttachmentSubject::OtroSi {
            number: OtroSiNumber(n),
        });
    }
    value
        .strip_prefix("poliza-")
        .and_then(|id| Uuid::parse_str(id).ok())
        .map(|id| AttachmentSubject::Poliza { id })
}

async fn upload(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> PageResult {
    load(&app, &ctx.page, &id).await?;
    let back = format!("/contratos/{id}#documentos");
    let refuse = |message: String| {
        let session = ctx.session.clone();
        let back = back.clone();
        async move { Ok(done(&session, Flash::error(message), &back).await) }
    };
    let limit = super::entrada::DOCUMENT_BODY_LIMIT;
    let form = match subida::read(&headers, body, "archivo", limit).await {
        Ok(form) => form,
        Err(refusal) => return refuse(refusal.to_string()).await,
    };
    let Some(subject) = parse_subject(form.get("asunto")) else {
        return refuse(
            "Elija de qué es el documento: el contrato, un Otro Sí o una póliza.".into(),
        )
        .await;
    };
    let description = form.get("descripcion").to_string();
    let Some((file_name, bytes)) = form.file.filter(|(_, b)| !b.is_empty()) else {
        return refuse("Elija el archivo que quiere adjuntar.".into()).await;
    };
    let upload = Upload::new(bytes);
    let file_name = if file_name.trim().is_empty() {
        "documento".to_string()
    } else {
        file_name
    };
    let Some(file) = upload.stored_file(&file_name) else {
        return refuse(
            "El archivo no es un PDF, PNG ni JPEG (se reconoce por su contenido, no por el nombre). \
             Guárdelo como PDF e inténtelo de nuevo."
                .into(),
        )
        .await;
    };
    if let Err(e) = file.check(arriendo_events::MAX_DOCUMENT_BYTES) {
        return refuse(super::respuestas::sentence(&e.to_string())).await;
    }
    if let Err(e) = app.documents.put(&upload).await {
        tracing::error!(error = %e, store = %app.documents.location, "document upload failed");
        return refuse(e.for_people().to_string()).await;
    }
    let command = ContratoCommand::AttachDocument {
        actor: user.actor(),
        id: Uuid::now_v7(),
        subject,
        file,
        description,
    };
    Ok(act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        format!("Documento «{file_name}» adjuntado."),
        &back,
    )
    .await)
}

fn find<'a>(documents: &'a [Document], doc: &str) -> Option<&'a Document> {
    let doc = Uuid::parse_str(doc).ok()?;
    documents.iter().find(|d| d.attachment.id == doc)
}

/// The file, as an attachment, checked against its digest. Withdrawn documents stay readable:
/// the history links them and an auditor may need them.
async fn download(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, doc)): Path<(String, String)>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let Some(document) = find(&loaded.contrato.documents, &doc) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let file = &document.attachment.file;
    let bytes = match app.documents.get(file).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, document = %doc, "document download failed");
            return Ok(super::respuestas::service_unavailable(
                &ctx.page,
                e.for_people(),
            ));
        }
    };
    let mut response = stored_file_response(bytes, file.media_type, "private, no-store");
    let h = response.headers_mut();
    let disposition = super::descarga::attachment_disposition(&file.download_name());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; frame-ancestors 'none'"),
    );
    Ok(response)
}

/// Stored bytes with the type their content was recognised as, never sniffed by the browser.
pub(super) fn stored_file_response(
    bytes: bytes::Bytes,
    media_type: arriendo_events::MediaType,
    cache: &'static str,
) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type.content_type()),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn withdraw(
    State(app): State<App>,
    ctx: Ctx,
    RequireWrite(user): RequireWrite,
    Path((id, doc)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> PageResult {
    let loaded = load(&app, &ctx.page, &id).await?;
    let Some(document) = find(&loaded.contrato.documents, &doc) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let field = format!("motivo_{}", document.attachment.id);
    let reason = pairs
        .iter()
        .find(|(k, _)| *k == field || k == "motivo")
        .map_or("", |(_, v)| v.as_str());
    let command = ContratoCommand::RemoveDocument {
        actor: user.actor(),
        id: document.attachment.id,
        reason: reason.to_string(),
    };
    Ok(act(
        &app,
        &ctx,
        &id,
        command,
        user.metadata(),
        format!(
            "Documento «{}» retirado.",
            document.attachment.file.file_name
        ),
        &format!("/contratos/{id}#documentos"),
    )
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_values_read_back_and_nothing_else_does() {
        assert_eq!(parse_subject("contrato"), Some(AttachmentSubject::Contrato));
        assert_eq!(
            parse_subject("os-2"),
            Some(AttachmentSubject::OtroSi {
                number: OtroSiNumber(2)
            })
        );
        let id = Uuid::from_u128(7);
        assert_eq!(
            parse_subject(&format!("poliza-{id}")),
            Some(AttachmentSubject::Poliza { id })
        );
        for bad in [
            "",
            "os-",
            "os-99999999999",
            "poliza-x",
            "../contrato",
            "Contrato",
        ] {
            assert_eq!(parse_subject(bad), None, "{bad}");
        }
    }
}
