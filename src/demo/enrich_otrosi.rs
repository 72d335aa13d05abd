//! A demo contract's Otros Sí: approved, in review, rejected, drafts edited and deleted.

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::*;

use super::*;

/// The Otros Sí of contract `i`.
pub(super) async fn otros_si(
    loader: &Loader<'_>,
    i: usize,
    id: Uuid,
    terms: &ContractTerms,
    today: NaiveDate,
) -> Result<(), DemoError> {
    let actor = loader.admin.clone();
    let gestor = Actor::new("gestora.demo", Role::Gestor);
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
    Ok(())
}
