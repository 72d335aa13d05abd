//! `arriendo history CONTRACT [--in-force-on D] [--as-recorded-at T] [--format text|json]`: what the
//! contract page shows with `?vigente=D&registrado=T`, for the auditor's working papers.

use arriendo_projections::vigente;
use arriendo_views::pages::contrato_terms::terms_lines;
use clap::Args;
use serde_json::json;

use super::cli::OutputFormat;
use crate::app::{App, AppError, today};
use crate::queries::{self, time_travel};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The contract's number (CT-2024-001) or id.
    pub contract: String,
    /// The terms as they applied on this day (2026-03-01 or 01/03/2026); today by default.
    #[arg(long, value_name = "DATE")]
    pub in_force_on: Option<String>,
    /// Only the events recorded up to this moment, Bogotá time (2026-02-15T10:00; a date alone
    /// means the end of that day).
    #[arg(long, value_name = "MOMENT")]
    pub as_recorded_at: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub async fn run(app: &App, args: HistoryArgs) -> Result<(), AppError> {
    let id = match uuid::Uuid::parse_str(args.contract.trim()) {
        Ok(id) => Some(id.to_string()),
        Err(_) => queries::auditoria::contract_id(&app.db, &args.contract).await?,
    }
    .ok_or_else(|| AppError::Usage(format!("no contract numbered {:?}", args.contract)))?;
    let day = match &args.in_force_on {
        Some(text) => arriendo_events::parse_date(text)
            .map_err(|e| AppError::Usage(format!("--in-force-on: {e}")))?,
        None => today(),
    };
    let limit = match &args.as_recorded_at {
        Some(text) => Some(time_travel::recorded_limit(text).ok_or_else(|| {
            AppError::Usage(format!(
                "--as-recorded-at: {text:?} is not a moment like 2026-02-15T10:00"
            ))
        })?),
        None => None,
    };
    let contrato = match limit {
        Some(limit) => time_travel::contract_as_recorded(&app.db, &id, limit).await?,
        None => queries::contract_state(&app.db, &id).await?,
    }
    .ok_or_else(|| AppError::Failed(format!("contract {id} had no events recorded by then")))?;
    let terms = vigente(&contrato, day)
        .ok_or_else(|| AppError::Failed(format!("contract {id} has no terms in force on {day}")))?;
    let history: Vec<_> = queries::history(&app.db, "contrato", &id)
        .await?
        .into_iter()
        .filter(|h| limit.is_none_or(|limit| h.recorded_at <= limit))
        .collect();
    let lines = terms_lines(&terms);
    match args.format {
        OutputFormat::Json => {
            let document = json!({
                "contract": contrato.number(),
                "id": id,
                "in_force_on": day,
                "as_recorded_at": limit,
                "terms": terms,
                "terms_text": lines.iter().map(|l| json!({
                    "label": l.label, "value": l.text, "source": l.source,
                })).collect::<Vec<_>>(),
                "history": history,
            });
            let text = serde_json::to_string_pretty(&document)
                .map_err(|e| AppError::Failed(e.to_string()))?;
            println!("{text}");
        }
        OutputFormat::Text => {
            println!("Contrato {}", contrato.number());
            let mut when = format!("En vigor el {}", day.format("%d/%m/%Y"));
            if let Some(limit) = limit {
                let local = limit.with_timezone(&chrono_tz::America::Bogota);
                when.push_str(&format!(
                    " · según lo registrado al {} (Bogotá)",
                    local.format("%d/%m/%Y %H:%M:%S")
                ));
            }
            println!("{when}\n\nTérminos");
            for l in &lines {
                match &l.source {
                    Some(source) => println!("  {}: {} ({source})", l.label, l.text),
                    None => println!("  {}: {}", l.label, l.text),
                }
            }
            println!("\nHistorial");
            for h in &history {
                let at = h.recorded_at.with_timezone(&chrono_tz::America::Bogota);
                println!(
                    "  {}  {}  {}",
                    at.format("%d/%m/%Y %H:%M:%S"),
                    h.actor,
                    h.summary
                );
            }
        }
    }
    Ok(())
}
