//! `arriendo audit verify [--format text|json] [--manifest FILE]…`. Exit code 0 when the chain is
//! intact, 4 when it breaks (see `AppError::Tampered`), 1 on any other error.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::Seal;
use crate::app::{App, AppError};
use crate::backup::manifest::Manifest;

#[derive(Debug, Subcommand)]
pub enum AuditCli {
    /// Recompute the chain of event digests, check every backup's seal and report the first break.
    Verify {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// A backup manifest kept outside the server: its seal is checked too (repeatable).
        #[arg(long = "manifest", value_name = "FILE")]
        manifests: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub async fn run(app: &App, command: AuditCli) -> Result<(), AppError> {
    match command {
        AuditCli::Verify { format, manifests } => {
            let external = manifests
                .iter()
                .map(|m| seal_of(m))
                .collect::<Result<Vec<_>, _>>()?;
            let report = super::verify_with(&app.db, external).await?;
            match format {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report)
                        .map_err(|e| AppError::Failed(e.to_string()))?
                ),
                OutputFormat::Text => print!("{}", text(&report)),
            }
            match &report.broken {
                None => Ok(()),
                Some(b) => Err(AppError::Tampered(format!(
                    "the event chain breaks at position {}",
                    b.position
                ))),
            }
        }
    }
}

/// The seal a manifest carries.
fn seal_of(path: &Path) -> Result<Seal, AppError> {
    let manifest = Manifest::load(path).map_err(crate::backup::cli::to_app)?;
    let chain = manifest.chain.ok_or_else(|| {
        AppError::Usage(format!(
            "{} carries no seal of the chain (written before the chain existed, or of an empty log)",
            path.display()
        ))
    })?;
    Ok(Seal {
        name: manifest.name,
        created_at: manifest.created_at,
        position: chain.position,
        event_count: manifest.event_count,
        digest: chain.digest,
    })
}

/// The report as the auditor reads it on a terminal (Spanish).
fn text(report: &super::ChainReport) -> String {
    let mut out = format!("{}\n", super::summary(report));
    if report.broken.is_some() && report.intact_upto > 0 {
        out.push_str(&format!(
            "Íntegra antes de la ruptura: hasta la posición {} ({} eventos).\n",
            report.intact_upto, report.intact_events
        ));
    }
    if let Some(digest) = &report.intact_digest {
        out.push_str(&format!(
            "Huella en la posición {}: {digest}\n",
            report.intact_upto
        ));
    }
    out.push_str(&format!(
        "Sellos de respaldos comprobados: {}\n",
        report.seals_checked
    ));
    if report.pending > 0 {
        out.push_str(&format!(
            "Eventos aún sin sellar (después de la posición {}): {}\n",
            report.sealed_head, report.pending
        ));
    }
    out.push_str(&format!("Verificado en {} ms.\n", report.elapsed_ms));
    out
}
