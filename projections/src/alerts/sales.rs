//! Informe de ventas: monthly sales reports due or overdue.

use arriendo_events::{SalesReportStatus, YearMonth, format_date};
use chrono::NaiveDate;

use super::{
    Alert, AlertAction, AlertKind, Ctx, INFORME_DUE_DAYS, Severity, days_phrase, report_deadline,
};
use crate::checked::{days_between, minus_days};
use crate::source::Sourced;
use crate::vigente::modality_at;

pub(super) fn sales_report_alerts(ctx: &Ctx<'_>) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let n = &ctx.number;
    let mut alert_for = |period: YearMonth, deadline: NaiveDate, registered: bool| {
        let days = days_between(ctx.today, deadline);
        let severity = if days < 0 {
            Severity::Danger
        } else if days <= INFORME_DUE_DAYS {
            Severity::Warning
        } else {
            return;
        };
        let what = if registered {
            "está pendiente"
        } else {
            "no ha sido registrado"
        };
        let when = if days < 0 {
            format!(
                "venció el {} ({})",
                format_date(deadline),
                days_phrase(days)
            )
        } else {
            format!("vence el {} ({})", format_date(deadline), days_phrase(days))
        };
        let mut alert = ctx.alert(
            AlertKind::InformeVentas,
            severity,
            &Sourced::contrato(deadline),
            format!("El informe de ventas de {period} del contrato {n} {what}; {when}"),
        );
        alert.subject = format!("{:04}-{:02}", period.year(), period.month());
        alert.action = if registered {
            AlertAction::new(
                "Registrar la entrega del informe",
                ctx.page(&format!(
                    "/informes-ventas/{}/{}",
                    period.year(),
                    period.month()
                )),
            )
        } else {
            AlertAction::new("Registrar el informe", ctx.page("/informes-ventas/nuevo"))
        };
        alerts.push(alert);
    };
    for report in &ctx.contrato.informes_ventas {
        if report.status == SalesReportStatus::Pendiente {
            alert_for(report.period, report.deadline, true);
        }
    }
    // The report of the last completed month, when it has not been registered yet.
    if let Some(terms) = ctx.contrato.terms.as_ref() {
        let last_month = YearMonth::of(minus_days(YearMonth::of(ctx.today).first_day(), 1));
        let sales_based = modality_at(ctx.contrato, last_month.last_day(), &[])
            .is_some_and(|m| m.modality.is_sales_based());
        if sales_based
            && terms.start_date <= last_month.last_day()
            && ctx.contrato.find_sales_report(last_month).is_none()
        {
            let deadline = report_deadline(terms.sales_report_due_day, last_month);
            alert_for(last_month, deadline, false);
        }
    }
    alerts
}
