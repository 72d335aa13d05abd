//! Issue 13, item 1: the contract list (with its filters), the alerts (all, or one kind), the pólizas
//! and the sales reports export as CSV and XLSX with every row the pages list (all pages, same
//! filters), typed cells, and a record in the trail of reads. Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::Role;
use arriendo_views::pages::contratos_list::ContractFilters;
use arriendo_views::pages::dashboard::AlertFilters;
use arriendo_views::pages::polizas::PolizaFilters;
use arriendo_views::pages::ventas::SalesFilters;
use auth_support::{Browser, Web};
use calamine::{Data, Reader, Xlsx};
use common::Engine;

async fn csv_rows(who: &Browser, path: &str) -> Vec<csv::StringRecord> {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let bytes = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    reader.records().map(Result::unwrap).collect()
}

async fn xlsx(who: &Browser, path: &str) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    Xlsx::new(std::io::Cursor::new(
        response.bytes().await.unwrap().to_vec(),
    ))
    .unwrap()
}

async fn every_list_exports_what_its_pages_list(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let today = arriendo::app::today();
    arriendo::demo::load(&web.app, today).await.unwrap();
    web.app.projector.catch_up().await.unwrap();
    let db = &web.app.db;
    let gus = web.logged_in("gus").await;

    // Contracts, all and filtered: as many rows as the list's total, in the list's order.
    for query in [
        "",
        "modalidad=hibrido",
        "estado=vigente&orden=canon&dir=desc",
    ] {
        let (first_page, total) =
            arriendo::queries::contratos::list(db, &ContractFilters::from_query(query))
                .await
                .unwrap();
        let rows = csv_rows(&gus, &format!("/contratos/exportar?formato=csv&{query}")).await;
        assert_eq!(rows.len() as u64, total, "{query}");
        let listed: Vec<&str> = first_page.iter().map(|r| r.number.as_str()).collect();
        let exported: Vec<&str> = rows
            .iter()
            .take(listed.len())
            .map(|r| r.get(0).unwrap())
            .collect();
        assert_eq!(
            exported, listed,
            "the export starts with the page, in its order ({query})"
        );
    }
    let page = gus
        .get("/contratos?modalidad=hibrido&pagina=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("/contratos/exportar?modalidad=hibrido&amp;formato=xlsx"),
        "the link keeps the filters and drops the page"
    );

    // Issue 13 item 8, first part: the contract page links the signed document saved with it.
    let (first_page, _) = arriendo::queries::contratos::list(db, &ContractFilters::from_query(""))
        .await
        .unwrap();
    let contract = gus
        .get(&format!("/contratos/{}", first_page[0].id))
        .await
        .text()
        .await
        .unwrap();
    assert!(contract.contains("Documento firmado"), "{contract}");
    assert!(contract.contains("rel=\"noopener noreferrer\""));

    // Alerts: every kind together and one kind alone.
    let (_, all) = arriendo::queries::dashboard::alert_page(db, &AlertFilters::default(), 1, 25)
        .await
        .unwrap();
    assert!(all > 0, "the demo has alerts");
    assert_eq!(
        csv_rows(&gus, "/alertas/exportar?formato=csv").await.len() as u64,
        all
    );
    let preaviso = AlertFilters::from_query("tipo=preaviso");
    let (_, only) = arriendo::queries::dashboard::alert_page(db, &preaviso, 1, 25)
        .await
        .unwrap();
    let rows = csv_rows(&gus, "/alertas/exportar?formato=csv&tipo=preaviso").await;
    assert_eq!(rows.len() as u64, only);
    assert!(
        rows.iter().all(|r| r.get(0) == Some("Preaviso")),
        "one kind only"
    );

    // Pólizas: the XLSX holds every one, the insured value a number.
    let (_, polizas) = arriendo::queries::polizas::list(db, &PolizaFilters::default(), 1)
        .await
        .unwrap();
    assert!(polizas > 0);
    let mut book = xlsx(&gus, "/polizas/exportar?formato=xlsx").await;
    let sheet = book.worksheet_range("Pólizas").unwrap();
    // The demo recorded the company: its line heads the title, then what the file is.
    assert!(
        matches!(sheet.get_value((0, 0)), Some(Data::String(s)) if s.starts_with("Centro Comercial Andino S.A.S. · NIT "))
    );
    assert_eq!(
        sheet.get_value((1, 0)),
        Some(&Data::String("Arriendo — Pólizas".into()))
    );
    let header = 5;
    assert_eq!(
        sheet.get_value((header, 0)),
        Some(&Data::String("Contrato".into()))
    );
    assert_eq!(sheet.height() as u64, u64::from(header) + 1 + polizas);
    assert!(matches!(sheet.get_value((header + 1, 5)), Some(Data::Float(v)) if *v > 0.0));
    assert!(matches!(
        sheet.get_value((header + 1, 7)),
        Some(Data::DateTime(_))
    ));

    // Sales reports.
    let (_, reports) = arriendo::queries::ventas::list(db, &SalesFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(
        csv_rows(&gus, "/informes-ventas/exportar?formato=csv")
            .await
            .len() as u64,
        reports
    );

    // An unknown format is a Spanish 422; the trail has the exports, with who.
    let bad = gus.get("/polizas/exportar?formato=pdf").await;
    assert_eq!(bad.status().as_u16(), 422);
    assert!(bad.text().await.unwrap().contains("Elija XLSX o CSV"));
    let aud = web.logged_in("aud").await;
    let trail = aud.get("/auditoria/lecturas").await.text().await.unwrap();
    for text in [
        "Contratos",
        "Alertas",
        "Pólizas",
        "Informes de ventas",
        "tipo=preaviso",
        "<td data-label=\"Usuario\">gus</td>",
    ] {
        assert!(trail.contains(text), "{text}");
    }
}
both_engines!(
    every_list_exports_what_its_pages_list,
    super::every_list_exports_what_its_pages_list
);
