//! Issue 13, items 4 and 8: documents attached to a contract (stored by SHA-256 through
//! object_store, served only as attachments with their real type) and the company's data and logo,
//! printed on printed pages and export titles. Worst inputs: HTML named `.pdf`, a file over the
//! limit, an unknown Otro Sí, a file changed on disk behind Arriendo's back, a stale company form.
//! Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{PaymentModality, Role};
use auth_support::{Browser, Web};
use calamine::{Data, Reader, Xlsx};
use common::Engine;
use sha2::{Digest, Sha256};
use web_fixtures::*;

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A `multipart/form-data` POST with the session's token, the text fields and one file.
async fn upload(
    who: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> reqwest::Response {
    try_upload(who, path, fields, file).await.unwrap()
}

/// [`upload`], keeping a transport error: a body over the route's limit is answered (413, connection
/// closed) before it is read, so the client may see its write cut instead of the answer.
async fn try_upload(
    who: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Result<reqwest::Response, reqwest::Error> {
    let token = who.token().await;
    let boundary = "----arriendo-prueba-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in std::iter::once(&("csrf_token", token.as_str())).chain(fields) {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (field, file_name, bytes) = file;
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    who.client
        .post(who.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
}

async fn text(who: &Browser, path: &str) -> String {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.unwrap()
}

fn pdf(words: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {words}\n%%EOF\n").into_bytes()
}

/// The document links of the contract page, in the order shown (newest first).
fn document_links(html: &str, contract: &str) -> Vec<String> {
    let prefix = format!("href=\"/contratos/{contract}/documentos/");
    html.match_indices(&prefix)
        .map(|(at, _)| {
            let rest = &html[at + 6..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn documents_are_attached_downloaded_and_withdrawn(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(
        &web.app,
        terms("CT-DOC-1", tercero, None, modality, today, 30),
    )
    .await;
    let gus = web.logged_in("gus").await;
    let page = format!("/contratos/{id}");
    let add = format!("{page}/documentos");

    let signed = pdf("contrato firmado CT-DOC-1");
    let response = upload(
        &gus,
        &add,
        &[("asunto", "contrato"), ("descripcion", "Contrato firmado")],
        ("archivo", "Contrato Ñandú <firmado>.pdf", &signed),
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let html = text(&gus, &page).await;
    assert!(
        html.contains("Documento «Contrato Ñandú &lt;firmado&gt;.pdf» adjuntado."),
        "{html}"
    );
    assert!(html.contains("Adjuntó «Contrato Ñandú &lt;firmado&gt;.pdf» (PDF,"));
    let links = document_links(&html, &id.to_string());
    assert_eq!(links.len(), 1, "{links:?}");

    // The download: the same bytes, as an attachment of the recorded type, never run.
    let download = gus.get(&links[0]).await;
    assert_eq!(download.status().as_u16(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let disposition = headers["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''Contrato%20%C3%91and%C3%BA%20%3Cfirmado%3E.pdf"),
        "{disposition}"
    );
    let bytes = download.bytes().await.unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        hex::encode(Sha256::digest(&signed))
    );
    // An auditor reads it too.
    let aud = web.logged_in("aud").await;
    assert_eq!(aud.get(&links[0]).await.status().as_u16(), 200);

    // HTML named .pdf is refused by its content, and nothing is recorded.
    let html_file = b"<html><script>alert(document.cookie)</script></html>";
    let response = upload(
        &gus,
        &add,
        &[("asunto", "contrato")],
        ("archivo", "factura.pdf", html_file),
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let html = text(&gus, &page).await;
    assert!(html.contains("no es un PDF, PNG ni JPEG"), "{html}");
    assert_eq!(document_links(&html, &id.to_string()).len(), 1);

    // The same file again on the contract; an Otro Sí that does not exist; a made-up subject.
    for (subject, expected) in [
        ("contrato", "ya está adjunto a este contrato"),
        ("os-9", "el Otro Sí OS-9 no existe"),
        ("os-../../x", "Elija de qué es el documento"),
    ] {
        let response = upload(
            &gus,
            &add,
            &[("asunto", subject)],
            ("archivo", "x.pdf", &signed),
        )
        .await;
        assert_eq!(response.status().as_u16(), 303, "{subject}");
        let html = text(&gus, &page).await;
        assert!(
            html.to_lowercase().contains(&expected.to_lowercase()),
            "{subject}: {html}"
        );
    }

    // Over the limit: refused before a byte of the body is read, with the Spanish page.
    let big = [
        b"%PDF-1.4\n".to_vec(),
        vec![b'x'; 10 * 1024 * 1024 + 70 * 1024],
    ]
    .concat();
    // The answer comes before the body is read; whether the client reads it or sees its write cut
    // is a race, so a few tries: one reads the Spanish page, and none stores anything.
    let mut answered = false;
    for _ in 0..10 {
        let sent = try_upload(
            &gus,
            &add,
            &[("asunto", "contrato")],
            ("archivo", "grande.pdf", &big),
        )
        .await;
        match sent {
            Ok(response) => {
                assert_eq!(response.status().as_u16(), 413);
                let page = response.text().await.unwrap();
                assert!(page.contains("El archivo supera el tamaño máximo de 10 MB"));
                answered = true;
                break;
            }
            Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
        }
    }
    assert!(answered, "the 413 page was never read");
    assert_eq!(
        document_links(&text(&gus, &page).await, &id.to_string()).len(),
        1
    );

    // An auditor uploads nothing.
    let response = upload(
        &aud,
        &add,
        &[("asunto", "contrato")],
        ("archivo", "a.pdf", &pdf("a")),
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);

    // A file changed on disk behind Arriendo's back is not served.
    let digest = hex::encode(Sha256::digest(&signed));
    let on_disk = std::path::Path::new(&web.app.documents.location)
        .join("documentos")
        .join(&digest[..2])
        .join(&digest);
    let original = std::fs::read(&on_disk).unwrap();
    std::fs::write(&on_disk, pdf("alterado")).unwrap();
    let tampered = gus.get(&links[0]).await;
    assert_eq!(tampered.status().as_u16(), 503);
    assert!(
        tampered
            .text()
            .await
            .unwrap()
            .contains("no coincide con su huella SHA-256")
    );
    std::fs::write(&on_disk, original).unwrap();

    // Withdrawal needs a reason; afterwards the document shows as withdrawn and stays readable.
    let doc_id = links[0].rsplit('/').next().unwrap().to_string();
    let withdraw = format!("{}/retirar", links[0]);
    assert_eq!(gus.post(&withdraw, &[]).await.status().as_u16(), 303);
    assert!(
        text(&gus, &page)
            .await
            .contains("El campo «motivo» es obligatorio.")
    );
    let field = format!("motivo_{doc_id}");
    assert_eq!(
        gus.post(
            &withdraw,
            &[(&field, "Versión sin la firma del arrendatario")]
        )
        .await
        .status()
        .as_u16(),
        303
    );
    let html = text(&gus, &page).await;
    assert!(html.contains("Retirado"));
    assert!(html.contains("Versión sin la firma del arrendatario"));
    assert!(html.contains("Retiró el documento «Contrato Ñandú &lt;firmado&gt;.pdf»"));
    assert_eq!(gus.get(&links[0]).await.status().as_u16(), 200);
    // Another contract's id with this document: not found.
    let other = contract(
        &web.app,
        terms(
            "CT-DOC-2",
            tercero,
            None,
            PaymentModality::Fijo {
                canon: money(1_000_000),
            },
            today,
            30,
        ),
    )
    .await;
    assert_eq!(
        gus.get(&format!("/contratos/{other}/documentos/{doc_id}"))
            .await
            .status()
            .as_u16(),
        404
    );
}

async fn the_company_is_recorded_and_printed_on_pages_and_exports(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(
        &web.app,
        terms("CT-EMP-1", tercero, None, modality, today, 30),
    )
    .await;
    let ana = web.logged_in("ana").await;
    let gus = web.logged_in("gus").await;

    // Before anything is recorded: nothing printed, the gestor reads and cannot write.
    assert!(
        text(&gus, "/empresa")
            .await
            .contains("aún no registró los datos")
    );
    let form = [
        ("nombre", "Centro Comercial Andino S.A.S."),
        ("nit", "900.500.600-6"),
        ("representante", "Laura Restrepo"),
        ("direccion", "Carrera 11 # 82-71"),
        ("telefono", "601 555 0101"),
        ("correo", "administracion@ccandino.com.co"),
        ("version", "0"),
    ];
    assert_eq!(gus.post("/empresa", &form).await.status().as_u16(), 403);

    // Bad NIT and e-mail: 422, both messages at once, beside their fields.
    let check = arriendo_events::check_digit_of("900500600");
    let wrong_nit = format!("900.500.600-{}", (check + 1) % 10);
    let mut bad = form;
    bad[1] = ("nit", &wrong_nit);
    bad[5] = ("correo", "no-es-correo");
    let refused = ana.post("/empresa", &bad).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("el dígito de verificación del NIT"), "{html}");
    assert!(html.contains("no es un correo electrónico válido"));

    let nit = format!("900.500.600-{check}");
    let mut good = form;
    good[1] = ("nit", &nit);
    assert_eq!(ana.post("/empresa", &good).await.status().as_u16(), 303);
    assert!(
        text(&gus, "/empresa")
            .await
            .contains("Centro Comercial Andino S.A.S.")
    );
    // The same form sent again from the old version: the other edit is shown, nothing overwritten.
    let mut stale = good;
    stale[0] = ("nombre", "Otro nombre");
    let conflict = ana.post("/empresa", &stale).await;
    assert_eq!(conflict.status().as_u16(), 409);
    assert!(
        text(&gus, "/empresa")
            .await
            .contains("Centro Comercial Andino S.A.S.")
    );

    // The logo: a PNG is kept and served as an image; a PDF is refused.
    let response = upload(&ana, "/empresa/logo", &[], ("logo", "logo.png", PNG_1X1)).await;
    assert_eq!(response.status().as_u16(), 303);
    let html = text(&ana, "/empresa").await;
    assert!(html.contains("Logo actualizado."), "{html}");
    let logo_href = {
        let at = html.find("src=\"/empresa/logo?v=").unwrap() + 5;
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    let logo = gus.get(&logo_href).await;
    assert_eq!(logo.status().as_u16(), 200);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(&logo.bytes().await.unwrap()[..], PNG_1X1);
    let response = upload(&ana, "/empresa/logo", &[], ("logo", "logo.png", &pdf("x"))).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        text(&ana, "/empresa")
            .await
            .contains("El logo debe ser una imagen PNG o JPEG.")
    );

    // The printed contract carries the company and its logo.
    let printed = text(&gus, &format!("/contratos/{id}/imprimir")).await;
    assert!(printed.contains("Centro Comercial Andino S.A.S."));
    assert!(printed.contains(&format!("NIT {nit}")));
    assert!(printed.contains(&logo_href));

    // The XLSX export's first title line is the company.
    let response = gus.get("/contratos/exportar?formato=xlsx").await;
    assert_eq!(response.status().as_u16(), 200);
    let mut book = Xlsx::new(std::io::Cursor::new(
        response.bytes().await.unwrap().to_vec(),
    ))
    .unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String(format!(
            "Centro Comercial Andino S.A.S. · NIT {nit}"
        )))
    );
    assert!(
        matches!(sheet.get_value((1, 0)), Some(Data::String(s)) if s.starts_with("Arriendo — "))
    );

    // The history of the company is in the auditor's log.
    let log = text(&ana, "/auditoria?tipo=empresa").await;
    assert!(log.contains("Registró los datos de la empresa"), "{log}");
    assert!(log.contains("Cambió el logo de la empresa"));
}

both_engines!(
    documents_are_attached_downloaded_and_withdrawn,
    super::documents_are_attached_downloaded_and_withdrawn
);
both_engines!(
    the_company_is_recorded_and_printed_on_pages_and_exports,
    super::the_company_is_recorded_and_printed_on_pages_and_exports
);
