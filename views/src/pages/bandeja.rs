//! The approval inbox (`/bandeja`): the Otro Sí and renewals waiting for an administrador, who
//! approves or rejects them here (with a reason), and what the signed-in user sent and how it went.

use maud::{Markup, html};

use crate::components::{card, csrf_field, empty_state, page_header, state_badge};
use crate::{PageContext, page};

/// What waits for approval: an Otro Sí or a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    OtroSi,
    Renovacion,
}

impl InboxKind {
    /// The form value (`tipo`).
    pub fn slug(self) -> &'static str {
        match self {
            InboxKind::OtroSi => "otrosi",
            InboxKind::Renovacion => "renovacion",
        }
    }

    pub fn from_slug(slug: &str) -> Option<InboxKind> {
        match slug {
            "otrosi" => Some(InboxKind::OtroSi),
            "renovacion" => Some(InboxKind::Renovacion),
            _ => None,
        }
    }

    /// `OS-2`, `RA-1`.
    pub fn label(self, number: u32) -> String {
        match self {
            InboxKind::OtroSi => format!("OS-{number}"),
            InboxKind::Renovacion => format!("RA-{number}"),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            InboxKind::OtroSi => "Otro Sí",
            InboxKind::Renovacion => "Renovación",
        }
    }
}

/// One Otro Sí or renewal, as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    pub kind: InboxKind,
    pub contract_id: String,
    pub contract_number: String,
    pub tercero_name: String,
    pub number: u32,
    /// As the domain says it: `en revisión`, `aprobado`, `propuesta`, `anulada`…
    pub status: String,
    /// Whether it still waits for an administrador.
    pub pending: bool,
    /// What it does, in a line (`Rige desde el 01/03/2027: canon a $ 14.000.000`).
    pub summary: String,
    pub sent_by: String,
    pub decided_by: Option<String>,
    /// Why it was rejected or annulled.
    pub reason: Option<String>,
}

impl InboxItem {
    /// `otrosi-<contract>-2`: the id of its reason field, unique in the page.
    pub fn key(&self) -> String {
        format!("{}-{}-{}", self.kind.slug(), self.contract_id, self.number)
    }

    fn href(&self) -> String {
        match self.kind {
            InboxKind::OtroSi => format!("/contratos/{}/otrosi/{}", self.contract_id, self.number),
            InboxKind::Renovacion => format!("/contratos/{}", self.contract_id),
        }
    }
}

/// The inbox page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbox {
    /// Waiting for an administrador (shown with the actions only to administradores).
    pub pending: Vec<InboxItem>,
    /// What the signed-in user sent.
    pub mine: Vec<InboxItem>,
    pub is_admin: bool,
    /// Why the last action was refused (422 or 409), above everything.
    pub error: Option<String>,
    /// The item whose reason field the error is about, and what was typed there.
    pub error_item: Option<String>,
}

fn hidden_fields(item: &InboxItem) -> Markup {
    html! {
        input type="hidden" name="contrato" value=(item.contract_id);
        input type="hidden" name="tipo" value=(item.kind.slug());
        input type="hidden" name="numero" value=(item.number);
    }
}

fn heading(item: &InboxItem) -> Markup {
    html! {
        a href=(item.href()) { (item.kind.noun()) " " (item.kind.label(item.number)) }
        " · contrato "
        a href={ "/contratos/" (item.contract_id) } { (item.contract_number) }
        @if !item.tercero_name.is_empty() { " · " (item.tercero_name) }
        " " (state_badge(&item.status))
    }
}

fn pending_item(ctx: &PageContext, inbox: &Inbox, item: &InboxItem) -> Markup {
    let key = item.key();
    let field = format!("motivo-{key}");
    let error = inbox
        .error_item
        .as_deref()
        .filter(|k| *k == key)
        .and(inbox.error.as_deref());
    let error_id = format!("{field}-error");
    html! {
        li.inbox-item #(key) {
            p.inbox-title { (heading(item)) }
            p { (item.summary) }
            p.muted.small { "Enviado por " (item.sent_by) }
            @if inbox.is_admin {
                div.inbox-actions {
                    form.inline-form method="post" action="/bandeja/aprobar" {
                        (csrf_field(&ctx.csrf_token))
                        (hidden_fields(item))
                        button.btn.btn-primary type="submit" { "Aprobar " (item.kind.label(item.number)) }
                    }
                    form.form.inbox-reject method="post" action="/bandeja/rechazar" {
                        (csrf_field(&ctx.csrf_token))
                        (hidden_fields(item))
                        div.field.field-textarea {
                            label for=(field) { "Motivo del rechazo" }
                            textarea.input id=(field) name="motivo" rows="2" required
                                aria-invalid=[error.map(|_| "true")]
                                aria-describedby=[error.map(|_| error_id.as_str())] {}
                            @if let Some(e) = error { p.field-error id=(error_id) { (e) } }
                        }
                        button.btn.btn-danger type="submit" { "Rechazar " (item.kind.label(item.number)) }
                    }
                }
            } @else {
                p.muted.small { "Un administrador debe aprobarlo o rechazarlo." }
            }
        }
    }
}

fn sent_item(item: &InboxItem) -> Markup {
    html! {
        li.inbox-item {
            p.inbox-title { (heading(item)) }
            p { (item.summary) }
            @if let Some(by) = &item.decided_by {
                p.muted.small { "Decidido por " (by) }
            } @else if item.pending {
                p.muted.small { "Esperando a un administrador." }
            }
            @if let Some(reason) = &item.reason { p { "Motivo: «" (reason) "»" } }
        }
    }
}

pub fn inbox_page(ctx: &PageContext, inbox: &Inbox) -> Markup {
    let subtitle = match inbox.pending.len() {
        0 => "Nada pendiente de aprobación".to_string(),
        1 => "1 pendiente de aprobación".to_string(),
        n => format!("{n} pendientes de aprobación"),
    };
    let body = html! {
        (page_header("Bandeja de aprobación", Some(&subtitle), html! {}))
        @if let (Some(e), None) = (&inbox.error, &inbox.error_item) {
            div.flash.flash-error role="alert" { p { (e) } }
        }
        section.section aria-labelledby="pendientes-titulo" {
            h2 #pendientes-titulo { "Pendientes de aprobación" }
            @if inbox.pending.is_empty() {
                (empty_state("No hay Otros Sí ni renovaciones esperando aprobación."))
            } @else {
                ul.inbox-list { @for item in &inbox.pending { (pending_item(ctx, inbox, item)) } }
            }
        }
        section.section aria-labelledby="enviados-titulo" {
            h2 #enviados-titulo { "Lo que usted envió" }
            @if inbox.mine.is_empty() {
                (empty_state("Usted no ha enviado Otros Sí a revisión ni propuesto renovaciones."))
            } @else {
                (card(None, html! { ul.inbox-list { @for item in &inbox.mine { (sent_item(item)) } } }))
            }
        }
    };
    page(ctx, "Bandeja de aprobación", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pending: bool) -> InboxItem {
        InboxItem {
            kind: InboxKind::OtroSi,
            contract_id: "c1".into(),
            contract_number: "CT-100".into(),
            tercero_name: "Café Andino S.A.S.".into(),
            number: 2,
            status: if pending { "en revisión" } else { "rechazado" }.into(),
            pending,
            summary: "Rige desde el 01/03/2027".into(),
            sent_by: "gus".into(),
            decided_by: (!pending).then(|| "ana".into()),
            reason: (!pending).then(|| "Falta la firma".into()),
        }
    }

    #[test]
    fn administradores_get_the_actions_and_the_error_beside_its_item() {
        let inbox = Inbox {
            pending: vec![item(true)],
            mine: vec![item(false)],
            is_admin: true,
            error: Some("Indique el motivo del rechazo.".into()),
            error_item: Some("otrosi-c1-2".into()),
        };
        let html = inbox_page(&PageContext::default(), &inbox).into_string();
        assert!(html.contains("action=\"/bandeja/aprobar\""), "{html}");
        assert!(html.contains("id=\"motivo-otrosi-c1-2\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("Indique el motivo del rechazo."));
        assert!(html.contains("Decidido por ana"));
        assert!(html.contains("Motivo: «Falta la firma»"));
        let gestor = Inbox {
            is_admin: false,
            error: None,
            error_item: None,
            ..inbox
        };
        let html = inbox_page(&PageContext::default(), &gestor).into_string();
        assert!(!html.contains("/bandeja/aprobar"));
        assert!(html.contains("Un administrador debe aprobarlo o rechazarlo."));
    }
}
