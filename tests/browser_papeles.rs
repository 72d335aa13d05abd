//! Issue 13 in a real browser (headless Chromium), on the demo portfolio: an administradora uploads
//! a signed contract through the page's own file input (multipart from the browser, CSRF token
//! included) and finds it on the contract page and in its history; records the company's data; and
//! walks the catalogs, a contract's clause checklist and the e-mail digests' settings. Screenshots for
//! docs/guia-usuario.md go to `target/screenshots/`.
//! `#[ignore]`d like `tests/browser.rs`: `scripts/test` runs it (and sets ARRIENDO_BROWSER_TESTS, so a
//! missing Chromium fails it); with `--include-ignored` elsewhere it skips without Chromium.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod browser_support;
mod common;
mod web_fixtures;

use arriendo_events::actor::Role;
use auth_support::Web;
use browser_support::*;
use common::Engine;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs Chromium and chromedriver: scripts/test installs them and runs ignored tests"]
async fn browser_uploads_a_document_and_walks_the_company_catalogs_and_digests() {
    let Some((driver, c, _profile)) = open_browser().await else {
        return;
    };
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("ana", Role::Administrador).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    // The demo attaches documents to its first contracts: take one of those.
    let events = arriendo::store::event_log::read_after(&web.app.db, 0, 1_000_000)
        .await
        .unwrap();
    let id = events
        .iter()
        .find(|e| e.event_type == "DocumentAttached")
        .map(|e| e.aggregate_id.clone())
        .unwrap();
    let base = web.base.clone();
    login(&c, &base, "ana").await;

    // Upload a PDF through the page's form: the browser builds the multipart body.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Otro documento firmado.pdf");
    std::fs::write(&file, b"%PDF-1.4\n% subido desde el navegador\n%%EOF\n").unwrap();
    let page = format!("/contratos/{id}");
    c.goto(&format!("{base}{page}#documentos")).await.unwrap();
    let html = body(&c).await;
    assert!(html.contains("Adjuntar documento"), "{html}");
    fill(&c, "campo-descripcion", "Anexo firmado").await;
    let input = c.find(Locator::Id("campo-archivo")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    submit(&c, &format!("{page}/documentos")).await;
    let html = body(&c).await;
    assert!(
        html.contains("Documento «Otro documento firmado.pdf» adjuntado."),
        "{html}"
    );
    assert!(html.contains("Anexo firmado"));
    assert!(html.contains("Adjuntó «Otro documento firmado.pdf» (PDF,"));
    c.goto(&format!("{base}{page}#documentos")).await.unwrap();
    shot(&c, "documentos.png").await;

    // The company: the demo recorded it; the page shows the form and the logo.
    c.goto(&format!("{base}/empresa")).await.unwrap();
    let html = body(&c).await;
    assert!(html.contains("Centro Comercial Andino S.A.S."));
    assert!(html.contains("src=\"/empresa/logo?v="));
    shot(&c, "empresa.png").await;

    // The printed contract carries the company and its logo.
    c.goto(&format!("{base}{page}/imprimir")).await.unwrap();
    let html = body(&c).await;
    assert!(html.contains("company-header"), "{html}");
    shot(&c, "contrato-impreso-empresa.png").await;

    // Catalogs, the contract's clause checklist, and the e-mail digests.
    c.goto(&format!("{base}/catalogos")).await.unwrap();
    assert!(body(&c).await.contains("STAND PRIMER PISO"));
    shot(&c, "catalogos.png").await;
    c.goto(&format!("{base}{page}/clausulas")).await.unwrap();
    assert!(body(&c).await.contains("Cláusulas"));
    shot(&c, "clausulas.png").await;
    c.goto(&format!("{base}/alertas/correo")).await.unwrap();
    assert!(body(&c).await.contains("Correo de alertas"));
    shot(&c, "correo-alertas.png").await;

    // A sales report's billing, printed by the browser to PDF (the print stylesheet drops the
    // navigation and forms): the page the guide shows.
    let delivered = events
        .iter()
        .find(|e| e.event_type == "SalesReportDelivered")
        .unwrap();
    let period = &delivered.payload["SalesReportDelivered"]["period"];
    let report = format!(
        "/contratos/{}/informes-ventas/{}/{}",
        delivered.aggregate_id, period["year"], period["month"]
    );
    c.goto(&format!("{base}{report}")).await.unwrap();
    assert!(body(&c).await.contains("Facturación"), "{report}");
    let pdf = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let path = screenshots_dir().join("facturacion-impresa.pdf");
    std::fs::write(&path, &pdf).unwrap();
    println!("printed: {} ({} bytes)", path.display(), pdf.len());

    c.close().await.unwrap();
    drop(driver);
}
