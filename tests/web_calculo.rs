//! Issue 13, item 1 (the billing calculation): a delivered híbrido month exports its calculation as
//! XLSX with the same figures the report page shows — domain.md's example: $ 15.000.000 minimum at
//! 5 %, $ 400.000.000 of sales bill $ 20.000.000 (excess $ 5.000.000). Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::Role;
use auth_support::Web;
use calamine::{Data, Reader, Xlsx};
use common::Engine;
use web_fixtures::*;

async fn a_delivered_month_exports_its_calculation(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let tercero = tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    let id = hybrid_fifteen_million(&web.app, "CT-CALC-1", tercero).await;
    deliver_months(&web.app, id, &admin(), 2025, 9..=9, money(400_000_000)).await;
    let aud = web.logged_in("aud").await;
    let report = format!("/contratos/{id}/informes-ventas/2025/9");
    let page = aud.get(&report).await.text().await.unwrap();
    assert!(page.contains("$ 20.000.000"), "{page}");
    assert!(page.contains("/calculo"), "the page links its export");

    let response = aud.get(&format!("{report}/calculo")).await;
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Cálculo").unwrap();
    let value = |concept: &str| {
        (0..sheet.height() as u32)
            .find(|r| sheet.get_value((*r, 0)) == Some(&Data::String(concept.into())))
            .and_then(|r| sheet.get_value((r, 1)).cloned())
            .unwrap_or_else(|| panic!("no row {concept}"))
    };
    assert_eq!(value("Ventas netas"), Data::Float(400_000_000.0));
    assert_eq!(value("Porcentaje de las ventas"), Data::Float(5.0));
    assert_eq!(value("Valor por ventas"), Data::Float(20_000_000.0));
    assert_eq!(value("Mínimo garantizado"), Data::Float(15_000_000.0));
    assert_eq!(value("Excedente sobre el mínimo"), Data::Float(5_000_000.0));
    assert_eq!(
        value("Facturado al entregar el informe"),
        Data::Float(20_000_000.0)
    );
    assert_eq!(value("Total del mes"), Data::Float(20_000_000.0));

    // A month without a delivered report has no calculation; the read is in the trail.
    assert_eq!(
        aud.get(&format!("/contratos/{id}/informes-ventas/2025/10/calculo"))
            .await
            .status()
            .as_u16(),
        404
    );
    let trail = aud.get("/auditoria/lecturas").await.text().await.unwrap();
    assert!(trail.contains("cálculo del informe de"), "{trail}");
}
both_engines!(
    a_delivered_month_exports_its_calculation,
    super::a_delivered_month_exports_its_calculation
);
