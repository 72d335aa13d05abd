//! Postponing an alert until a date, or marking it handled, always with a note
//! (`/alertas/atender`): the decision is an event of the contract, shown with its author.

use maud::{Markup, html};

use super::dashboard::{AlertRow, date_label, tone};
use crate::components::{
    Field, FormErrors, alert_actions, badge, breadcrumbs, card, csrf_field, date_field,
    error_summary, page_header, textarea,
};
use crate::pages::form_values::FormValues;
use crate::{PageContext, format, page};

/// The page: the alert, how it stands, and the form.
#[derive(Debug, Clone)]
pub struct HandlePage<'a> {
    pub alert: &'a AlertRow,
    pub values: &'a FormValues,
    pub errors: &'a FormErrors,
}

pub fn handle_page(ctx: &PageContext, p: &HandlePage<'_>) -> Markup {
    let a = p.alert;
    let id = a.contract_id.clone().unwrap_or_default();
    let title = format!("{} · contrato {}", a.kind.label(), a.contract_number);
    let action = a.action.as_ref().map(|x| (x.label.clone(), x.href.clone()));
    let body = html! {
        (breadcrumbs(&[("Panel", "/"), ("Alertas", "/alertas"), (&a.contract_number, "")]))
        (page_header(&title, Some("Posponer la alerta o marcarla como atendida"), html! {}))
        (error_summary(p.errors))
        (card(None, html! {
            p { (badge(tone(a.severity), a.severity.label())) " " (a.message) }
            p.muted.small { (date_label(a.kind)) " " (format::date(a.trigger_date)) " · " (format::days_left(a.days_left)) }
            @if let Some(h) = &a.handled { p { strong { (h.sentence()) } } }
            (alert_actions(action.as_ref(), None))
        }))
        form.form.section method="post" action="/alertas/atender" {
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="contrato" value=(id);
            input type="hidden" name="tipo" value=(a.kind.slug());
            input type="hidden" name="asunto" value=(a.subject);
            (textarea(&Field::new("nota", "Nota (qué se hizo o por qué se pospone)").value(p.values.get("nota")).required().errors(p.errors), 3))
            (date_field(&Field::new("hasta", "Posponer hasta el").value(p.values.get("hasta"))
                .hint("Solo para posponer: ese día la alerta vuelve al panel.").errors(p.errors)))
            div.form-actions {
                button.btn.btn-primary type="submit" name="accion" value="posponer" { "Posponer" }
                button.btn.btn-secondary type="submit" name="accion" value="atendida" { "Marcar como atendida" }
                a.btn.btn-ghost href={ "/contratos/" (id) } { "Ver el contrato" }
            }
            p.muted.small { "Una alerta atendida sale del panel mientras su fecha no cambie; si cambia (otra fecha de vencimiento, otro plazo), vuelve." }
        }
    };
    page(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arriendo_projections::{AlertKind, Severity};

    #[test]
    fn the_form_names_the_alert_and_keeps_what_was_typed() {
        let alert = AlertRow {
            kind: AlertKind::PolizaNoAportada,
            severity: Severity::Danger,
            contract_id: Some("c1".into()),
            contract_number: "CT-1".into(),
            tercero_name: String::new(),
            trigger_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
            days_left: -3,
            source: "Contrato".into(),
            message: "Póliza RCE exigida por el contrato CT-1: no aportada".into(),
            subject: "RCE".into(),
            action: None,
            handled: None,
        };
        let mut errors = FormErrors::new();
        errors.add("nota", "Indique la nota.");
        let values = FormValues::new().with("hasta", "2026-03-20");
        let html = handle_page(
            &PageContext::default(),
            &HandlePage {
                alert: &alert,
                values: &values,
                errors: &errors,
            },
        )
        .into_string();
        assert!(html.contains("name=\"asunto\" value=\"RCE\""), "{html}");
        assert!(html.contains("value=\"20/03/2026\""));
        assert!(html.contains("Indique la nota."));
    }
}
