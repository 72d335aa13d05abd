use super::*;
use crate::YearMonth;

fn march() -> YearMonth {
    YearMonth::new(2025, 3).unwrap()
}

fn register(deadline: Option<NaiveDate>) -> ContratoCommand {
    ContratoCommand::RegisterSalesReport {
        actor: gestor(),
        period: march(),
        deadline,
    }
}

#[test]
fn the_deadline_defaults_to_the_due_day_of_the_next_month() {
    let story = Story::of(hybrid_terms()).ok(register(None));
    assert_eq!(story.state.informes_ventas[0].deadline, d(2025, 4, 10));
    assert_eq!(
        story.state.informes_ventas[0].status,
        SalesReportStatus::Pendiente
    );
    assert!(story.state.informes_ventas[0].is_overdue(d(2025, 4, 11)));
    assert!(!story.state.informes_ventas[0].is_overdue(d(2025, 4, 10)));
}

#[test]
fn a_duplicate_sales_report_is_refused() {
    let story = Story::of(hybrid_terms()).ok(register(Some(d(2025, 4, 5))));
    assert_eq!(
        story.refused(register(None)),
        "ya existe el informe de ventas de 03/2025"
    );
}

#[test]
fn fixed_canon_contracts_do_not_report_sales() {
    assert_eq!(
        Story::of(terms()).refused(register(None)),
        "el contrato CT-001 es de canon fijo y no reporta ventas"
    );
}

#[test]
fn delivered_then_back_to_pending() {
    // Created (1), March registered (2), delivered (3).
    let deliver = |gross: i64, returns: i64, seen: u64| ContratoCommand::MarkSalesReportDelivered {
        actor: gestor(),
        period: march(),
        date: d(2025, 4, 8),
        gross_sales: pesos(gross),
        returns: pesos(returns),
        expected_version: seen,
    };
    let story = Story::of(hybrid_terms()).ok(register(None));
    assert_eq!(
        story.refused(deliver(100, 101, 2)),
        "las devoluciones no pueden superar las ventas brutas"
    );
    let story = story.ok(deliver(80_000_000, 5_000_000, 2));
    assert_eq!(
        story.state.informes_ventas[0].net_sales(),
        Some(pesos(75_000_000))
    );
    let pending = ContratoCommand::MarkSalesReportPending {
        actor: gestor(),
        period: march(),
    };
    let story = story.ok(pending.clone());
    assert_eq!(
        story.state.informes_ventas[0].status,
        SalesReportStatus::Pendiente
    );
    assert_eq!(
        story.refused(pending),
        "el informe de ventas de 03/2025 ya está pendiente"
    );
    let other = ContratoCommand::MarkSalesReportPending {
        actor: gestor(),
        period: YearMonth::new(2025, 4).unwrap(),
    };
    assert_eq!(
        story.refused(other),
        "no existe el informe de ventas de 04/2025"
    );
}
