//! Approving an Otro Sí or a renewal asks first, on a page of its own, and posts again with the
//! confirmation; the contract page and the approval inbox share these steps.

use arriendo_events::ContratoCommand;
use arriendo_views::pages::confirmacion::{Confirmation, confirmation_page};
use axum::response::{IntoResponse, Response};

use crate::http::security::Ctx;

/// Where an approval's confirmation posts to and where the user goes back: the contract page's own
/// routes, or the approval inbox's.
pub(crate) struct ApprovalPlace<'a> {
    pub action: &'a str,
    pub hidden: &'a [(String, String)],
    pub back: &'a str,
    /// Whether the POST carries `confirmar` (the second step).
    pub confirmed: bool,
}

/// What an approval request leads to: a page to answer with (the confirmation, a refusal), or the
/// command to send and the message to show once it is done.
pub(crate) enum Approval {
    Respond(Response),
    Send(Box<ContratoCommand>, String),
}

/// The page that asks before approving, posting again to `place.action` with `confirmar`.
pub(crate) fn confirm(
    ctx: &Ctx,
    place: &ApprovalPlace<'_>,
    title: &str,
    body: maud::Markup,
    label: &str,
) -> Approval {
    Approval::Respond(
        confirmation_page(
            &ctx.page,
            &Confirmation {
                title,
                body,
                action: place.action,
                hidden: place.hidden,
                confirm_label: label,
                cancel_href: place.back,
                style: "btn-primary",
            },
        )
        .into_response(),
    )
}
