//! `arriendo backup …`: a backup now (full, incremental or as the schedule does), `list`, `verify`,
//! `ship` and `prune`.

use arriendo_events::format_size;
use chrono::Utc;

use super::cli::{BackupArgs, BackupCommand, FormatArg, Out, policy, say, settings, to_app};
use super::incremental::Mode;
use super::manifest;
use super::retention;
use super::run::{self, BackupOptions, Format};
use super::targets::Target;
use crate::cli::GlobalArgs;
use crate::{App, AppError};

pub async fn run_backup_command(
    app: App,
    global: &GlobalArgs,
    args: BackupArgs,
) -> Result<(), AppError> {
    let s = settings(&app, global)?;
    let mut out = Out::new();
    match args.command {
        None => {
            let options = BackupOptions {
                format: match args.format {
                    Some(FormatArg::Json) => Format::Json,
                    Some(FormatArg::Db) => Format::Db,
                    Some(FormatArg::Both) | None => Format::Both,
                },
                mode: if args.incremental {
                    Mode::Incremental
                } else if args.auto {
                    Mode::Auto
                } else {
                    Mode::Full
                },
                incremental_db: args.format == Some(FormatArg::Both),
                keep_days: args.retention.keep_days,
                keep_daily: args.retention.keep_daily,
                keep_weekly: args.retention.keep_weekly,
                keep_monthly: args.retention.keep_monthly,
                output_dir: args.output_dir,
                remote: if args.remote {
                    Some(true)
                } else if args.no_remote {
                    Some(false)
                } else {
                    None
                },
                targets: args.targets,
                compress: args.compress.then_some(true),
                progress: true,
                ..Default::default()
            };
            let report = run::run_backup_with(&app, &s, options)
                .await
                .map_err(to_app)?;
            let m = &report.manifest;
            match &m.incremental {
                Some(link) => say!(
                    out,
                    "Backup {} complete: incremental after {} ({} new events{}; its chain starts at the full set {}).",
                    m.name,
                    link.base,
                    m.event_count,
                    range(m),
                    link.full
                ),
                None => say!(
                    out,
                    "Backup {} complete: full ({} events, last position {}).",
                    m.name,
                    m.event_count,
                    m.last_position
                ),
            }
            if m.incremental.is_some() && m.event_count == 0 {
                say!(
                    out,
                    "  no event was recorded since {}: the incremental set holds none (it keeps the chain going)",
                    m.base().unwrap_or("-")
                );
            }
            if let Some(note) = &report.note {
                say!(out, "  full set: {note}");
            }
            for f in &report.manifest.files {
                say!(
                    out,
                    "  {}  {}  sha256 {}",
                    report.dir.join(&f.name).display(),
                    format_size(f.size),
                    f.sha256
                );
            }
            for t in &report.targets {
                say!(out, "  copied to {} ({})", t.target, t.location);
            }
            if !report.pruned_local.is_empty() {
                say!(
                    out,
                    "  retention removed {} local set(s)",
                    report.pruned_local.len()
                );
            }
            for (set, by) in &report.kept_for_chain {
                say!(
                    out,
                    "  retention kept {set}: the kept incremental set {by} needs it"
                );
            }
            if let Some(e) = &report.email_error {
                say!(out, "  warning: the email was not sent: {e}");
            }
            for w in &report.warnings {
                say!(out, "  warning: {w}");
            }
            Ok(())
        }
        Some(BackupCommand::List { output_dir, local }) => {
            let dir = output_dir.unwrap_or_else(|| s.output_dir.clone());
            say!(out, "Local ({}):", dir.display());
            print_sets(&mut out, &manifest::list_local(&dir).map_err(to_app)?)?;
            // A target that fails (or times out) is reported and the others still listed; the
            // command then ends in failure so scripts notice.
            let mut failed = Vec::new();
            if !local {
                for config in &s.targets {
                    let target = Target::open(config, s.remote_timeouts)
                        .await
                        .map_err(to_app)?;
                    say!(out, "Remote {} ({}):", target.name, target.location);
                    match target.manifests().await {
                        Ok(sets) => print_sets(&mut out, &sets)?,
                        Err(e) => {
                            say!(out, "  error: {e}");
                            failed.push(e.to_string());
                        }
                    }
                }
            }
            say!(out, "Last runs:");
            for r in super::runs::list(&app.db, 10).await.map_err(to_app)? {
                say!(
                    out,
                    "  {}  {:?}/{:?}  {:?}  {}{}",
                    r.started_at.format("%Y-%m-%d %H:%M:%S"),
                    r.kind,
                    r.trigger,
                    r.status,
                    r.name.as_deref().unwrap_or("-"),
                    r.error
                        .as_deref()
                        .map(|e| format!("  error: {e}"))
                        .unwrap_or_default()
                );
            }
            if failed.is_empty() {
                Ok(())
            } else {
                Err(AppError::Failed(format!(
                    "cannot list {} remote target(s): {}",
                    failed.len(),
                    failed.join("; ")
                )))
            }
        }
        Some(BackupCommand::Verify {
            source,
            from,
            output_dir,
        }) => {
            let report = super::verify::verify(&s, &source, from.as_deref(), output_dir.as_deref())
                .await
                .map_err(to_app)?;
            say!(
                out,
                "OK: {} restores {} events up to position {}{}.",
                report.file.display(),
                report.events,
                report.last_position,
                if report.checked_against_manifest {
                    ", matching its manifest"
                } else {
                    " (no manifest beside it)"
                }
            );
            if !report.chain.is_empty() {
                say!(
                    out,
                    "Incremental set: checked with its chain, as one log: {} → {source}.",
                    report.chain.join(" → ")
                );
            }
            if let Some(digest) = &report.chain_digest {
                say!(out, "Head of the chain of digests: {digest}.");
            }
            if !report.other_files.is_empty() {
                say!(
                    out,
                    "The set's other files match the manifest: {}.",
                    report.other_files.join(", ")
                );
            }
            Ok(())
        }
        Some(BackupCommand::Ship) => {
            let shipper = super::shipping::Shipper::open(&s)
                .await
                .map_err(to_app)?
                .ok_or_else(|| {
                    AppError::Usage(
                        "log shipping is off: it needs BACKUP_REMOTE_ENABLED=true, a BACKUP_REMOTE_DESTINATION \
                         and BACKUP_SHIP_INTERVAL_SECS other than 0"
                            .into(),
                    )
                })?;
            let Some(outcomes) = shipper.tick(&app.db).await.map_err(to_app)? else {
                say!(out, "Another server is shipping right now; nothing done.");
                return Ok(());
            };
            let mut failed = None;
            for (target, outcome) in outcomes {
                match outcome {
                    Ok(position) => say!(out, "{target}: shipped up to position {position}."),
                    Err(e) => {
                        say!(out, "{target}: shipping failed: {e}");
                        failed = Some(e);
                    }
                }
            }
            if let Some(e) = failed {
                return Err(to_app(e));
            }
            Ok(())
        }
        Some(BackupCommand::Prune {
            retention: r,
            dry_run,
            output_dir,
            local,
        }) => {
            let policy = policy(&r, &s);
            let dir = output_dir.unwrap_or_else(|| s.output_dir.clone());
            let verb = if dry_run { "would delete" } else { "deleted" };
            let gone = retention::prune_local(&dir, policy, dry_run, Utc::now()).map_err(to_app)?;
            say!(
                out,
                "Local {}: {verb} {} set(s)",
                dir.display(),
                gone.deleted.len()
            );
            print_pruned(&mut out, &gone)?;
            if !local {
                for config in &s.targets {
                    let target = Target::open(config, s.remote_timeouts)
                        .await
                        .map_err(to_app)?;
                    let gone = retention::prune_remote(&target, policy, dry_run, Utc::now())
                        .await
                        .map_err(to_app)?;
                    say!(
                        out,
                        "Remote {}: {verb} {} set(s)",
                        target.name,
                        gone.deleted.len()
                    );
                    print_pruned(&mut out, &gone)?;
                }
            }
            Ok(())
        }
    }
}

fn print_sets(out: &mut Out, sets: &[manifest::Manifest]) -> Result<(), AppError> {
    if sets.is_empty() {
        say!(out, "  (none)");
    }
    for m in sets {
        let files: Vec<String> = m
            .files
            .iter()
            .map(|f| format!("{} {}", f.name, format_size(f.size)))
            .collect();
        let kind = match &m.incremental {
            Some(link) => format!(
                "incremental after {} ({}, chain from {})",
                link.base,
                match range(m) {
                    r if r.is_empty() => "no new events".to_string(),
                    r => r.trim_start_matches(", ").to_string(),
                },
                link.full
            ),
            None => "full".to_string(),
        };
        say!(
            out,
            "  {}  {kind}  {} events  pos {}  {}  [{}]",
            m.name,
            m.event_count,
            m.last_position,
            m.engine,
            files.join(", ")
        );
    }
    Ok(())
}

/// `, positions a..b` of an incremental set's events (nothing when it holds none).
fn range(m: &manifest::Manifest) -> String {
    match m.incremental.as_ref().and_then(|i| i.first_position) {
        Some(first) => format!(", positions {first}..{}", m.last_position),
        None => String::new(),
    }
}

fn print_pruned(out: &mut Out, pruned: &retention::Pruned) -> Result<(), AppError> {
    for g in &pruned.deleted {
        say!(out, "  {g}");
    }
    for (set, by) in &pruned.kept_for_chain {
        say!(
            out,
            "  kept {set}: the kept incremental set {by} needs it (retention keeps every chain restorable)"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("arriendo").chain(args.iter().copied()))
    }

    #[test]
    fn one_kind_of_set_at_a_time() {
        let Ok(Cli {
            command: Command::Backup(args),
            ..
        }) = parse(&["backup", "--incremental"])
        else {
            panic!("backup --incremental parses");
        };
        assert!(args.incremental && args.format.is_none());
        assert!(parse(&["backup", "--incremental", "--full"]).is_err());
        assert!(parse(&["backup", "--auto", "--full"]).is_err());
        assert!(parse(&["backup", "--incremental", "--auto"]).is_err());
    }
}
