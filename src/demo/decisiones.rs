//! Alerts someone already decided about: one postponed with a note, one marked as handled, so the
//! panel, the alert list and the contract page show both states (issue 16).

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{Actor, ContratoCommand, Role};
use arriendo_projections::alerts::{CONTRACT_SUBJECT, contract_alerts};

use super::{DemoError, Loader, day};

/// Looks through the first contracts for two alerts and decides about them (a gestor, «lucia»);
/// without any alert, postpones the first contract's Vencimiento so both events are still shown.
pub(super) async fn record(
    loader: &Loader<'_>,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<(), DemoError> {
    let actor = Actor::new("lucia", Role::Gestor);
    let mut decided = 0;
    for id in ids.iter().take(20) {
        let state = match loader.app.commands.load_contrato(&id.to_string()).await {
            Ok(Some(state)) => state,
            Ok(None) => continue,
            Err(e) => {
                return Err(DemoError::Store {
                    step: "alert decisions".into(),
                    reason: e.to_string(),
                });
            }
        };
        for alert in contract_alerts(*id, &state, today).into_iter().take(1) {
            let kind = alert.kind.slug().to_string();
            let command = if decided == 0 {
                ContratoCommand::PostponeAlert {
                    actor: actor.clone(),
                    kind,
                    subject: alert.subject,
                    today,
                    until: day(today, 14),
                    note: "El arrendatario confirmó que lo resuelve en dos semanas".into(),
                }
            } else {
                ContratoCommand::AcknowledgeAlert {
                    actor: actor.clone(),
                    kind,
                    subject: alert.subject,
                    date: alert.trigger_date,
                    note: "En trámite con la aseguradora; seguimiento por correo".into(),
                }
            };
            loader.contrato(*id, "alert decision", command).await?;
            decided += 1;
        }
        if decided >= 2 {
            return Ok(());
        }
    }
    let Some(first) = ids.first() else {
        return Ok(());
    };
    if decided == 0 {
        let command = ContratoCommand::PostponeAlert {
            actor: actor.clone(),
            kind: "vencimiento".into(),
            subject: CONTRACT_SUBJECT.into(),
            today,
            until: day(today, 14),
            note: "Se negocia la renovación".into(),
        };
        loader.contrato(*first, "alert decision", command).await?;
    }
    let command = ContratoCommand::AcknowledgeAlert {
        actor,
        kind: "vencimiento".into(),
        subject: CONTRACT_SUBJECT.into(),
        date: today,
        note: "Revisado con el área jurídica".into(),
    };
    loader.contrato(*first, "alert decision", command).await
}
