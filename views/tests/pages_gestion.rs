//! Render tests of the catalog, póliza, sales-report, IPC and backup pages from fixtures: what
//! they say, and what must hold for every page (no inline style or script, unique ids).

#![allow(clippy::unwrap_used)] // test fixtures

use std::collections::HashSet;

use arriendo_events::{
    AdjustmentIndex, CanonAdjustment, Money, PaymentModality, Percentage, SalesReport,
    SalesReportStatus, YearMonth,
};
use arriendo_projections::Source;
use arriendo_projections::billing::bill;
use arriendo_views::components::FormErrors;
use arriendo_views::pages::catalogos::Paging;
use arriendo_views::pages::indices::{AdjustForm, AdjustmentPage, adjustment_page};
use arriendo_views::pages::respaldos::{RespaldosPage, RunRow, SetFile, SetRow, respaldos_page};
use arriendo_views::pages::terceros::{self, TerceroForm, TerceroList, TerceroRow};
use arriendo_views::pages::ventas::{DeliverForm, SalesDetail, detail_page};
use arriendo_views::{PageContext, UserBadge};
use chrono::NaiveDate;

fn ctx() -> PageContext {
    PageContext {
        user: Some(UserBadge {
            username: "ana".into(),
            role_label: "Administrador".into(),
            is_admin: true,
        }),
        csrf_token: "t0k".into(),
        flash: vec![],
        current_path: "/".into(),
        quarantined: 0,
        inbox: 0,
    }
}

fn money(p: i64) -> Money {
    Money::from_pesos(p).unwrap()
}

/// CSP-safe and well-formed enough: no inline style/script, every id once.
fn check(html: &str) {
    assert!(!html.contains("style="), "inline style");
    assert!(!html.contains("<script>"), "inline script");
    assert!(!html.contains("onclick"));
    let mut seen = HashSet::new();
    for (i, _) in html.match_indices(" id=\"") {
        let rest = &html[i + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        assert!(seen.insert(id.to_string()), "duplicate id {id}");
    }
}

#[test]
fn billing_result_of_a_hibrido_month() {
    let period = YearMonth::new(2026, 3).unwrap();
    let modality = PaymentModality::Hibrido {
        minimum: money(10_000_000),
        percentage: Percentage::parse("8").unwrap(),
    };
    let billing = bill(
        period,
        &modality,
        money(160_000_000),
        money(10_000_000),
        Source::OtroSi("OS-2".into()),
    )
    .unwrap();
    let report = SalesReport {
        status: SalesReportStatus::Entregado {
            date: NaiveDate::from_ymd_opt(2026, 4, 8).unwrap(),
            gross_sales: money(160_000_000),
            returns: money(10_000_000),
        },
        ..SalesReport::pending(period, NaiveDate::from_ymd_opt(2026, 4, 10).unwrap())
    };
    let html = detail_page(
        &ctx(),
        &SalesDetail {
            contract_id: "c1",
            contract_number: "CT-1",
            report: &report,
            billing: Some(Ok(billing)),
            deliver: &DeliverForm::default(),
            today: NaiveDate::from_ymd_opt(2026, 4, 20).unwrap(),
            can_write: true,
        },
    )
    .into_string();
    check(&html);
    assert!(html.contains("Informe de ventas de Marzo de 2026"));
    for text in [
        "$ 150.000.000",
        "8 %",
        "$ 12.000.000",
        "$ 2.000.000",
        "se factura el mínimo $ 10.000.000 más el excedente $ 2.000.000",
        "OS-2 (modificado por OS-2)",
        // How the total is formed, and how it is rounded.
        "Facturado $ 12.000.000",
        "Mínimo garantizado: $ 10.000.000.",
        "Ventas × porcentaje: $ 150.000.000 × 8 % = $ 12.000.000.",
        "Excedente: $ 12.000.000 − $ 10.000.000 = $ 2.000.000.",
        "Total a facturar: mínimo $ 10.000.000 + excedente $ 2.000.000 = $ 12.000.000.",
        "al peso, la mitad hacia arriba",
        "Entregado",
        "08/04/2026",
        "action=\"/contratos/c1/informes-ventas/2026/3/entregar\"",
        "action=\"/contratos/c1/informes-ventas/2026/3/pendiente\"",
    ] {
        assert!(html.contains(text), "{text}");
    }
}

#[test]
fn tercero_list_and_form_with_an_error_beside_the_nit() {
    let list = TerceroList {
        rows: vec![TerceroRow {
            id: "t1".into(),
            nit: "900.123.456-8".into(),
            razon_social: "Café Andino S.A.S.".into(),
            kind: arriendo_events::TerceroKind::Arrendatario,
        }],
        q: "andino".into(),
        tipo: "arrendatario".into(),
        paging: Paging {
            page: 1,
            per_page: 25,
            total: 1,
            query: "q=andino".into(),
        },
        can_write: true,
    };
    let html = terceros::list_page(&ctx(), &list).into_string();
    check(&html);
    assert!(html.contains("1 tercero"));
    assert!(html.contains("href=\"/terceros/t1\""));
    assert!(html.contains("value=\"andino\""));
    assert!(html.contains("href=\"/terceros/nuevo\""));

    let mut errors = FormErrors::new();
    errors.add("nit", "Ya existe un arrendatario con el NIT 900.123.456-8.");
    let form = TerceroForm {
        nit: "900.123.456-8".into(),
        razon_social: "Otra".into(),
        tipo: "arrendatario".into(),
        errors,
        ..TerceroForm::default()
    };
    let html = terceros::form_page(&ctx(), &form, None).into_string();
    check(&html);
    assert!(html.contains("id=\"campo-nit-error\""));
    assert!(html.contains("Ya existe un arrendatario con el NIT 900.123.456-8."));
    assert!(html.contains("name=\"csrf_token\" value=\"t0k\""));
}

#[test]
fn adjustment_preview_with_confirmation() {
    let adjustment = CanonAdjustment {
        year: 2026,
        rule: AdjustmentIndex::Ipc {
            points: Percentage::parse("2").unwrap(),
        },
        index_value: Percentage::parse("5,2").unwrap(),
        increase: rust_decimal::Decimal::new(72, 1),
        previous_canon: money(10_000_000),
        new_canon: money(10_720_000),
        effective_date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        by: "ana".into(),
    };
    let form = AdjustForm {
        anio: "2026".into(),
        valor: "5,2".into(),
        fecha: "2026-02-01".into(),
        errors: FormErrors::new(),
        warning: Some("El valor es 10 veces el IPC registrado para 2025 (0,52 %).".into()),
    };
    let html = adjustment_page(
        &ctx(),
        &AdjustmentPage {
            contract_id: "c1",
            contract_number: "CT-1",
            rule: Some("IPC + 2 puntos".into()),
            form: &form,
            preview: Some(&adjustment),
            reliquidacion: &[],
            can_write: true,
        },
    )
    .into_string();
    check(&html);
    for text in [
        "$ 10.000.000",
        "7,2 %",
        "$ 10.720.000",
        "01/02/2026",
        "El ajuste no cambia ningún mes ya facturado",
        "Confirmar ajuste",
        "Confirmo el nuevo canon de $ 10.720.000 desde el 01/02/2026",
        "name=\"confirmar\"",
        "10 veces el IPC registrado para 2025",
    ] {
        assert!(html.contains(text), "{text}");
    }
}

#[test]
fn backups_page_lists_runs_and_files() {
    let runs = [RunRow {
        started: "01/03/2026 02:00".into(),
        kind: "Respaldo".into(),
        trigger: "Programado".into(),
        status: "failed".into(),
        error: Some("disk full".into()),
        ..RunRow::default()
    }];
    let sets = [SetRow {
        name: "backup_20260301_070000".into(),
        created: "01/03/2026 02:00".into(),
        kind: "Incremental".into(),
        depends_on: Some("Continúa backup_20260228_070000".into()),
        events: 1234,
        files: vec![SetFile {
            name: "backup_20260301_070000.json".into(),
            kind: "JSON".into(),
            size: "1.2 MB".into(),
        }],
    }];
    let html = respaldos_page(
        &ctx(),
        &RespaldosPage {
            runs: &runs,
            sets: &sets,
            output_dir: "/datos/backups",
            running: false,
            settings_error: None,
            settings_warning: Some("Copias externas desactivadas"),
            ops: None,
        },
    )
    .into_string();
    check(&html);
    assert!(html.contains("Fallido"));
    assert!(html.contains("disk full"));
    assert!(html.contains("Copias externas desactivadas"));
    assert!(html.contains("href=\"/respaldos/archivos/backup_20260301_070000.json\""));
    assert!(html.contains("action=\"/respaldos/backup_20260301_070000/verificar\""));
    assert!(html.contains("1.234"));
    assert!(html.contains("Incremental") && html.contains("Continúa backup_20260228_070000"));
    assert!(html.contains("name=\"accion\" value=\"respaldar\""));
}
