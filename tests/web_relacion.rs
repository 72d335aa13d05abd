//! Issue 13, item 1 (the rent roll): `/contratos/relacion-canones` lists every contract in force with
//! its canon or minimum, share of sales, next adjustment and end date, and the totals per class and
//! modality; the XLSX and CSV exports hold the same contracts and totals, typed, and the count is the
//! dashboard's. Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::collections::BTreeMap;

use arriendo_events::Role;
use auth_support::Web;
use calamine::{Data, Reader, Xlsx};
use common::Engine;

async fn the_rent_roll_page_and_exports_agree(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let today = arriendo::app::today();
    arriendo::demo::load(&web.app, today).await.unwrap();
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;

    let totals = arriendo::queries::relacion::totals(&web.app.db)
        .await
        .unwrap();
    let in_force: i64 = totals.iter().map(|t| t.contracts).sum();
    let canon: i64 = totals.iter().map(|t| t.canon).sum();
    let dashboard = arriendo::queries::dashboard::in_force_counts(&web.app.db, None)
        .await
        .unwrap();
    assert_eq!(
        in_force as u64, dashboard.total,
        "the dashboard counts the same contracts"
    );
    assert!(in_force > 10, "the demo has contracts in force");

    let first = arriendo::queries::relacion::page(&web.app.db, "", 5)
        .await
        .unwrap();
    assert_eq!(first.len(), 5);
    let page = gus.get("/contratos/relacion-canones").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Relación de cánones"));
    assert!(
        html.contains(&arriendo_views::format::money(canon)),
        "total canon shown"
    );
    assert!(html.contains("formato=xlsx"));
    assert!(
        gus.get("/contratos")
            .await
            .text()
            .await
            .unwrap()
            .contains("/contratos/relacion-canones"),
        "reachable from the contract list"
    );

    // CSV: one row per contract in force, the canons add up to the page's total.
    let csv = gus
        .get("/contratos/relacion-canones/exportar?formato=csv")
        .await
        .bytes()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(&csv[..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Contrato");
    let canon_col = headers.iter().position(|h| h == "Canon o mínimo").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as i64, in_force);
    let csv_canon: i64 = rows
        .iter()
        .filter(|r| !r[canon_col].is_empty())
        .map(|r| r[canon_col].parse::<i64>().unwrap())
        .sum();
    assert_eq!(csv_canon, canon);
    let numbers: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted, "by number");

    // XLSX: the same contracts with typed cells, and the totals sheet.
    let bytes = gus
        .get("/contratos/relacion-canones/exportar?formato=xlsx")
        .await
        .bytes()
        .await
        .unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Contratos").unwrap();
    // The demo's company heads the title (one line), then the roll's own two lines and a blank.
    let header = 4;
    assert_eq!(
        sheet.get_value((header, 0)),
        Some(&Data::String("Contrato".into()))
    );
    let mut xlsx_canon = 0.0;
    for i in 0..in_force as u32 {
        let row = header + 1 + i;
        assert_eq!(
            sheet.get_value((row, 0)),
            Some(&Data::String(numbers[i as usize].to_string()))
        );
        match sheet.get_value((row, canon_col as u32)) {
            Some(Data::Float(v)) => xlsx_canon += v,
            Some(Data::Empty) | None => {}
            other => panic!("canon is a number: {other:?}"),
        }
        assert!(
            matches!(sheet.get_value((row, 9)), Some(Data::DateTime(_))),
            "end date"
        );
    }
    assert_eq!(xlsx_canon as i64, canon);
    let sums = book.worksheet_range("Totales").unwrap();
    let mut by_class: BTreeMap<String, f64> = BTreeMap::new();
    for row in (header + 1)..sums.height() as u32 {
        if let (Some(Data::String(class)), Some(Data::Float(v))) =
            (sums.get_value((row, 0)), sums.get_value((row, 3)))
        {
            *by_class.entry(class.clone()).or_default() += v;
        }
    }
    assert_eq!(by_class.values().sum::<f64>() as i64, canon);

    // Unknown format: a Spanish 422.
    let bad = gus
        .get("/contratos/relacion-canones/exportar?formato=pdf")
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    assert!(bad.text().await.unwrap().contains("Elija XLSX o CSV"));
}
both_engines!(
    the_rent_roll_page_and_exports_agree,
    super::the_rent_roll_page_and_exports_agree
);
