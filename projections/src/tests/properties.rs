//! Issue 9, property: whatever sequence of commands people send to a contract (values in range,
//! at the bounds, past them, absurd), the events the aggregate accepts are within bounds, read
//! back from JSON as they were written, and project on any day without a panic.

use arriendo_events::bounds::MAX_PESOS;
use arriendo_events::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::stored_extremes::project_everything;
use crate::schedule::Indices;

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Mostly plausible days, some outside 1900..=2200, and the ends of chrono's calendar.
fn any_date() -> BoxedStrategy<NaiveDate> {
    prop_oneof![
        8 => (2020i32..2032, 1u32..=12, 1u32..=28).prop_map(ymd),
        2 => (1890i32..2210, 1u32..=12, 1u32..=28).prop_map(ymd),
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
    ]
    .boxed()
}

/// Amounts as a command may carry them (typed ones stop at 10^15; others come from code).
fn any_money() -> impl Strategy<Value = Money> {
    prop_oneof![
        8 => 0i64..50_000_000,
        1 => Just(MAX_PESOS),
        1 => MAX_PESOS..=i64::MAX,
    ]
    .prop_map(|n| serde_json::from_value(serde_json::json!(n)).unwrap_or(Money::ZERO))
}

fn any_percentage() -> impl Strategy<Value = Percentage> {
    (0i64..=10_000).prop_map(|hundredths| {
        Percentage::new(Decimal::new(hundredths, 2)).unwrap_or(Percentage::ZERO)
    })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-zñ0-9 ,.-]{0,24}",
        1 => Just("línea\r\n\tsiguiente".to_string()),
        1 => Just("nul\0".to_string()),
        1 => Just("x".repeat(10_001)),
        1 => Just("9".repeat(2_705)),
    ]
}

fn any_days() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..=120,
        Just(3_650),
        Just(3_651),
        Just(100_000_000),
        Just(u32::MAX)
    ]
}

fn any_months() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..=60, Just(1_188), Just(1_189), Just(u32::MAX)]
}

fn any_modality() -> impl Strategy<Value = PaymentModality> {
    prop_oneof![
        any_money().prop_map(|canon| PaymentModality::Fijo { canon }),
        any_percentage().prop_map(|percentage| PaymentModality::VariablePuro { percentage }),
        (any_money(), any_percentage()).prop_map(|(minimum, percentage)| {
            PaymentModality::Hibrido {
                minimum,
                percentage,
            }
        }),
    ]
}

fn any_adjustment() -> impl Strategy<Value = Option<AdjustmentRule>> {
    let index = prop_oneof![
        any_percentage().prop_map(|points| AdjustmentIndex::Ipc { points }),
        any_percentage().prop_map(|p| AdjustmentIndex::SalarioMinimo {
            percentage_of_increase: p
        }),
    ];
    let on = prop_oneof![
        Just(AdjustmentDate::Anniversary),
        (1u32..=12, 1u32..=31).prop_map(|(month, day)| AdjustmentDate::FixedDate { month, day }),
    ];
    proptest::option::of((index, on).prop_map(|(index, on)| AdjustmentRule { index, on }))
}

fn any_requirements() -> impl Strategy<Value = Vec<PolicyRequirement>> {
    proptest::collection::vec(
        (any_money(), any_months(), prop::bool::ANY).prop_map(|(minimum, months, rce)| {
            PolicyRequirement {
                kind: if rce {
                    PolicyKind::Rce
                } else {
                    PolicyKind::Cumplimiento
                },
                minimum_insured: minimum,
                months_of_cover: months,
                rce_sublimits: None,
                cumplimiento_cover: None,
            }
        }),
        0..3,
    )
}

fn any_terms() -> impl Strategy<Value = ContractTerms> {
    (
        (any_text(), any_text(), any_date(), any_date(), any_date()),
        (any_months(), any_days(), any_days(), prop::bool::ANY),
        (
            any_modality(),
            proptest::option::of(0u8..=30),
            any_adjustment(),
        ),
        (
            any_requirements(),
            proptest::option::of((any_date(), any_money())),
        ),
    )
        .prop_map(
            |(
                (number, purpose, signing, start, end),
                (months, preaviso, early, extension),
                (modality, due_day, adjustment),
                (required_policies, grace),
            )| {
                let grace_period = grace.and_then(|(to, canon)| {
                    Some(GracePeriod {
                        period: DateRange::new(start, to).ok()?,
                        canon,
                        condition: "Obras".into(),
                    })
                });
                ContractTerms {
                    number: format!("CT-{number}"),
                    kind: ContractKind::Cliente,
                    purpose: format!("Objeto {purpose}"),
                    tercero_id: Uuid::from_u128(1),
                    local_id: None,
                    signing_date: signing,
                    start_date: start,
                    initial_duration_months: months,
                    end_date: end,
                    automatic_extension: extension,
                    preaviso_days: preaviso,
                    early_termination_notice_days: early,
                    modality,
                    sales_report_due_day: due_day,
                    adjustment,
                    grace_period,
                    required_policies,
                    penalty_clause: String::new(),
                    late_payment_interest: String::new(),
                    signed_document_url: None,
                    type_id: None,
                }
            },
        )
}

fn any_changes() -> impl Strategy<Value = OtroSiChanges> {
    (
        proptest::option::of(any_money()),
        proptest::option::of(any_percentage()),
        proptest::option::of(any_date()),
        proptest::option::of(any_months()),
        proptest::option::of(any_requirements()),
    )
        .prop_map(
            |(canon, percentage, end_date, duration_months, required_policies)| OtroSiChanges {
                canon,
                percentage,
                end_date,
                duration_months,
                required_policies,
                ..OtroSiChanges::default()
            },
        )
}

fn any_poliza() -> impl Strategy<Value = PolizaData> {
    (
        any_text(),
        any_money(),
        any_date(),
        any_date(),
        0u32..=30,
        0u32..3,
    )
        .prop_map(|(number, value, from, to, colchon, by)| PolizaData {
            kind: PolicyKind::Rce,
            number: format!("P-{number}"),
            insurer: "Sura".into(),
            insured_value: value,
            rce_sublimits: None,
            cumplimiento_cover: None,
            validity: DateRange::new(from.min(to), from.max(to))
                .or_else(|_| DateRange::new(from, from.succ_opt().unwrap_or(from)))
                .unwrap_or_else(|_| {
                    DateRange::new(NaiveDate::MIN, NaiveDate::MAX).expect("MIN < MAX")
                }),
            state: PolizaState::AporteInicial,
            required_by: match by {
                0 => RequiredBy::Contract,
                1 => RequiredBy::OtroSi(OtroSiNumber(1)),
                _ => RequiredBy::Renovacion(RenewalNumber(1)),
            },
            colchon_months: colchon,
        })
}

fn any_period() -> impl Strategy<Value = YearMonth> {
    (2020i32..2032, 1u32..=12).prop_map(|(y, m)| YearMonth::new(y, m).expect("valid month"))
}

fn any_command() -> impl Strategy<Value = ContratoCommand> {
    use ContratoCommand::*;
    let actor = prop_oneof![
        Just(Actor::new("ana.admin", Role::Administrador)),
        Just(Actor::new("gus.gestor", Role::Gestor)),
    ];
    let poliza_id = (1u128..4).prop_map(Uuid::from_u128);
    prop_oneof![
        (actor.clone(), any_terms()).prop_map(|(actor, terms)| UpdateContractTerms {
            actor,
            terms,
            expected_version: 0,
            reason: "Corrección".into(),
        }),
        (actor.clone(), any_date(), any_text()).prop_map(|(actor, date, note)| AddSeguimiento {
            actor,
            date,
            note,
            follow_up: None,
        }),
        (actor.clone(), any_date(), any_text()).prop_map(|(actor, date, reason)| {
            TerminateContract {
                actor,
                date,
                reason,
            }
        }),
        (
            actor.clone(),
            any_date(),
            proptest::option::of(any_date()),
            any_changes(),
            any_text()
        )
            .prop_map(
                |(actor, effective_from, effective_to, changes, description)| {
                    DraftOtroSi {
                        actor,
                        effective_from,
                        effective_to,
                        changes,
                        description,
                    }
                }
            ),
        (actor.clone(), 1u32..4).prop_map(|(actor, n)| SubmitOtroSi {
            actor,
            number: OtroSiNumber(n)
        }),
        (actor.clone(), 1u32..4).prop_map(|(actor, n)| ApproveOtroSi {
            actor,
            number: OtroSiNumber(n)
        }),
        (actor.clone(), 1u32..4).prop_map(|(actor, n)| DeleteOtroSi {
            actor,
            number: OtroSiNumber(n)
        }),
        actor.clone().prop_map(|actor| ProposeRenewal { actor }),
        (actor.clone(), 1u32..4).prop_map(|(actor, n)| ApproveRenewal {
            actor,
            number: RenewalNumber(n)
        }),
        (actor.clone(), poliza_id.clone(), any_poliza())
            .prop_map(|(actor, id, poliza)| RegisterPoliza { actor, id, poliza }),
        (actor.clone(), poliza_id.clone(), any_date(), any_date()).prop_map(|(actor, id, a, b)| {
            RenewPoliza {
                actor,
                id,
                validity: DateRange::new(a.min(b), a.max(b)).unwrap_or_else(|_| {
                    DateRange::new(NaiveDate::MIN, NaiveDate::MAX).expect("MIN < MAX")
                }),
            }
        }),
        (
            actor.clone(),
            any_period(),
            proptest::option::of(any_date())
        )
            .prop_map(|(actor, period, deadline)| RegisterSalesReport {
                actor,
                period,
                deadline
            }),
        (
            actor.clone(),
            any_period(),
            any_date(),
            any_money(),
            any_money()
        )
            .prop_map(|(actor, period, date, gross_sales, returns)| {
                MarkSalesReportDelivered {
                    actor,
                    period,
                    date,
                    gross_sales,
                    returns,
                    expected_version: 0,
                }
            }),
        (actor.clone(), 2020i32..2032, any_percentage(), any_date()).prop_map(
            |(actor, year, index_value, effective_date)| RecordCanonAdjustment {
                actor,
                year,
                index_value,
                effective_date,
            }
        ),
        // The importer's commands (issue 11): renewals of any length, billed amounts kept as
        // facts, adjustments applied by the old system.
        (
            actor.clone(),
            prop_oneof![0u32..=36, Just(1_200), Just(u32::MAX)]
        )
            .prop_map(|(actor, months)| ProposeRenewalForMonths { actor, months }),
        (
            actor.clone(),
            any_period(),
            any_date(),
            any_money(),
            any_money(),
            any_money()
        )
            .prop_map(|(actor, period, date, gross_sales, returns, billed)| {
                RecordBilledSalesReport {
                    actor,
                    period,
                    date,
                    gross_sales,
                    returns,
                    billed,
                }
            }),
        (
            actor.clone(),
            2020i32..2032,
            any_percentage(),
            any_percentage(),
            any_money(),
            any_money(),
            any_date()
        )
            .prop_map(
                |(
                    actor,
                    year,
                    index_value,
                    increase,
                    previous_canon,
                    new_canon,
                    effective_date,
                )| {
                    RecordPastCanonAdjustment {
                        actor,
                        year,
                        index_value,
                        increase: increase.as_decimal(),
                        previous_canon,
                        new_canon,
                        effective_date,
                    }
                }
            ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_sequence_of_accepted_commands_projects_without_panicking(
        terms in any_terms(),
        commands in proptest::collection::vec(any_command(), 0..25),
        days in proptest::collection::vec(any_date(), 1..4),
    ) {
        let mut contrato = Contrato::default();
        let create = ContratoCommand::CreateContract {
            actor: Actor::new("gus.gestor", Role::Gestor),
            terms,
        };
        for command in std::iter::once(create).chain(commands) {
            // Edits carry the version the author saw, as a form prepared from this state would.
            let command = command.prepared_from(&contrato);
            let Ok(events) = contrato.decide(command) else { continue };
            for event in events {
                prop_assert_eq!(event.check_bounds(), Ok(()));
                // What the projector reads back is what was written.
                let json = serde_json::to_value(&event).expect("events serialise");
                let read: ContratoEvent = serde_json::from_value(json).expect("and read back");
                prop_assert_eq!(&read, &event);
                contrato.apply_event(read);
            }
        }
        for day in days {
            project_everything(&contrato, &Indices::default(), &[day]);
        }
    }
}
