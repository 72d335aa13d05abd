//! Issue 9: events stored before the bounds existed (built here directly, bypassing `decide`)
//! must project without a panic. A preaviso of 100.000.000 days made `end − preaviso` leave
//! chrono's calendar and stopped the projector for good.

use arriendo_events::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::alerts::{AlertKind, Severity, all_alerts, contract_alerts};
use crate::billing::billings;
use crate::dashboard::{monthly_chart, summary};
use crate::fold::{fold_contrato, fold_indice};
use crate::history::{describe_contrato, describe_contrato_in};
use crate::polizas::{missing_policies, poliza_views};
use crate::schedule::{Indices, canon_schedule};
use crate::testing::*;
use crate::vigente::{upcoming_end, vigente};

/// Money as an old event may hold it: anything non-negative that fits in `i64`.
fn stored_pesos(n: i64) -> Money {
    serde_json::from_value(serde_json::json!(n)).unwrap()
}

/// Today, the ends of the accepted dates and the ends of chrono's calendar.
fn extreme_days() -> [NaiveDate; 5] {
    [
        today(),
        d(1900, 1, 1),
        d(2200, 12, 31),
        NaiveDate::MIN,
        NaiveDate::MAX,
    ]
}

/// Every read model of one contract on each of these days; what a projector pass computes and
/// what the detail pages show.
pub(super) fn project_everything(contrato: &Contrato, indices: &Indices, days: &[NaiveDate]) {
    for &day in days {
        let alerts = contract_alerts(id(), contrato, day);
        for alert in &alerts {
            assert!(!alert.message.is_empty());
        }
        vigente(contrato, day);
        upcoming_end(contrato, day);
        poliza_views(contrato, day);
        missing_policies(contrato, day);
        summary([contrato], day, None);
        monthly_chart([contrato], day, None);
        all_alerts([(id(), contrato)], None, day, chrono::Utc::now());
    }
    let schedule = canon_schedule(contrato, indices);
    // At most the months between 1900 and 2200, whatever the stored dates.
    assert!(schedule.len() <= 301 * 12, "{} months", schedule.len());
    billings(contrato);
}

#[test]
fn a_preaviso_of_100_000_000_days_projects_without_panicking() {
    let contrato = fold_contrato([ContratoEvent::ContractCreated(ContractTerms {
        preaviso_days: 100_000_000,
        early_termination_notice_days: 100_000_000,
        ..terms()
    })]);
    project_everything(&contrato, &Indices::default(), &extreme_days());
    // The notice deadline lies before the calendar: it is past, so the alert informs that it
    // can no longer be given (and the user sees the absurd value to correct it).
    let alerts = contract_alerts(id(), &contrato, today());
    let preaviso = alerts
        .iter()
        .find(|a| a.kind == AlertKind::Preaviso)
        .unwrap();
    assert_eq!(preaviso.severity, Severity::Info);
    assert!(preaviso.days_left < 0);
}

/// Every number of an old contract stream at the end of its type.
fn extreme_stream() -> Vec<ContratoEvent> {
    let all_time = DateRange::new(NaiveDate::MIN, NaiveDate::MAX).unwrap();
    let most = stored_pesos(i64::MAX);
    let requirement = PolicyRequirement {
        kind: PolicyKind::Otra("\0".repeat(3_000)),
        minimum_insured: most,
        months_of_cover: u32::MAX,
        rce_sublimits: Some(RceSublimits {
            premises_operations: Some(most),
            ..RceSublimits::default()
        }),
        cumplimiento_cover: None,
    };
    let terms = ContractTerms {
        number: "9".repeat(3_000),
        signing_date: NaiveDate::MIN,
        start_date: NaiveDate::MIN,
        end_date: NaiveDate::MAX,
        initial_duration_months: u32::MAX,
        automatic_extension: true,
        preaviso_days: u32::MAX,
        early_termination_notice_days: u32::MAX,
        modality: PaymentModality::Hibrido {
            minimum: most,
            percentage: Percentage::HUNDRED,
        },
        sales_report_due_day: Some(u8::MAX),
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc {
                points: Percentage::HUNDRED,
            },
            on: AdjustmentDate::FixedDate {
                month: u32::MAX,
                day: u32::MAX,
            },
        }),
        grace_period: Some(GracePeriod {
            period: all_time,
            canon: most,
            condition: String::new(),
        }),
        required_policies: vec![requirement.clone()],
        ..terms()
    };
    let top = OtroSiNumber(u32::MAX);
    let last_renewal = RenewalNumber(u32::MAX);
    let period = YearMonth::of(NaiveDate::MAX);
    vec![
        ContratoEvent::ContractCreated(terms),
        ContratoEvent::OtroSiDrafted {
            number: top,
            effective_from: NaiveDate::MIN,
            effective_to: Some(NaiveDate::MAX),
            changes: OtroSiChanges {
                canon: Some(most),
                minimum: Some(most),
                end_date: Some(NaiveDate::MAX),
                duration_months: Some(u32::MAX),
                adjustment_on: Some(AdjustmentDate::Anniversary),
                required_policies: Some(vec![requirement]),
                ..OtroSiChanges::default()
            },
            description: String::new(),
            by: "x".into(),
        },
        ContratoEvent::OtroSiApproved {
            number: top,
            by: "x".into(),
        },
        ContratoEvent::RenewalProposed {
            number: last_renewal,
            previous_end: NaiveDate::MAX,
            new_end: NaiveDate::MAX,
            by: "x".into(),
        },
        ContratoEvent::RenewalApproved {
            number: last_renewal,
            by: "x".into(),
        },
        ContratoEvent::PolizaRegistered {
            id: Uuid::from_u128(1),
            poliza: PolizaData {
                kind: PolicyKind::Rce,
                number: String::new(),
                insurer: String::new(),
                insured_value: most,
                rce_sublimits: None,
                cumplimiento_cover: None,
                validity: all_time,
                state: PolizaState::Prorroga,
                required_by: RequiredBy::OtroSi(top),
                colchon_months: u32::MAX,
            },
        },
        ContratoEvent::SalesReportRegistered {
            period,
            deadline: NaiveDate::MIN,
        },
        ContratoEvent::SalesReportDelivered {
            period,
            date: NaiveDate::MAX,
            gross_sales: most,
            returns: Money::ZERO,
            billed: Some(most),
        },
        ContratoEvent::CanonAdjusted(CanonAdjustment {
            year: i32::MAX,
            rule: AdjustmentIndex::Ipc {
                points: Percentage::HUNDRED,
            },
            index_value: Percentage::HUNDRED,
            increase: Decimal::MAX,
            previous_canon: most,
            new_canon: most,
            effective_date: NaiveDate::MAX,
            by: "x".into(),
        }),
        ContratoEvent::ContractTerminated(Termination {
            date: NaiveDate::MAX,
            reason: String::new(),
            by: "x".into(),
        }),
    ]
}

#[test]
fn a_stream_with_every_value_at_its_extreme_projects_without_panicking() {
    let events = extreme_stream();
    let mut contrato = Contrato::default();
    for event in &events {
        describe_contrato(event);
        describe_contrato_in(&contrato, event);
        contrato.apply_event(event.clone());
    }
    // Published index values of 100 % every year: projected adjustments overflow and keep the canon.
    let ipc = fold_indice((1990..=2200).map(|year| IndiceEvent::IndexValueRecorded {
        kind: IndexKind::Ipc,
        year,
        value: Percentage::HUNDRED,
        previous: None,
        by: "x".into(),
    }));
    let indices = Indices {
        ipc,
        ..Indices::default()
    };
    project_everything(&contrato, &indices, &extreme_days());
    // And the same stream cut after each event.
    for n in 1..events.len() {
        project_everything(
            &fold_contrato(events[..n].to_vec()),
            &indices,
            &extreme_days(),
        );
    }
}

#[test]
fn the_bounds_refuse_what_the_extreme_stream_holds() {
    // What restore and decide use: none of these events would be stored today.
    for event in extreme_stream() {
        let approved = matches!(
            event,
            ContratoEvent::OtroSiApproved { .. } | ContratoEvent::RenewalApproved { .. }
        );
        assert_eq!(event.check_bounds().is_ok(), approved, "{event:?}");
    }
}
