//! Everything that happens to a demo contract after it is signed.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use arriendo_events::*;

use super::contracts::poliza;
use super::enrich_otrosi::otros_si;
use super::enrich_polizas::polizas;
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

    polizas(loader, i, id, terms, today, insurer).await?;

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

    otros_si(loader, i, id, terms, today).await?;

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
pub(super) async fn todo_riesgo(
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
