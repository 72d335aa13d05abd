//! Alerts acknowledged or postponed: a dated decision with a note and its author.

use super::*;

fn postpone(today: NaiveDate, until: NaiveDate, note: &str) -> ContratoCommand {
    ContratoCommand::PostponeAlert {
        actor: gestor(),
        kind: "polizas-no-aportadas".into(),
        subject: "RCE".into(),
        today,
        until,
        note: note.into(),
    }
}

#[test]
fn an_alert_is_postponed_to_a_later_date_with_a_note_and_returns_on_that_day() {
    let story = Story::of(hybrid_terms());
    let today = d(2026, 3, 10);
    assert_eq!(
        story.refused(postpone(today, today, "Mañana llega")),
        "la fecha hasta la que se pospone la alerta debe ser posterior a hoy y a lo sumo un año después"
    );
    assert_eq!(
        story.refused(postpone(today, d(2027, 3, 12), "Muy lejos")),
        "la fecha hasta la que se pospone la alerta debe ser posterior a hoy y a lo sumo un año después"
    );
    assert_eq!(
        story.refused(postpone(today, d(2026, 3, 20), "  ")),
        "el campo «nota» es obligatorio"
    );
    let story = story.ok(postpone(
        today,
        d(2026, 3, 20),
        "El corredor la envía el 19",
    ));
    let h = story
        .state
        .alert_handling("polizas-no-aportadas", "RCE")
        .unwrap();
    assert_eq!(
        (h.by.as_str(), h.note.as_str()),
        ("gus.gestor", "El corredor la envía el 19")
    );
    assert!(h.hides(d(2026, 1, 1), d(2026, 3, 19)));
    assert!(!h.hides(d(2026, 1, 1), d(2026, 3, 20)), "back on the date");
    assert!(
        story
            .state
            .alert_handling("polizas-no-aportadas", "Cumplimiento")
            .is_none()
    );
}

#[test]
fn an_acknowledgement_holds_while_the_date_stays_and_replaces_a_postponement() {
    let today = d(2026, 3, 10);
    let story = Story::of(hybrid_terms())
        .ok(postpone(today, d(2026, 4, 1), "Después"))
        .ok(ContratoCommand::AcknowledgeAlert {
            actor: gestor(),
            kind: "polizas-no-aportadas".into(),
            subject: "RCE".into(),
            date: d(2026, 3, 1),
            note: "En trámite con la aseguradora".into(),
        });
    assert_eq!(story.state.alert_decisions.len(), 1, "the latest replaces");
    let h = story
        .state
        .alert_handling("polizas-no-aportadas", "RCE")
        .unwrap();
    assert!(h.hides(d(2026, 3, 1), d(2027, 1, 1)));
    assert!(!h.hides(d(2026, 5, 1), today), "a new date is a new alert");
    let by_auditor = ContratoCommand::PostponeAlert {
        actor: auditor(),
        kind: "vencimiento".into(),
        subject: "contrato".into(),
        today,
        until: d(2026, 4, 1),
        note: "x".into(),
    };
    assert!(
        matches!(story.when(by_auditor), Err(DomainError::AuditorReadOnly)),
        "auditors only read"
    );
}
