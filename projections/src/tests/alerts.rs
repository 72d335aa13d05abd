use arriendo_events::*;
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::alerts::*;
use crate::testing::*;
use crate::{Source, alerts};

fn alerts_of(story: &Story) -> Vec<Alert> {
    contract_alerts(id(), &story.state, today())
}

fn only(story: &Story, kind: AlertKind) -> Vec<Alert> {
    alerts_of(story)
        .into_iter()
        .filter(|a| a.kind == kind)
        .collect()
}

fn one(story: &Story, kind: AlertKind) -> Alert {
    let mut found = only(story, kind);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

fn severity(story: &Story, kind: AlertKind) -> Option<Severity> {
    only(story, kind).first().map(|a| a.severity)
}

fn with_auto_extension(end: chrono::NaiveDate) -> ContractTerms {
    ContractTerms {
        automatic_extension: true,
        ..ending(end)
    }
}

// Vencimiento de contrato: end date within the next 90 days; ≤ 30 days warning, ≤ 7 danger.
#[test]
fn vencimiento_informs_90_days_ahead_warns_from_30_and_is_danger_within_a_week() {
    // 01/03/2026 + 90 days = 30/05/2026.
    let alert = one(&Story::of(ending(d(2026, 5, 30))), AlertKind::Vencimiento);
    assert_eq!(alert.severity, Severity::Info);
    assert_eq!(alert.days_left, 90);
    assert_eq!(alert.trigger_date, d(2026, 5, 30));
    assert_eq!(alert.source, Source::Contrato);
    assert_eq!(alert.contract_number.as_deref(), Some("CT-001"));
    assert_eq!(alert.contract_id, Some(id()));
    assert_eq!(
        alert.message,
        "El contrato CT-001 vence el 30/05/2026 (faltan 90 días; contrato original)"
    );
    assert_eq!(
        severity(&Story::of(ending(d(2026, 5, 31))), AlertKind::Vencimiento),
        None
    );
    assert_eq!(
        severity(&Story::of(ending(d(2026, 4, 1))), AlertKind::Vencimiento),
        Some(Severity::Info)
    );
    assert_eq!(
        severity(&Story::of(ending(d(2026, 3, 31))), AlertKind::Vencimiento),
        Some(Severity::Warning)
    );
    assert_eq!(
        severity(&Story::of(ending(d(2026, 3, 9))), AlertKind::Vencimiento),
        Some(Severity::Warning)
    );
    assert_eq!(
        severity(&Story::of(ending(d(2026, 3, 8))), AlertKind::Vencimiento),
        Some(Severity::Danger)
    );
}

#[test]
fn vencimiento_names_the_otro_si_that_set_the_end_date() {
    let story = Story::of(terms()).otro_si(d(2025, 6, 1), new_end(d(2026, 3, 20)));
    let alert = one(&story, AlertKind::Vencimiento);
    assert_eq!(alert.source, Source::OtroSi("OS-1".into()));
    assert_eq!(alert.days_left, 19);
    assert!(
        alert
            .message
            .ends_with("(faltan 19 días; modificado por OS-1)")
    );
}

// Preaviso: no automatic extension; deadline = end − notice days within 60 days or past.
#[test]
fn preaviso_deadline_within_60_days_warns_within_a_week_is_danger_and_once_past_informs() {
    // End 29/06/2026 − 60 days = 30/04/2026, 60 days from today.
    let alert = one(&Story::of(ending(d(2026, 6, 29))), AlertKind::Preaviso);
    assert_eq!(alert.trigger_date, d(2026, 4, 30));
    assert_eq!(alert.days_left, 60);
    assert_eq!(alert.severity, Severity::Warning);
    // End 30/06/2026: deadline 01/05/2026 is 61 days away.
    assert_eq!(
        severity(&Story::of(ending(d(2026, 6, 30))), AlertKind::Preaviso),
        None
    );
    // End 15/04/2026: deadline 14/02/2026 already past.
    let past = one(&Story::of(ending(d(2026, 4, 15))), AlertKind::Preaviso);
    assert_eq!(
        past.severity,
        Severity::Info,
        "it can no longer be given in time"
    );
    // End 06/05/2026: deadline 07/03/2026, 6 days away.
    assert_eq!(
        severity(&Story::of(ending(d(2026, 5, 6))), AlertKind::Preaviso),
        Some(Severity::Danger)
    );
    assert_eq!(past.trigger_date, d(2026, 2, 14));
    assert_eq!(past.days_left, -15);
    assert!(
        past.message.contains("venció el 14/02/2026"),
        "{}",
        past.message
    );
    // With prórroga automática there is no preaviso alert.
    assert_eq!(
        severity(
            &Story::of(with_auto_extension(d(2026, 4, 15))),
            AlertKind::Preaviso
        ),
        None
    );
}

#[test]
fn preaviso_uses_the_contracts_own_notice_days() {
    let terms = ContractTerms {
        preaviso_days: 90,
        ..ending(d(2026, 7, 29))
    };
    // 29/07/2026 − 90 days = 30/04/2026.
    let alert = one(&Story::of(terms), AlertKind::Preaviso);
    assert_eq!(alert.trigger_date, d(2026, 4, 30));
}

// Pólizas críticas: effective expiry (colchón applied) within 60 days or past.
#[test]
fn polizas_criticas_expired_or_within_a_week_danger_30_days_warning_60_days_info() {
    let with = |to, colchon| {
        Story::of(terms()).poliza(1, rce(80_000_000, to, colchon, RequiredBy::Contract))
    };
    assert_eq!(
        severity(&with(d(2026, 2, 28), 0), AlertKind::PolizaCritica),
        Some(Severity::Danger)
    );
    assert_eq!(
        severity(&with(d(2026, 3, 1), 0), AlertKind::PolizaCritica),
        Some(Severity::Danger)
    );
    assert_eq!(
        severity(&with(d(2026, 3, 8), 0), AlertKind::PolizaCritica),
        Some(Severity::Danger)
    );
    assert_eq!(
        severity(&with(d(2026, 3, 9), 0), AlertKind::PolizaCritica),
        Some(Severity::Warning)
    );
    assert_eq!(
        severity(&with(d(2026, 3, 31), 0), AlertKind::PolizaCritica),
        Some(Severity::Warning)
    );
    assert_eq!(
        severity(&with(d(2026, 4, 1), 0), AlertKind::PolizaCritica),
        Some(Severity::Info)
    );
    assert_eq!(
        severity(&with(d(2026, 4, 30), 0), AlertKind::PolizaCritica),
        Some(Severity::Info)
    );
    assert_eq!(
        severity(&with(d(2026, 5, 1), 0), AlertKind::PolizaCritica),
        None
    );
    // One colchón month: validity to 31/05/2026 is effective until 30/04/2026, 60 days away.
    let alert = one(&with(d(2026, 5, 31), 1), AlertKind::PolizaCritica);
    assert_eq!(alert.trigger_date, d(2026, 4, 30));
    assert_eq!(alert.days_left, 60);
    assert_eq!(alert.source, Source::Contrato);
    assert_eq!(
        alert.message,
        "La póliza RCE RCE 123-45 de Seguros Bolívar del contrato CT-001 vence el 30/04/2026 (colchón de 1 mes); faltan 60 días"
    );
}

#[test]
fn cancelled_and_replaced_polizas_are_not_critical() {
    let story = Story::of(terms())
        .poliza(1, rce(80_000_000, d(2026, 2, 28), 0, RequiredBy::Contract))
        .poliza(2, rce(80_000_000, d(2027, 2, 28), 0, RequiredBy::Contract));
    assert_eq!(severity(&story, AlertKind::PolizaCritica), None);
    let story = Story::of(terms())
        .poliza(1, rce(80_000_000, d(2026, 3, 10), 0, RequiredBy::Contract))
        .cancel_poliza(1, d(2026, 2, 1));
    assert_eq!(severity(&story, AlertKind::PolizaCritica), None);
}

// Pólizas requeridas no aportadas: danger.
#[test]
fn a_required_poliza_not_delivered_is_danger() {
    let requires_rce = ContractTerms {
        required_policies: vec![requirement(PolicyKind::Rce, 80_000_000, 0)],
        ..terms()
    };
    let alert = one(
        &Story::of(requires_rce.clone()),
        AlertKind::PolizaNoAportada,
    );
    assert_eq!(alert.severity, Severity::Danger);
    // Due from the start of the contract that requires it, covering up to its end.
    assert_eq!(alert.trigger_date, d(2025, 1, 1));
    assert_eq!(alert.source, Source::Contrato);
    assert_eq!(
        alert.message,
        "Póliza RCE exigida por el contrato CT-001: no aportada; exigible desde el 01/01/2025, debe cubrir hasta el 31/12/2026 con un valor asegurado mínimo de $ 80.000.000"
    );

    // A póliza that does not comply does not count, and the alert says why.
    let short = Story::of(requires_rce.clone())
        .poliza(1, rce(50_000_000, d(2026, 12, 31), 0, RequiredBy::Contract));
    let alert = one(&short, AlertKind::PolizaNoAportada);
    assert_eq!(
        alert.message,
        "Póliza RCE exigida por el contrato CT-001: aportada, no cumple: póliza RCE 123-45: el valor asegurado $ 50.000.000 es menor que el mínimo exigido $ 80.000.000; exigible desde el 01/01/2025, debe cubrir hasta el 31/12/2026 con un valor asegurado mínimo de $ 80.000.000"
    );
    assert!(!alert.message.contains("no aportada"));

    // A complying póliza delivered for the contract clears it.
    let ok = Story::of(requires_rce)
        .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract));
    assert_eq!(severity(&ok, AlertKind::PolizaNoAportada), None);
}

#[test]
fn an_otro_si_that_requires_pólizas_needs_its_own() {
    let story = Story::of(ContractTerms {
        required_policies: vec![requirement(PolicyKind::Rce, 80_000_000, 0)],
        ..terms()
    })
    .poliza(1, rce(80_000_000, d(2026, 12, 31), 0, RequiredBy::Contract))
    .otro_si(
        d(2026, 1, 1),
        OtroSiChanges {
            required_policies: Some(vec![requirement(PolicyKind::Rce, 100_000_000, 0)]),
            ..OtroSiChanges::default()
        },
    );
    let alert = one(&story, AlertKind::PolizaNoAportada);
    assert_eq!(alert.source, Source::OtroSi("OS-1".into()));
    assert!(
        alert
            .message
            .contains("exigida por el OS-1 del contrato CT-001"),
        "{}",
        alert.message
    );
    assert_eq!(alert.trigger_date, d(2026, 1, 1));
    let delivered = story.poliza(
        2,
        rce(
            100_000_000,
            d(2026, 12, 31),
            0,
            RequiredBy::OtroSi(OtroSiNumber(1)),
        ),
    );
    assert_eq!(severity(&delivered, AlertKind::PolizaNoAportada), None);
}

// Ajuste IPC / salario mínimo: within 90 days or overdue, not applied.
#[test]
fn ajuste_overdue_or_7_days_danger_30_days_warning_90_days_info() {
    let starting = |start| {
        Story::of(ContractTerms {
            start_date: start,
            signing_date: start,
            ..terms()
        })
    };
    // Anniversary 01/01/2026 passed without an adjustment recorded.
    let overdue = one(&Story::of(terms()), AlertKind::Ajuste);
    assert_eq!(overdue.severity, Severity::Danger);
    assert_eq!(overdue.trigger_date, d(2026, 1, 1));
    assert_eq!(overdue.days_left, -59);
    assert_eq!(
        overdue.message,
        "El ajuste por IPC de 2026 del contrato CT-001 está vencido desde el 01/01/2026 y no ha sido aplicado"
    );
    // Recorded: no alert (the next one, 01/01/2027, is 306 days away).
    assert_eq!(
        severity(
            &Story::of(terms()).adjusted(2026, "5,2", d(2026, 1, 1)),
            AlertKind::Ajuste
        ),
        None
    );
    let at = |start| severity(&starting(start), AlertKind::Ajuste);
    assert_eq!(at(d(2025, 3, 8)), Some(Severity::Danger)); // 7 days
    assert_eq!(at(d(2025, 3, 9)), Some(Severity::Warning)); // 8 days
    assert_eq!(at(d(2025, 3, 31)), Some(Severity::Warning)); // 30 days
    assert_eq!(at(d(2025, 4, 1)), Some(Severity::Info)); // 31 days
    assert_eq!(at(d(2025, 5, 30)), Some(Severity::Info)); // 90 days
    assert_eq!(at(d(2025, 5, 31)), None); // 91 days
}

#[test]
fn missed_years_alert_the_earliest_first_and_say_how_many() {
    // Start 01/06/2024, IPC + 1: the anniversaries 01/06/2025 and 01/06/2026 were not applied.
    let since_june_2024 = ContractTerms {
        start_date: d(2024, 6, 1),
        signing_date: d(2024, 5, 15),
        end_date: d(2027, 5, 31),
        initial_duration_months: 36,
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc { points: pct("1") },
            on: AdjustmentDate::Anniversary,
        }),
        ..terms()
    };
    let today = d(2026, 6, 15);
    let ajuste = |story: &Story| {
        let found: Vec<Alert> = contract_alerts(id(), &story.state, today)
            .into_iter()
            .filter(|a| a.kind == AlertKind::Ajuste)
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        found.into_iter().next().unwrap()
    };
    let story = Story::of(since_june_2024);
    let alert = ajuste(&story);
    assert_eq!(alert.trigger_date, d(2025, 6, 1));
    assert_eq!(alert.severity, Severity::Danger);
    assert_eq!(
        alert.message,
        "El ajuste por IPC de 2025 del contrato CT-001 está vencido desde el 01/06/2025 y no ha sido aplicado; hay 2 ajustes pendientes (2025 y 2026): se acumulan, por eso se aplican en orden, empezando por 2025"
    );
    // Once 2025 is applied, 2026 is next, alone.
    let story = story.adjusted(2025, "5,2", d(2025, 6, 1));
    let alert = ajuste(&story);
    assert_eq!(alert.trigger_date, d(2026, 6, 1));
    assert_eq!(
        alert.message,
        "El ajuste por IPC de 2026 del contrato CT-001 está vencido desde el 01/06/2026 y no ha sido aplicado"
    );
}

#[test]
fn ajuste_by_salario_minimo_and_never_for_variable_puro() {
    let story = Story::of(ContractTerms {
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::SalarioMinimo {
                percentage_of_increase: pct("100"),
            },
            on: AdjustmentDate::FixedDate { month: 3, day: 15 },
        }),
        ..terms()
    });
    let alert = one(&story, AlertKind::Ajuste);
    assert_eq!(alert.trigger_date, d(2026, 3, 15));
    assert_eq!(alert.severity, Severity::Warning);
    assert!(
        alert
            .message
            .starts_with("El ajuste por salario mínimo de 2026")
    );

    let variable = Story::of(ContractTerms {
        adjustment: terms().adjustment,
        ..variable("8")
    });
    assert_eq!(severity(&variable, AlertKind::Ajuste), None);
}

// Terminación anticipada: days to the end ≤ early-termination notice days.
#[test]
fn terminacion_anticipada_within_the_notice_days_informs() {
    // 01/03/2026 + 60 = 30/04/2026.
    let alert = one(
        &Story::of(ending(d(2026, 4, 30))),
        AlertKind::TerminacionAnticipada,
    );
    assert_eq!(alert.severity, Severity::Info);
    assert_eq!(alert.days_left, 60);
    assert_eq!(
        severity(
            &Story::of(ending(d(2026, 5, 1))),
            AlertKind::TerminacionAnticipada
        ),
        None
    );
    let longer = ContractTerms {
        early_termination_notice_days: 90,
        ..ending(d(2026, 5, 30))
    };
    assert_eq!(
        severity(&Story::of(longer), AlertKind::TerminacionAnticipada),
        Some(Severity::Info)
    );
}

// Renovación automática: automatic extension, end within 30 days or past, no approved renewal.
#[test]
fn renovacion_automatica_within_30_days_or_past_without_approved_renewal() {
    let alert = one(
        &Story::of(with_auto_extension(d(2026, 3, 31))),
        AlertKind::RenovacionAutomatica,
    );
    assert_eq!(alert.severity, Severity::Warning);
    assert_eq!(alert.days_left, 30);
    assert_eq!(
        alert.message,
        "El contrato CT-001 tiene prórroga automática y vence el 31/03/2026 (faltan 30 días); no tiene renovación aprobada"
    );
    assert_eq!(
        severity(
            &Story::of(with_auto_extension(d(2026, 4, 1))),
            AlertKind::RenovacionAutomatica
        ),
        None
    );
    // Past its end, still waiting for the renewal.
    let past = Story::of(with_auto_extension(d(2026, 2, 15))).renewal(false);
    let alert = one(&past, AlertKind::RenovacionAutomatica);
    assert_eq!(alert.days_left, -14);
    assert!(
        alert
            .message
            .ends_with("la renovación RA-1 está pendiente de aprobación")
    );
    // Approved: the contract now ends on 15/02/2028 and nothing fires.
    let renewed = Story::of(with_auto_extension(d(2026, 2, 15))).renewal(true);
    assert_eq!(severity(&renewed, AlertKind::RenovacionAutomatica), None);
    assert_eq!(severity(&renewed, AlertKind::Vencimiento), None);
}

// Informe de ventas: pending past its deadline danger; due within 5 days warning.
#[test]
fn informe_de_ventas_overdue_danger_due_within_5_days_warning() {
    let story = Story::of(variable("8"))
        .report(ym(2026, 1), Some(d(2026, 2, 10)))
        .report(ym(2026, 2), Some(d(2026, 3, 6)));
    let alerts = only(&story, AlertKind::InformeVentas);
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    assert_eq!(alerts[0].severity, Severity::Danger);
    assert_eq!(alerts[0].days_left, -19);
    assert_eq!(
        alerts[0].message,
        "El informe de ventas de 01/2026 del contrato CT-001 está pendiente; venció el 10/02/2026 (hace 19 días)"
    );
    assert_eq!(alerts[1].severity, Severity::Warning);
    assert_eq!(alerts[1].days_left, 5);

    let later = Story::of(variable("8")).report(ym(2026, 2), Some(d(2026, 3, 7)));
    assert_eq!(severity(&later, AlertKind::InformeVentas), None);
    let delivered = Story::of(variable("8"))
        .report(ym(2026, 1), Some(d(2026, 2, 10)))
        .delivered(ym(2026, 1), 100_000_000, 0);
    assert_eq!(severity(&delivered, AlertKind::InformeVentas), None);
}

#[test]
fn the_last_months_report_counts_even_before_it_is_registered() {
    let due_on_the_3rd = ContractTerms {
        sales_report_due_day: Some(3),
        ..variable("8")
    };
    let alert = one(&Story::of(due_on_the_3rd), AlertKind::InformeVentas);
    assert_eq!(alert.severity, Severity::Warning);
    assert_eq!(alert.trigger_date, d(2026, 3, 3));
    assert!(alert.message.contains("02/2026"));
    assert!(alert.message.contains("no ha sido registrado"));
    // Fixed-canon contracts report no sales.
    assert_eq!(
        severity(&Story::of(terms()), AlertKind::InformeVentas),
        None
    );
}

// Only contracts in force raise alerts.
#[test]
fn terminated_deleted_and_finished_contracts_raise_nothing() {
    let terminated = Story::of(ending(d(2026, 3, 31))).terminated(d(2026, 2, 1));
    assert!(alerts_of(&terminated).is_empty());
    // Past its end with nothing recorded: only «Contrato vencido» (issue 16).
    let finished = Story::of(ContractTerms {
        adjustment: None,
        ..ending(d(2026, 2, 1))
    });
    let kinds: Vec<AlertKind> = alerts_of(&finished).iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![AlertKind::ContratoVencido]);
    let deleted = Story::of(ending(d(2026, 3, 31))).ok(ContratoCommand::DeleteContract {
        actor: Actor::new("ana.admin", Role::Administrador),
        reason: "Duplicado".into(),
    });
    assert!(alerts_of(&deleted).is_empty());
}

// Respaldo: the last successful backup older than 26 hours, or the last one failed.
#[test]
fn respaldo_is_danger_after_26_hours_or_a_failure() {
    let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let state = |hours_ago: i64, failed| BackupState {
        last_success: Some(now - Duration::hours(hours_ago)),
        last_failed: failed,
        drill_failed_at: None,
    };
    assert_eq!(backup_alert(Some(&state(26, false)), now), None);
    let old = backup_alert(Some(&state(27, false)), now).unwrap();
    assert_eq!(old.kind, AlertKind::Respaldo);
    assert_eq!(old.severity, Severity::Danger);
    assert_eq!(old.source, Source::Sistema);
    assert_eq!(old.contract_id, None);
    // 27 hours before 12:00 UTC on 01/03 is 09:00 UTC on 28/02, 04:00 in Bogotá.
    assert_eq!(
        old.message,
        "El último respaldo exitoso tiene más de 26 horas (fue el 28/02/2026 a las 04:00)"
    );
    assert_eq!(old.days_left, -1);
    let failed = backup_alert(Some(&state(2, true)), now).unwrap();
    assert!(failed.message.starts_with("El último respaldo falló"));
    assert_eq!(
        backup_alert(None, now).unwrap().message,
        "No hay ningún respaldo exitoso registrado"
    );
    // Backups fresh, but the newest restore drill failed: still an alert, with the drill's time.
    let drill = BackupState {
        drill_failed_at: Some(now - Duration::hours(8)),
        ..state(2, false)
    };
    let alert = backup_alert(Some(&drill), now).unwrap();
    assert_eq!(alert.severity, Severity::Danger);
    // 8 hours before 12:00 UTC on 01/03 is 04:00 UTC, 23:00 on 28/02 in Bogotá.
    assert!(
        alert
            .message
            .starts_with("El último simulacro de restauración falló (28/02/2026 a las 23:00)"),
        "{}",
        alert.message
    );
}

#[test]
fn the_dashboard_lists_every_alert_most_severe_first() {
    let a = Story::of(ending(d(2026, 3, 31)));
    let b = Story::of(ending(d(2026, 5, 20)));
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let all = alerts::all_alerts(
        [(id(), &a.state), (uuid::Uuid::from_u128(7), &b.state)],
        None,
        today(),
        now,
    );
    assert!(all.windows(2).all(|w| w[0].severity <= w[1].severity));
    assert!(all.iter().any(|a| a.kind == AlertKind::Respaldo));
    assert_eq!(all[0].severity, Severity::Danger);
}

#[test]
fn kinds_have_spanish_labels_and_stable_slugs() {
    assert_eq!(AlertKind::ALL.len(), 12);
    for kind in AlertKind::ALL {
        assert_eq!(AlertKind::from_slug(kind.slug()), Some(kind));
    }
    assert_eq!(AlertKind::PolizaCritica.label(), "Pólizas críticas");
    assert_eq!(AlertKind::PolizaCritica.slug(), "polizas-criticas");
    assert_eq!(Severity::from_slug("danger"), Some(Severity::Danger));
}

// Seguimiento: a note's follow-up date 7 days ahead warns, due or past is danger, and a later note
// dated on or after it (the follow-up done) or withdrawing the note ends it.
#[test]
fn a_follow_up_date_reminds_until_a_later_note_or_a_retraction() {
    let note = |date, text: &str, follow_up| ContratoCommand::AddSeguimiento {
        actor: gestor(),
        date,
        note: text.into(),
        follow_up,
    };
    // Today is 01/03/2026 and the contract ends on 31/12/2026.
    let with = |follow_up| {
        Story::of(ending(d(2026, 12, 31))).ok(note(
            d(2026, 2, 20),
            "Llamar por la RCE",
            Some(follow_up),
        ))
    };
    assert_eq!(
        severity(&with(d(2026, 3, 9)), AlertKind::Seguimiento),
        None,
        "8 days ahead"
    );
    let soon = one(&with(d(2026, 3, 8)), AlertKind::Seguimiento);
    assert_eq!((soon.severity, soon.days_left), (Severity::Warning, 7));
    assert_eq!(
        soon.message,
        "Seguimiento del contrato CT-001: «Llamar por la RCE» (nota 1 de gus.gestor; faltan 7 días)"
    );
    assert_eq!(
        severity(&with(d(2026, 3, 1)), AlertKind::Seguimiento),
        Some(Severity::Danger)
    );
    assert_eq!(
        severity(&with(d(2026, 2, 25)), AlertKind::Seguimiento),
        Some(Severity::Danger)
    );
    // A later note before the date does not answer it; one on the date does.
    let earlier = with(d(2026, 2, 25)).ok(note(d(2026, 2, 24), "Sin respuesta", None));
    assert_eq!(
        severity(&earlier, AlertKind::Seguimiento),
        Some(Severity::Danger)
    );
    let done = with(d(2026, 2, 25)).ok(note(d(2026, 2, 25), "Ya envió la póliza", None));
    assert_eq!(severity(&done, AlertKind::Seguimiento), None);
    let withdrawn = with(d(2026, 2, 25)).ok(ContratoCommand::RetractSeguimiento {
        actor: gestor(),
        index: 0,
        reason: "Era de otro contrato".into(),
    });
    assert_eq!(severity(&withdrawn, AlertKind::Seguimiento), None);
}

// A póliza's note reminds the same way, naming the póliza; a cancelled póliza's notes do not.
#[test]
fn a_follow_up_date_on_a_poliza_note_reminds_until_the_poliza_is_cancelled() {
    let story = Story::of(ending(d(2026, 12, 31)))
        .poliza(1, rce(600_000_000, d(2027, 1, 31), 0, RequiredBy::Contract))
        .ok(ContratoCommand::AddPolizaSeguimiento {
            actor: gestor(),
            id: uuid::Uuid::from_u128(1),
            date: d(2026, 2, 20),
            note: "Pedir el certificado".into(),
            follow_up: Some(d(2026, 3, 3)),
        });
    let alert = one(&story, AlertKind::Seguimiento);
    assert_eq!((alert.severity, alert.days_left), (Severity::Warning, 2));
    assert_eq!(
        alert.message,
        "Seguimiento de la póliza RCE RCE 123-45 del contrato CT-001: «Pedir el certificado» (nota 1 de gus.gestor; faltan 2 días)"
    );
    let cancelled = story.cancel_poliza(1, d(2026, 2, 28));
    assert_eq!(severity(&cancelled, AlertKind::Seguimiento), None);
}

// Issue 16: a contract past its end without prórroga automática, renewal or termination.
#[test]
fn an_expired_contract_without_renewal_or_termination_is_one_alert() {
    let story = Story::of(ending(d(2026, 2, 10)));
    let alerts = alerts_of(&story);
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let alert = &alerts[0];
    assert_eq!(
        (alert.kind, alert.severity, alert.days_left),
        (AlertKind::ContratoVencido, Severity::Warning, -19)
    );
    assert_eq!(
        alert.message,
        "El contrato CT-001 venció el 10/02/2026 (hace 19 días) y no tiene renovación ni terminación registrada"
    );
    assert_eq!(
        alert.action.as_ref().map(|a| a.href.as_str()),
        Some(format!("/contratos/{}#terminacion", id()).as_str())
    );
    let ended = Story::of(ending(d(2026, 2, 10))).terminated(d(2026, 2, 10));
    assert!(alerts_of(&ended).is_empty());
    let automatic = Story::of(with_auto_extension(d(2026, 2, 10)));
    assert!(only(&automatic, AlertKind::ContratoVencido).is_empty());
    assert_eq!(
        severity(&automatic, AlertKind::RenovacionAutomatica),
        Some(Severity::Danger),
        "past its end without an approved renewal: act this week"
    );
}

// Issue 16: each alert names its subject and leads to where it is resolved.
#[test]
fn alerts_name_their_subject_and_their_action() {
    let story = Story::of(ending(d(2026, 3, 5)));
    let v = one(&story, AlertKind::Vencimiento);
    assert_eq!(v.subject, CONTRACT_SUBJECT);
    assert_eq!(v.severity, Severity::Danger, "4 days: this week");
    assert_eq!(
        v.action.map(|a| (a.label, a.href)),
        Some((
            "Nuevo Otro Sí de prórroga".to_string(),
            format!("/contratos/{}/otrosi/nuevo", id())
        ))
    );
    for kind in AlertKind::ALL {
        assert!(!kind.severity_rule().is_empty(), "{kind:?}");
    }
}

// Issue 16: postponed until a date, the alert is still computed but marked; it returns that day.
#[test]
fn a_postponed_alert_is_marked_until_its_date_and_an_acknowledged_one_while_its_date_stays() {
    let postpone = |until| ContratoCommand::PostponeAlert {
        actor: gestor(),
        kind: "vencimiento".into(),
        subject: CONTRACT_SUBJECT.into(),
        today: today(),
        until,
        note: "Se negocia".into(),
    };
    let story = Story::of(ending(d(2026, 3, 20))).ok(postpone(d(2026, 3, 10)));
    let v = one(&story, AlertKind::Vencimiento);
    let handled = v.handled.as_ref().map(|h| (h.by.as_str(), h.note.as_str()));
    assert_eq!(handled, Some(("gus.gestor", "Se negocia")));
    let later = contract_alerts(id(), &story.state, d(2026, 3, 10));
    let back = later
        .iter()
        .find(|a| a.kind == AlertKind::Vencimiento)
        .map(|a| a.handled.is_none());
    assert_eq!(back, Some(true), "back on the date");
    let seen = Story::of(ending(d(2026, 3, 20))).ok(ContratoCommand::AcknowledgeAlert {
        actor: gestor(),
        kind: "vencimiento".into(),
        subject: CONTRACT_SUBJECT.into(),
        date: d(2026, 3, 20),
        note: "Visto".into(),
    });
    assert!(one(&seen, AlertKind::Vencimiento).handled.is_some());
    let moved = seen.otro_si(d(2026, 3, 1), new_end(d(2026, 5, 20)));
    assert!(
        one(&moved, AlertKind::Vencimiento).handled.is_none(),
        "another date is another alert"
    );
}
