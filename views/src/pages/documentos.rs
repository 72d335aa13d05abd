//! The «Documentos» card of the contract page: what is attached (to the contract, an Otro Sí or a
//! póliza), a download link for each, the withdrawn ones with their reason, and the upload form.

use arriendo_events::{AttachmentSubject, Contrato, Document, MAX_DOCUMENT_BYTES, format_size};
use maud::{Markup, html};

use crate::components::{Field, Tone, badge, csrf_field, select_field, table_wrap, text_field};

/// The value of the «asunto» select for a subject: `contrato`, `os-2`, `poliza-<uuid>`.
pub fn subject_value(subject: &AttachmentSubject) -> String {
    match subject {
        AttachmentSubject::Contrato => "contrato".to_string(),
        AttachmentSubject::OtroSi { number } => format!("os-{}", number.0),
        AttachmentSubject::Poliza { id } => format!("poliza-{id}"),
    }
}

/// What a document is the paper of, in words.
pub fn subject_label(c: &Contrato, subject: &AttachmentSubject) -> String {
    match subject {
        AttachmentSubject::Contrato => "Contrato".to_string(),
        AttachmentSubject::OtroSi { number } => format!("Otro Sí {number}"),
        AttachmentSubject::Poliza { id } => match c.find_poliza(*id) {
            Some(p) => format!("Póliza {} {}", p.data.kind, p.data.number),
            None => "Póliza".to_string(),
        },
    }
}

fn href(contract_id: &str, d: &Document) -> String {
    format!("/contratos/{contract_id}/documentos/{}", d.attachment.id)
}

fn row(contract_id: &str, c: &Contrato, d: &Document, token: &str, can_write: bool) -> Markup {
    let a = &d.attachment;
    html! {
        tr {
            td data-label="Documento" {
                @if d.removed.is_none() {
                    a href=(href(contract_id, d)) download { (a.file.file_name) }
                } @else {
                    del { (a.file.file_name) }
                }
                @if !a.description.is_empty() { br; span.muted.small { (a.description) } }
            }
            td data-label="De" { (subject_label(c, &a.subject)) }
            td data-label="Tipo" { (a.file.media_type.label()) " · " (format_size(a.file.size_bytes)) }
            td data-label="Adjuntado por" { (a.by) }
            td data-label="SHA-256" { code.small title=(a.file.sha256) { (a.file.sha256.get(..12).unwrap_or("")) "…" } }
            td data-label="Estado" {
                @if let Some((reason, by)) = &d.removed {
                    (badge(Tone::Neutral, "Retirado")) " por " (by) ": " (reason)
                } @else if can_write {
                    details.note-actions {
                        summary.small { "Retirar" }
                        form.form method="post" action={ (href(contract_id, d)) "/retirar" } {
                            (csrf_field(token))
                            (text_field(&Field::new(&format!("motivo_{}", a.id), "Motivo del retiro").required()))
                            button.btn.btn-ghost.btn-small type="submit" { "Retirar el documento" }
                        }
                    }
                } @else {
                    (badge(Tone::Ok, "Vigente"))
                }
            }
        }
    }
}

/// The card's content. `can_write`: the upload form and the withdraw buttons are shown.
pub fn section(contract_id: &str, c: &Contrato, can_write: bool, token: &str) -> Markup {
    let subjects: Vec<(String, String)> = std::iter::once(AttachmentSubject::Contrato)
        .chain(
            c.otro_si
                .iter()
                .map(|o| AttachmentSubject::OtroSi { number: o.number }),
        )
        .chain(
            c.polizas
                .iter()
                .map(|p| AttachmentSubject::Poliza { id: p.id }),
        )
        .map(|s| (subject_value(&s), subject_label(c, &s)))
        .collect();
    let options: Vec<(&str, &str)> = subjects
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str()))
        .collect();
    let limit = format!(
        "PDF, PNG o JPEG de hasta {}. El tipo se reconoce por el contenido del archivo.",
        format_size(MAX_DOCUMENT_BYTES)
    );
    html! {
        @if c.documents.is_empty() {
            p.muted { "Sin documentos adjuntos." }
        } @else {
            (table_wrap("Documentos", html! { thead { tr {
                th scope="col" { "Documento" } th scope="col" { "De" } th scope="col" { "Tipo" }
                th scope="col" { "Adjuntado por" } th scope="col" { "SHA-256" } th scope="col" { "Estado" } } } },
                html! { tbody { @for d in c.documents.iter().rev() { (row(contract_id, c, d, token, can_write)) } } }))
        }
        @if can_write && c.deleted.is_none() {
            form.form method="post" enctype="multipart/form-data" action={ "/contratos/" (contract_id) "/documentos" } {
                (csrf_field(token))
                div.form-grid {
                    (select_field(&Field::new("asunto", "Documento de").value("contrato").required(), &options))
                    (text_field(&Field::new("descripcion", "Descripción").placeholder("Contrato firmado, certificado de la póliza…")))
                }
                div class="field field-file" {
                    label.field-label for="campo-archivo" { "Archivo" span.req aria-hidden="true" { " *" } }
                    p.field-hint id="campo-archivo-hint" { (limit) }
                    input.input id="campo-archivo" name="archivo" type="file" required
                        accept="application/pdf,image/png,image/jpeg" aria-describedby="campo-archivo-hint";
                }
                button.btn.btn-secondary type="submit" { "Adjuntar documento" }
            }
        }
    }
}
