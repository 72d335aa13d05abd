//! Issue 12 in a real browser (headless Chromium): an auditor opens a contract with two Otro Sí, an
//! adjustment, a renewal and an edit; views it as it stood on 01/03/2024; compares two dates and two
//! events; opens the log filtered to the contract and downloads its XLSX export from the page (the
//! browser's own session fetches it); prints the contract's state with its history to PDF; and finds
//! each of those reads in the trail. Screenshots for docs/auditoria.md go to `target/screenshots/`.
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
use serde_json::json;
use web_fixtures::audited_contract;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs Chromium and chromedriver: scripts/test installs them and runs ignored tests"]
async fn browser_walks_an_auditor_through_time_travel_compare_and_exports() {
    let Some((driver, c, _profile)) = open_browser().await else {
        return;
    };
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("auditora", Role::Auditor).await;
    let id = audited_contract(&web.app).await;
    let base = web.base.clone();
    login(&c, &base, "auditora").await;

    // The contract today: the edit's reason in the history, the way to the full log and the exports.
    c.goto(&format!("{base}/contratos/{id}")).await.unwrap();
    let today = body(&c).await;
    assert!(today.contains("Motivo: Preaviso corregido según la cláusula 5"));
    assert!(today.contains("Versión para imprimir o guardar como PDF"));

    // Time travel: in force on 01/03/2024, before any Otro Sí.
    let open = wait(&c, Locator::Css("details.section summary")).await;
    open.click().await.unwrap();
    set_value(&c, "campo-vigente", "2024-03-01").await;
    submit(&c, &format!("/contratos/{id}")).await;
    let past = body(&c).await;
    assert!(past.contains("Está viendo el pasado."), "{past}");
    assert!(past.contains("Términos vigentes el 01/03/2024"));
    assert!(past.contains("$ 10.000.000"));
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("vigente=2024-03-01")
    );
    shot(&c, "auditoria-viaje.png").await;

    // Compare two dates, then two events.
    c.goto(&format!(
        "{base}/contratos/{id}/comparar?a=2024-03-01&b=2025-09-01"
    ))
    .await
    .unwrap();
    let dates = body(&c).await;
    assert!(dates.contains("RCE RCE-77 (vigente)") && dates.contains("RCE RCE-77 (vencida)"));
    shot(&c, "auditoria-comparar.png").await;
    let events = arriendo::store::event_log::read_stream(&web.app.db, "contrato", &id.to_string())
        .await
        .unwrap();
    let approval = events
        .iter()
        .find(|e| e.event_type == "OtroSiApproved")
        .unwrap()
        .position;
    let edit = events.last().unwrap().position;
    let second = wait(&c, Locator::Css("details.section:nth-of-type(2) summary")).await;
    second.click().await.unwrap();
    select(&c, "campo-ea", &approval.to_string()).await;
    select(&c, "campo-eb", &edit.to_string()).await;
    set_value(&c, "campo-fecha", "2025-09-01").await;
    let forms = c.find_all(Locator::Css("form.filters")).await.unwrap();
    let button = forms[1]
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap();
    click_and_wait(&c, button).await;
    let compared = body(&c).await;
    assert!(compared.contains("entre los dos eventos."), "{compared}");
    assert!(compared.contains("$ 12.500.000 (OS-2)"));

    // The log filtered to the contract, with the chain's state and the export links.
    c.goto(&format!("{base}/auditoria?contrato=CT-PAP-1"))
        .await
        .unwrap();
    let log = body(&c).await;
    assert!(log.contains("Cadena íntegra hasta la posición"), "{log}");
    shot(&c, "auditoria-registro.png").await;
    let link = c
        .find(Locator::Css("p.export-links a[href*='formato=xlsx']"))
        .await
        .unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    // The browser's own session downloads it: the bytes are an XLSX (a ZIP) with the log's rows.
    let fetched = c
        .execute(
            "return fetch(arguments[0]).then(r => r.arrayBuffer().then(buf => {
                 const b = new Uint8Array(buf);
                 return [r.status, r.headers.get('content-type'), b.length, b[0], b[1]];
             }));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(fetched[0], 200);
    assert!(fetched[1].as_str().unwrap().contains("spreadsheetml"));
    assert!(fetched[2].as_u64().unwrap() > 1000);
    assert_eq!(
        (fetched[3].as_u64(), fetched[4].as_u64()),
        (Some(0x50), Some(0x4b)),
        "PK"
    );

    // The printable state on 01/03/2024 with the whole history, as a PDF.
    c.goto(&format!(
        "{base}/contratos/{id}/imprimir?vigente=2024-03-01"
    ))
    .await
    .unwrap();
    assert!(body(&c).await.contains("Impreso el"));
    let pdf = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let path = screenshots_dir().join("auditoria-impresion.pdf");
    std::fs::write(&path, &pdf).unwrap();
    println!("printed: {} ({} bytes)", path.display(), pdf.len());

    // Every read above is in the trail, with who.
    c.goto(&format!("{base}/auditoria/lecturas")).await.unwrap();
    let trail = body(&c).await;
    for text in [
        "Vista en otra fecha",
        "Comparación",
        "Exportación",
        "Impresión",
        "auditora",
    ] {
        assert!(trail.contains(text), "{text}\n{trail}");
    }
    shot(&c, "auditoria-lecturas.png").await;
    c.close().await.unwrap();
    drop(driver);
}
