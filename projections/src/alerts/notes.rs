//! Seguimiento: the follow-up reminders of a contract's and its pólizas' notes.

use super::{Alert, AlertAction, AlertKind, Ctx, SEGUIMIENTO_DAYS, Severity, days_phrase};
use crate::checked::days_between;
use crate::source::{Source, Sourced};

/// Seguimiento: each note still in force whose follow-up date is at most [`SEGUIMIENTO_DAYS`] away
/// (or past), until a later note dated that day or after records the follow-up.
pub(super) fn follow_up_alerts(ctx: &Ctx<'_>) -> Vec<Alert> {
    let own = NoteList {
        whose: format!("del contrato {}", ctx.number),
        subject: "nota".to_string(),
        href: ctx.page("#seguimiento"),
    };
    let mut alerts = note_reminders(ctx, &ctx.contrato.seguimientos, &own);
    for p in ctx
        .contrato
        .polizas
        .iter()
        .filter(|p| p.cancelled.is_none())
    {
        let list = NoteList {
            whose: format!(
                "de la póliza {} {} del contrato {}",
                p.data.kind, p.data.number, ctx.number
            ),
            subject: format!("poliza-{}-nota", p.id),
            href: format!("/polizas/{}", p.id),
        };
        alerts.extend(note_reminders(ctx, &p.seguimientos, &list));
    }
    alerts
}

/// One list of notes (a contract's or a póliza's): how it is named, its subjects' prefix, its page.
struct NoteList {
    whose: String,
    subject: String,
    href: String,
}

/// The reminders of one list of notes.
fn note_reminders(
    ctx: &Ctx<'_>,
    notes: &[arriendo_events::Seguimiento],
    list: &NoteList,
) -> Vec<Alert> {
    notes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let day = s.follow_up.filter(|_| s.is_active())?;
            let days = days_between(ctx.today, day);
            let answered = notes
                .iter()
                .skip(i.saturating_add(1))
                .any(|later| later.is_active() && later.date >= day);
            if days > SEGUIMIENTO_DAYS || answered {
                return None;
            }
            let severity = if days <= 0 {
                Severity::Danger
            } else {
                Severity::Warning
            };
            let mut alert = ctx.alert(
                AlertKind::Seguimiento,
                severity,
                &Sourced::new(day, Source::Contrato),
                format!(
                    "Seguimiento {}: «{}» (nota {} de {}; {})",
                    list.whose,
                    s.note,
                    i.saturating_add(1),
                    s.author,
                    days_phrase(days)
                ),
            );
            alert.subject = format!("{}-{}", list.subject, i.saturating_add(1));
            alert.owner = Some(s.author.clone());
            alert.action = AlertAction::new("Registrar el seguimiento", list.href.clone());
            Some(alert)
        })
        .collect()
}
