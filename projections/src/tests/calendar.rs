//! The critical-dates calendar with the domain's numbers (today 01/03/2026), and its agreement
//! with the alerts: two views of the same fact give the same date and the same document.

use arriendo_events::*;

use crate::Source;
use crate::alerts::{AlertKind, contract_alerts};
use crate::calendar::{CalendarEntry, CalendarKind, all_dates, contract_dates};
use crate::testing::*;

fn year_2026(story: &Story) -> Vec<CalendarEntry> {
    contract_dates(id(), &story.state, today(), d(2026, 1, 1), d(2026, 12, 31))
}

fn of_kind(entries: &[CalendarEntry], kind: CalendarKind) -> Vec<(chrono::NaiveDate, Source)> {
    entries
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.date, e.source.clone()))
        .collect()
}

#[test]
fn a_fixed_contract_has_its_end_notice_and_adjustment() {
    // CT-001: 01/01/2025 – 31/12/2026, preaviso 60 days, IPC + 2 on the anniversary.
    let entries = year_2026(&Story::of(terms()));
    assert_eq!(
        of_kind(&entries, CalendarKind::Vencimiento),
        vec![(d(2026, 12, 31), Source::Contrato)]
    );
    // 31/12/2026 − 60 days = 01/11/2026.
    assert_eq!(
        of_kind(&entries, CalendarKind::Preaviso),
        vec![(d(2026, 11, 1), Source::Contrato)]
    );
    assert_eq!(
        of_kind(&entries, CalendarKind::TerminacionAnticipada),
        vec![(d(2026, 11, 1), Source::Contrato)]
    );
    // The 2026 anniversary has not been applied: it stays on the calendar (overdue).
    assert_eq!(
        of_kind(&entries, CalendarKind::Ajuste),
        vec![(d(2026, 1, 1), Source::Contrato)]
    );
    let ajuste = entries
        .iter()
        .find(|e| e.kind == CalendarKind::Ajuste)
        .unwrap();
    assert_eq!(ajuste.title, "Ajuste por IPC de 2026 del contrato CT-001");
    assert_eq!(ajuste.contract_number, "CT-001");
    assert_eq!(ajuste.contract_id, id());
    assert!(of_kind(&entries, CalendarKind::InformeVentas).is_empty());
    // By date.
    let dates: Vec<_> = entries.iter().map(|e| e.date).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    // Once applied, the adjustment leaves the calendar.
    let adjusted = year_2026(&Story::of(terms()).adjusted(2026, "5,2", d(2026, 1, 1)));
    assert!(of_kind(&adjusted, CalendarKind::Ajuste).is_empty());
}

#[test]
fn the_range_is_inclusive_and_automatic_extension_has_no_preaviso() {
    let story = Story::of(terms());
    let one_day = contract_dates(id(), &story.state, today(), d(2026, 11, 1), d(2026, 11, 1));
    assert_eq!(one_day.len(), 2, "{one_day:#?}");
    assert!(
        contract_dates(id(), &story.state, today(), d(2026, 11, 2), d(2026, 12, 30)).is_empty()
    );
    let auto = Story::of(ContractTerms {
        automatic_extension: true,
        ..terms()
    });
    assert!(of_kind(&year_2026(&auto), CalendarKind::Preaviso).is_empty());
    assert_eq!(
        of_kind(&year_2026(&auto), CalendarKind::Vencimiento).len(),
        1
    );
}

#[test]
fn an_otro_si_that_moves_the_end_sets_the_end_and_the_notice() {
    let story = Story::of(terms()).otro_si(d(2026, 2, 1), new_end(d(2027, 6, 30)));
    let entries = contract_dates(id(), &story.state, today(), d(2026, 1, 1), d(2027, 12, 31));
    let os1 = Source::OtroSi("OS-1".into());
    assert_eq!(
        of_kind(&entries, CalendarKind::Vencimiento),
        vec![(d(2027, 6, 30), os1.clone())]
    );
    // 30/06/2027 − 60 days = 01/05/2027.
    assert_eq!(
        of_kind(&entries, CalendarKind::Preaviso),
        vec![(d(2027, 5, 1), os1)]
    );
    // Both anniversaries up to the new end.
    assert_eq!(
        of_kind(&entries, CalendarKind::Ajuste)
            .into_iter()
            .map(|(date, _)| date)
            .collect::<Vec<_>>(),
        vec![d(2026, 1, 1), d(2027, 1, 1)]
    );
}

#[test]
fn a_poliza_expires_colchon_months_before_its_validity_ends() {
    let story =
        Story::of(terms()).poliza(1, rce(80_000_000, d(2026, 12, 31), 2, RequiredBy::Contract));
    let entries = year_2026(&story);
    assert_eq!(
        of_kind(&entries, CalendarKind::Poliza),
        vec![(d(2026, 10, 31), Source::Contrato)]
    );
    let poliza = entries
        .iter()
        .find(|e| e.kind == CalendarKind::Poliza)
        .unwrap();
    assert_eq!(
        poliza.title,
        "Vence la póliza RCE RCE 123-45 de Seguros Bolívar del contrato CT-001 (colchón de 2 meses)"
    );
    // A cancelled póliza has nothing to expire.
    let cancelled = year_2026(&story.cancel_poliza(1, d(2026, 2, 1)));
    assert!(of_kind(&cancelled, CalendarKind::Poliza).is_empty());
}

#[test]
fn sales_reports_are_due_on_the_due_day_of_the_following_month() {
    // Variable, due day 10: the report of 02/2026 is due 10/03/2026.
    let story = Story::of(variable("8"));
    let march = contract_dates(id(), &story.state, today(), d(2026, 3, 1), d(2026, 3, 31));
    assert_eq!(
        of_kind(&march, CalendarKind::InformeVentas),
        vec![(d(2026, 3, 10), Source::Contrato)]
    );
    assert_eq!(
        march[0].title,
        "Vence el plazo del informe de ventas de 02/2026 del contrato CT-001"
    );
    // A registered report keeps its own deadline; a delivered one leaves the calendar.
    // The last month of the term is reported in the month after the end: 10/01/2027.
    let after_end = contract_dates(id(), &story.state, today(), d(2027, 1, 1), d(2027, 2, 28));
    assert_eq!(
        of_kind(&after_end, CalendarKind::InformeVentas),
        vec![(d(2027, 1, 10), Source::Contrato)]
    );
    let registered = story.report(ym(2026, 2), Some(d(2026, 3, 20)));
    let march = contract_dates(
        id(),
        &registered.state,
        today(),
        d(2026, 3, 1),
        d(2026, 3, 31),
    );
    assert_eq!(
        of_kind(&march, CalendarKind::InformeVentas),
        vec![(d(2026, 3, 20), Source::Contrato)]
    );
    let delivered = registered.delivered(ym(2026, 2), 100_000_000, 0);
    let march = contract_dates(
        id(),
        &delivered.state,
        today(),
        d(2026, 3, 1),
        d(2026, 3, 31),
    );
    assert!(of_kind(&march, CalendarKind::InformeVentas).is_empty());
    // A fixed contract reports nothing.
    assert!(of_kind(&year_2026(&Story::of(terms())), CalendarKind::InformeVentas).is_empty());
}

#[test]
fn terminated_and_deleted_contracts() {
    let terminated = Story::of(terms()).terminated(d(2026, 3, 15));
    let entries = year_2026(&terminated);
    assert!(
        entries.iter().all(|e| e.date <= d(2026, 3, 15)),
        "{entries:#?}"
    );
    assert_eq!(of_kind(&entries, CalendarKind::Ajuste).len(), 1);
    let mut deleted = Story::of(terms()).state;
    deleted.deleted = Some("Duplicado".into());
    assert!(contract_dates(id(), &deleted, today(), d(2026, 1, 1), d(2026, 12, 31)).is_empty());
}

#[test]
fn all_dates_orders_by_date_then_number() {
    let a = Story::of(terms());
    let b = Story::of(ContractTerms {
        number: "CT-000".into(),
        ..terms()
    });
    let entries = all_dates(
        [(id(), &a.state), (uuid::Uuid::from_u128(7), &b.state)],
        today(),
        d(2026, 12, 31),
        d(2026, 12, 31),
    );
    let numbers: Vec<_> = entries.iter().map(|e| e.contract_number.as_str()).collect();
    assert_eq!(numbers, ["CT-000", "CT-001"]);
}

#[test]
fn slugs_round_trip() {
    for kind in CalendarKind::ALL {
        assert_eq!(CalendarKind::from_slug(kind.slug()), Some(kind));
    }
    assert_eq!(CalendarKind::from_slug("nada"), None);
}

/// Two views of the same fact: every vencimiento, preaviso, ajuste and póliza alert's trigger date
/// is on the calendar, with the same kind of fact and the same document.
#[test]
fn the_calendar_agrees_with_the_alerts() {
    let window =
        |story: &Story| contract_dates(id(), &story.state, today(), d(2026, 1, 1), d(2027, 12, 31));
    let stories = [
        // Ends 30/04/2026: vencimiento and preaviso (01/03/2026) fire; the 2026 adjustment is
        // overdue; the póliza expires 31/03/2026 with its month of colchón.
        Story::of(ending(d(2026, 4, 30)))
            .poliza(1, rce(80_000_000, d(2026, 4, 30), 1, RequiredBy::Contract)),
        // The end moved by an Otro Sí: both views name OS-1.
        Story::of(ending(d(2026, 4, 30))).otro_si(d(2026, 2, 1), new_end(d(2026, 5, 20))),
        Story::of(hybrid(5_000_000, "8"))
            .poliza(1, rce(80_000_000, d(2026, 3, 20), 0, RequiredBy::Contract)),
    ];
    let mut compared = 0;
    for story in &stories {
        let calendar = window(story);
        for alert in contract_alerts(id(), &story.state, today()) {
            let kind = match alert.kind {
                AlertKind::Vencimiento => CalendarKind::Vencimiento,
                AlertKind::Preaviso => CalendarKind::Preaviso,
                AlertKind::Ajuste => CalendarKind::Ajuste,
                AlertKind::PolizaCritica => CalendarKind::Poliza,
                _ => continue,
            };
            assert!(
                calendar.iter().any(|e| e.kind == kind
                    && e.date == alert.trigger_date
                    && e.source == alert.source
                    && Some(&e.contract_number) == alert.contract_number.as_ref()),
                "alert {alert:#?} is not on the calendar {calendar:#?}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 7, "compared {compared} alerts");
}

/// The Terminación anticipada alert starts on the calendar's date, not a day before.
#[test]
fn early_termination_starts_on_the_calendar_date() {
    // Ends 30/04/2026: the 60-day notice period starts 01/03/2026, today.
    let starts_today = Story::of(ending(d(2026, 4, 30)));
    let entry = contract_dates(id(), &starts_today.state, today(), today(), today());
    assert!(
        entry
            .iter()
            .any(|e| e.kind == CalendarKind::TerminacionAnticipada)
    );
    assert!(
        contract_alerts(id(), &starts_today.state, today())
            .iter()
            .any(|a| a.kind == AlertKind::TerminacionAnticipada)
    );
    let starts_tomorrow = Story::of(ending(d(2026, 5, 1)));
    let entry = contract_dates(
        id(),
        &starts_tomorrow.state,
        today(),
        d(2026, 3, 2),
        d(2026, 3, 2),
    );
    assert!(
        entry
            .iter()
            .any(|e| e.kind == CalendarKind::TerminacionAnticipada)
    );
    assert!(
        !contract_alerts(id(), &starts_tomorrow.state, today())
            .iter()
            .any(|a| a.kind == AlertKind::TerminacionAnticipada)
    );
}
