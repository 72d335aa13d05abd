//! A demo contract's pólizas: most comply; some expire soon, some expired, some required ones
//! are never delivered.

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::*;

use super::contracts::poliza;
use super::enrich::todo_riesgo;
use super::*;

/// The pólizas of contract `i`, from `insurer`.
pub(super) async fn polizas(
    loader: &Loader<'_>,
    i: usize,
    id: Uuid,
    terms: &ContractTerms,
    today: NaiveDate,
    insurer: &str,
) -> Result<(), DemoError> {
    let gestor = Actor::new("gestora.demo", Role::Gestor);
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
    Ok(())
}
