//! Everything that happens to a demo contract after it is signed.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use arriendo_events::*;

use super::contracts::poliza;
use super::*;

/// Amendments, renewals, policies, sales reports and adjustments for contract `i`.
pub(super) async fn enrich(
    loader: &Loader<'_>,
    i: usize,
    id: Uuid,
    terms: &ContractTerms,
    today: NaiveDate,
) -> Result<(), DemoError> {
    let actor = loader.admin.clone();
    let gestor = Actor::new("gestora.demo", Role::Gestor);
    let insurer = INSURERS[i % INSURERS.len()];
    let end = terms.end_date;

    // Policies: most comply; some expire soon, some expired, some required ones are never delivered.
    let missing = i % 11 == 4;
    if !missing {
        let (rce_to, colchon) = match i % 7 {
            3 => (day(today, 20), 0),
            5 => (day(today, -10), 0),
            6 => (day(today, 45), 1),
            _ => (add_months(end, 2), if i.is_multiple_of(2) { 1 } else { 0 }),
        };
        let first = if terms.kind == ContractKind::Proveedor {
            PolicyKind::Cumplimiento
        } else {
            PolicyKind::Rce
        };
        let poliza_id = loader.id();
        let data = poliza(
            first.clone(),
            format!(
                "{}-{:05}",
                if first == PolicyKind::Rce {
                    "RCE"
                } else {
                    "CUM"
                },
                1000 + i
            ),
            500_000_000,
            terms.start_date,
            rce_to.max(day(terms.start_date, 1)),
            colchon,
            insurer,
        )?;
        loader
            .contrato(
                id,
                "register poliza",
                ContratoCommand::RegisterPoliza {
                    actor: gestor.clone(),
                    id: poliza_id,
                    poliza: data.clone(),
                },
            )
            .await?;
        if i.is_multiple_of(13) {
            let updated = PolizaData {
                insurer: "Seguros del Estado".into(),
                ..data.clone()
            };
            loader
                .contrato(
                    id,
                    "update poliza",
                    ContratoCommand::UpdatePoliza {
                        actor: gestor.clone(),
                        id: poliza_id,
                        poliza: updated,
                        expected_version: 0,
                    },
                )
                .await?;
            loader
                .contrato(
                    id,
                    "poliza note",
                    ContratoCommand::AddPolizaSeguimiento {
                        actor: gestor.clone(),
                        id: poliza_id,
                        date: today,
                        note: "Se solicitó certificado de renovación".into(),
                        follow_up: None,
                    },
                )
                .await?;
            // The first such note is corrected, the second withdrawn, as managers do.
            let note_action = match i {
                0 => Some(ContratoCommand::CorrectPolizaSeguimiento {
                    actor: gestor.clone(),
                    id: poliza_id,
                    index: 0,
                    note: "Se solicitó el certificado de renovación a la aseguradora".into(),
                }),
                13 => Some(ContratoCommand::RetractPolizaSeguimiento {
                    actor: gestor.clone(),
                    id: poliza_id,
                    index: 0,
                    reason: "El certificado ya había llegado".into(),
                }),
                _ => None,
            };
            if let Some(command) = note_action {
                loader.contrato(id, "poliza note action", command).await?;
            }
        }
        if i % 17 == 1 {
            let renewed = DateRange::new(terms.start_date, add_months(end, 4))?;
            loader
                .contrato(
                    id,
                    "renew poliza",
                    ContratoCommand::RenewPoliza {
                        actor: gestor.clone(),
                        id: poliza_id,
                        validity: renewed,
                    },
                )
                .await?;
        }
        if terms.kind == ContractKind::Cliente {
            let cumplimiento = poliza(
                PolicyKind::Cumplimiento,
                format!("CUM-{:05}", 5000 + i),
                150_000_000,
                terms.start_date,
                add_months(end, 3),
                0,
                insurer,
            )?;
            loader
                .contrato(
                    id,
                    "register cumplimiento",
                    ContratoCommand::RegisterPoliza {
                        actor: gestor.clone(),
                        id: loader.id(),
                        poliza: cumplimiento,
                    },
                )
                .await?;
        }
        if loader.shape == Shape::Portfolio
            && terms.kind == ContractKind::Cliente
            && i.is_multiple_of(4)
        {
            // The old system's ~2 pólizas a contract: some tenants also carry a todo riesgo.
            let number = format!("TR-{:05}", 1000 + i);
            todo_riesgo(loader, id, loader.id(), number, terms, insurer).await?;
        }
        if i == 23 {
            let extra = loader.id();
            todo_riesgo(loader, id, extra, "TR-0001".into(), terms, insurer).await?;
            loader
                .contrato(
                    id,
                    "cancel poliza",
                    ContratoCommand::CancelPoliza {
                        actor: gestor.clone(),
                        id: extra,
                        date: today,
                        reason: "Reemplazada por póliza colectiva".into(),
                    },
                )
                .await?;
        }
    }

    // Sales reports of variable and híbrido contracts: the last three months in the demo, every
    // month of the last ten (since the contract started) in a portfolio.
    let months_back = match loader.shape {
        Shape::Demo => 3,
        Shape::Portfolio => 10,
    };
    let first_report =
        YearMonth::of(add_months(today, -months_back)).max(YearMonth::of(terms.start_date));
    let this_month = YearMonth::of(today);
    if terms.modality.is_sales_based()
        && terms.start_date < day(today, -100)
        && first_report < this_month
    {
        let mut period = first_report;
        while period < this_month {
            let deadline = if period.next() == this_month {
                // The most recent report: overdue for some, due within days for others.
                Some(if i.is_multiple_of(2) {
                    day(today, -4)
                } else {
                    day(today, 3)
                })
            } else {
                None
            };
            loader
                .contrato(
                    id,
                    "register report",
                    ContratoCommand::RegisterSalesReport {
                        actor: gestor.clone(),
                        period,
                        deadline,
                    },
                )
                .await?;
            if period.next() != this_month {
                let gross = 120_000_000 + (i as i64 * 7_300_000) % 90_000_000;
                loader
                    .contrato(
                        id,
                        "deliver report",
                        ContratoCommand::MarkSalesReportDelivered {
                            actor: gestor.clone(),
                            period,
                            date: period.next().day(8),
                            gross_sales: money(gross)?,
                            returns: money(gross / 40)?,
                            expected_version: 0,
                        },
                    )
                    .await?;
            }
            period = period.next();
        }
        if i == 4 && first_report <= YearMonth::of(add_months(today, -3)) {
            let first = YearMonth::of(add_months(today, -3));
            loader
                .contrato(
                    id,
                    "reopen report",
                    ContratoCommand::MarkSalesReportPending {
                        actor: gestor.clone(),
                        period: first,
                    },
                )
                .await?;
        }
    }

    // A sales report inside the grace period: its minimum is the grace canon ($ 0) and the
    // percentage of sales still applies.
    if let Some(grace) = terms
        .grace_period
        .as_ref()
        .filter(|_| terms.modality.is_sales_based())
    {
        let period = YearMonth::of(grace.period.from());
        if period < first_report.min(YearMonth::of(add_months(today, -3))) {
            loader
                .contrato(
                    id,
                    "register grace report",
                    ContratoCommand::RegisterSalesReport {
                        actor: gestor.clone(),
                        period,
                        deadline: None,
                    },
                )
                .await?;
            loader
                .contrato(
                    id,
                    "deliver grace report",
                    ContratoCommand::MarkSalesReportDelivered {
                        actor: gestor.clone(),
                        period,
                        date: period.next().day(8),
                        gross_sales: money(40_000_000)?,
                        returns: Money::ZERO,
                        expected_version: 0,
                    },
                )
                .await?;
        }
    }

    // Canon adjustments already applied, every missed year in order (they compound), up to
    // last year's: every third contract (fixed canon) and a few híbridos, whose sales reports
    // delivered above got a reliquidación when the minimum rose under them.
    if (i.is_multiple_of(3) || i % 9 == 5)
        && terms.modality.fixed_amount().is_some()
        && let Some(rule) = terms.adjustment
    {
        let salario = matches!(rule.index, AdjustmentIndex::SalarioMinimo { .. });
        let first = terms.start_date.year().saturating_add(1);
        for year in first..today.year() {
            let Some(effective) = rule
                .on
                .in_year(year, terms.start_date)
                .filter(|d| *d > terms.start_date && *d <= today)
            else {
                continue;
            };
            let published = if salario { SALARIO_MINIMO } else { IPC };
            let index = published
                .iter()
                .find(|(y, _)| *y == year.saturating_sub(1))
                .map_or(if salario { "9,54" } else { "5,2" }, |(_, v)| *v);
            loader
                .contrato(
                    id,
                    "adjust canon",
                    ContratoCommand::RecordCanonAdjustment {
                        actor: actor.clone(),
                        year,
                        index_value: pct(index)?,
                        effective_date: effective,
                    },
                )
                .await?;
        }
    }

    // Otros Sí: approved, in review, rejected, drafts edited and deleted.
    if i.is_multiple_of(5)
        && matches!(
            terms.modality,
            PaymentModality::Fijo { .. } | PaymentModality::Hibrido { .. }
        )
    {
        let raise = OtroSiChanges {
            canon: terms
                .modality
                .fixed_amount()
                .map(|m| m.saturating_add(Money::from_pesos(500_000).unwrap_or(Money::ZERO))),
            ..Default::default()
        };
        let from = day(today, -60).max(day(terms.start_date, 1));
        loader
            .contrato(
                id,
                "draft OS-1",
                ContratoCommand::DraftOtroSi {
                    actor: gestor.clone(),
                    effective_from: from,
                    effective_to: None,
                    changes: raise,
                    description: "Incremento del canon por ampliación del local".into(),
                },
            )
            .await?;
        loader
            .contrato(
                id,
                "submit OS-1",
                ContratoCommand::SubmitOtroSi {
                    actor: gestor.clone(),
                    number: OtroSiNumber(1),
                },
            )
            .await?;
        loader
            .contrato(
                id,
                "approve OS-1",
                ContratoCommand::ApproveOtroSi {
                    actor: actor.clone(),
                    number: OtroSiNumber(1),
                },
            )
            .await?;
        let extend = OtroSiChanges {
            end_date: Some(add_months(terms.end_date, 12)),
            ..Default::default()
        };
        loader
            .contrato(
                id,
                "draft OS-2",
                ContratoCommand::DraftOtroSi {
                    actor: gestor.clone(),
                    effective_from: today,
                    effective_to: None,
                    changes: extend.clone(),
                    description: "Prórroga de un año".into(),
                },
            )
            .await?;
        match i % 4 {
            0 => {
                loader
                    .contrato(
                        id,
                        "submit OS-2",
                        ContratoCommand::SubmitOtroSi {
                            actor: gestor.clone(),
                            number: OtroSiNumber(2),
                        },
                    )
                    .await?;
            }
            1 => {
                loader
                    .contrato(
                        id,
                        "submit OS-2",
                        ContratoCommand::SubmitOtroSi {
                            actor: gestor.clone(),
                            number: OtroSiNumber(2),
                        },
                    )
                    .await?;
                loader
                    .contrato(
                        id,
                        "reject OS-2",
                        ContratoCommand::RejectOtroSi {
                            actor: actor.clone(),
                            number: OtroSiNumber(2),
                            reason: "Falta el visto bueno de gerencia".into(),
                        },
                    )
                    .await?;
            }
            2 => {
                loader
                    .contrato(
                        id,
                        "edit OS-2",
                        ContratoCommand::EditOtroSi {
                            actor: gestor.clone(),
                            number: OtroSiNumber(2),
                            effective_from: today,
                            effective_to: None,
                            changes: extend,
                            description: "Prórroga de un año (ajustada)".into(),
                            expected_version: 0,
                        },
                    )
                    .await?;
            }
            _ => {
                loader
                    .contrato(
                        id,
                        "delete OS-2",
                        ContratoCommand::DeleteOtroSi {
                            actor: gestor.clone(),
                            number: OtroSiNumber(2),
                        },
                    )
                    .await?;
            }
        }
    } else if loader.shape == Shape::Portfolio {
        super::portfolio::otro_si(loader, id, terms, today).await?;
    }

    // Automatic renewals: one approved, one annulled, the rest left for the alert.
    if terms.automatic_extension && (i == 12 || i == 14) {
        loader
            .contrato(
                id,
                "propose RA-1",
                ContratoCommand::ProposeRenewal {
                    actor: gestor.clone(),
                },
            )
            .await?;
        loader
            .contrato(
                id,
                "approve RA-1",
                ContratoCommand::ApproveRenewal {
                    actor: actor.clone(),
                    number: RenewalNumber(1),
                },
            )
            .await?;
        if i == 14 {
            loader
                .contrato(
                    id,
                    "annul RA-1",
                    ContratoCommand::AnnulRenewal {
                        actor: actor.clone(),
                        number: RenewalNumber(1),
                        reason: "Renovación registrada por error".into(),
                    },
                )
                .await?;
        }
    }
    if i == 16 && terms.automatic_extension {
        loader
            .contrato(
                id,
                "propose RA-1",
                ContratoCommand::ProposeRenewal {
                    actor: gestor.clone(),
                },
            )
            .await?;
    }

    if i.is_multiple_of(9) {
        loader
            .contrato(
                id,
                "note",
                ContratoCommand::AddSeguimiento {
                    actor: gestor.clone(),
                    date: today,
                    note: "Reunión con el arrendatario para revisar el canon".into(),
                    // Every other note asks to come back in three days: a reminder on the panel.
                    follow_up: i
                        .is_multiple_of(18)
                        .then(|| today.checked_add_days(chrono::Days::new(3)))
                        .flatten(),
                },
            )
            .await?;
        // One note corrected and one withdrawn, as managers do.
        if i == 9 {
            loader
                .contrato(
                    id,
                    "correct note",
                    ContratoCommand::CorrectSeguimiento {
                        actor: gestor.clone(),
                        index: 0,
                        note: "Reunión con el arrendatario para revisar el canon y la póliza RCE"
                            .into(),
                    },
                )
                .await?;
        }
        if i == 27 {
            loader
                .contrato(
                    id,
                    "retract note",
                    ContratoCommand::RetractSeguimiento {
                        actor: gestor.clone(),
                        index: 0,
                        reason: "La reunión se canceló".into(),
                    },
                )
                .await?;
        }
    }
    if i == 57 {
        let mut edited = terms.clone();
        edited.purpose = "Local comercial: restaurante".into();
        loader
            .contrato(
                id,
                "update terms",
                ContratoCommand::UpdateContractTerms {
                    actor: gestor.clone(),
                    terms: edited,
                    expected_version: 0,
                    reason: "Actualización del objeto del contrato acordada con el arrendatario"
                        .into(),
                },
            )
            .await?;
    }
    if i == 58 {
        loader
            .contrato(
                id,
                "terminate",
                ContratoCommand::TerminateContract {
                    actor: actor.clone(),
                    date: today,
                    reason: "Terminación por mutuo acuerdo".into(),
                },
            )
            .await?;
    }
    if i == 59 {
        loader
            .contrato(
                id,
                "delete",
                ContratoCommand::DeleteContract {
                    actor: actor.clone(),
                    reason: "Contrato duplicado".into(),
                },
            )
            .await?;
    }
    Ok(())
}

/// Registers a todo riesgo póliza `poliza_id` on contract `id`, covering it to a month after its end.
async fn todo_riesgo(
    loader: &Loader<'_>,
    id: Uuid,
    poliza_id: Uuid,
    number: String,
    terms: &ContractTerms,
    insurer: &str,
) -> Result<(), DemoError> {
    let data = poliza(
        PolicyKind::TodoRiesgo,
        number,
        80_000_000,
        terms.start_date,
        add_months(terms.end_date, 1),
        0,
        insurer,
    )?;
    let command = ContratoCommand::RegisterPoliza {
        actor: Actor::new("gestora.demo", Role::Gestor),
        id: poliza_id,
        poliza: data,
    };
    loader.contrato(id, "register todo riesgo", command).await
}
