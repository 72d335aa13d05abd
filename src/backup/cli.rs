//! `arriendo backup …` and `arriendo restore …`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::error::BackupError;
use super::restore::{self, RestoreOptions};
use super::retention::Policy;
use super::settings::{BackupSettings, Secret};
use crate::cli::GlobalArgs;

pub use super::cli_backup::run_backup_command;
use crate::{App, AppError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Json,
    #[value(alias = "sqlite")]
    Db,
    Both,
}

#[derive(Clone, Debug, Args)]
pub struct RetentionArgs {
    /// Delete backup sets older than this many days (0 keeps everything) [default: BACKUP_KEEP_DAYS or 30].
    #[arg(long)]
    pub keep_days: Option<u32>,
    /// Also keep the newest set of each of the last N days.
    #[arg(long, default_value_t = 0)]
    pub keep_daily: u32,
    /// Also keep the newest set of each of the last N weeks.
    #[arg(long, default_value_t = 0)]
    pub keep_weekly: u32,
    /// Also keep the newest set of each of the last N months.
    #[arg(long, default_value_t = 0)]
    pub keep_monthly: u32,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,
    /// What to write: the event log (json), the database file (db, alias sqlite) or both [default:
    /// both; an incremental set holds the new events, and a fresh database file only with
    /// `--format both`].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write an incremental set: only the events recorded since the newest set in the folder (it
    /// continues that set's chain). With nothing to continue, a full set is written and said so.
    #[arg(long, conflicts_with_all = ["full", "auto"])]
    pub incremental: bool,
    /// Write a full set: the whole event log (the default).
    #[arg(long, conflicts_with = "auto")]
    pub full: bool,
    /// What the schedule does: a full set when the newest chain's full set is BACKUP_FULL_EVERY_DAYS
    /// days old (7), an incremental set otherwise.
    #[arg(long)]
    pub auto: bool,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Folder for the backups [default: BACKUP_OUTPUT_DIR or DATA_DIR/backups].
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// Copy to the remote targets (BACKUP_REMOTE_DESTINATION) whatever BACKUP_REMOTE_ENABLED says.
    #[arg(long, conflicts_with = "no_remote")]
    pub remote: bool,
    /// Do not copy to remote targets.
    #[arg(long)]
    pub no_remote: bool,
    /// Only this remote target (repeatable; implies --remote).
    #[arg(long = "target")]
    pub targets: Vec<String>,
    /// gzip the JSON (.json.gz).
    #[arg(long)]
    pub compress: bool,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Show backup sets (local and remote) and the last runs.
    List {
        /// Folder of the backups.
        #[arg(long)]
        output_dir: Option<PathBuf>,
        /// Only the local folder.
        #[arg(long)]
        local: bool,
    },
    /// Check a backup: checksums, then a full restore into a scratch store.
    Verify {
        /// File, manifest or set name (backup_YYYYMMDD_HHMMSS).
        source: String,
        /// Remote target to fetch it from.
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        output_dir: Option<PathBuf>,
    },
    /// Ship the events not yet shipped to every remote destination now, as `serve` does every
    /// BACKUP_SHIP_INTERVAL_SECS (before a planned stop, or from cron on a server without `serve`).
    Ship,
    /// Apply the retention policy (local folder and remote targets).
    Prune {
        #[command(flatten)]
        retention: RetentionArgs,
        /// Show what would be deleted, delete nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        output_dir: Option<PathBuf>,
        /// Local folder only.
        #[arg(long)]
        local: bool,
    },
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// File, manifest or set name (backup_YYYYMMDD_HHMMSS), or `latest`: the newest set (with
    /// --from, plus every segment shipped after it).
    pub source: String,
    /// Remote target to fetch the set from (s3, sftp, local_copy, …).
    #[arg(long)]
    pub from: Option<String>,
    /// Restore the log as it was at this time: YYYY-MM-DD HH:MM[:SS] in Bogotá time (as the
    /// application shows it), or with an explicit offset (2025-01-27T14:30:00-05:00, …Z).
    #[arg(long)]
    pub until: Option<String>,
    /// With --until: go on even if no event is that old (the store ends up empty).
    #[arg(long, requires = "until")]
    pub allow_empty: bool,
    /// Replace a non-empty store (a safety backup is taken first).
    #[arg(long)]
    pub force: bool,
    /// Restore the set's database file instead of its JSON (same engine only).
    #[arg(long)]
    pub db_file: bool,
    /// With --from: add the segments shipped after the set (always so for the source `latest`).
    #[arg(long, requires = "from")]
    pub segments: bool,
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
}

/// Standard output that a closed pipe (`arriendo backup prune | head`) silences instead of a panic:
/// the command still does all its work and ends with its usual exit code.
pub struct Out {
    closed: bool,
}

impl Out {
    pub fn new() -> Self {
        Self { closed: false }
    }

    pub fn line(&mut self, args: std::fmt::Arguments<'_>) -> Result<(), AppError> {
        use std::io::Write;
        if self.closed {
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_fmt(args)
            .and_then(|()| stdout.write_all(b"\n"))
        {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(AppError::Failed(format!("cannot write to stdout: {e}"))),
        }
    }
}

impl Default for Out {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        $out.line(format_args!($($arg)*))?
    };
}
pub(super) use say;

pub fn to_app(e: BackupError) -> AppError {
    if e.is_usage() {
        AppError::Usage(e.to_string())
    } else {
        AppError::Failed(e.to_string())
    }
}

pub(super) fn settings(app: &App, global: &GlobalArgs) -> Result<BackupSettings, AppError> {
    let mut s = BackupSettings::from_env(&app.data_dir).map_err(to_app)?;
    if let Some(url) = &global.database_url {
        s.database_url = Some(Secret::new(url.clone()));
    }
    Ok(s)
}

pub(super) fn policy(r: &RetentionArgs, s: &BackupSettings) -> Policy {
    Policy {
        keep_days: r.keep_days.unwrap_or(s.keep_days),
        keep_daily: r.keep_daily,
        keep_weekly: r.keep_weekly,
        keep_monthly: r.keep_monthly,
    }
}

pub use super::until::parse_until;

pub async fn run_restore_command(
    app: App,
    global: &GlobalArgs,
    args: RestoreArgs,
) -> Result<(), AppError> {
    let s = settings(&app, global)?;
    let mut out = Out::new();
    let options = RestoreOptions {
        source: args.source,
        from: args.from,
        until: args
            .until
            .as_deref()
            .map(parse_until)
            .transpose()
            .map_err(to_app)?,
        force: args.force,
        from_db_file: args.db_file,
        allow_empty: args.allow_empty,
        output_dir: args.output_dir,
        segments: args.segments,
    };
    let options_had_until = options.until.is_some();
    let report = restore::restore(&app, &s, &options).await.map_err(to_app)?;
    if let Some(safety) = &report.safety_backup {
        say!(out, "Safety backup of the previous data: {safety}");
    }
    say!(
        out,
        "Restored {} events (last position {}) from {}.",
        report.events,
        report.last_position,
        report.file.display()
    );
    if let Some(at) = report.last_recorded_at {
        say!(
            out,
            "Last event kept: position {}, recorded {} (Bogotá).",
            report.last_position,
            super::until::in_bogota(at)
        );
    } else if options_had_until {
        say!(
            out,
            "No event kept (--allow-empty): the event log is empty."
        );
    }
    if let Some(at) = report.hole {
        say!(
            out,
            "Warning: a shipped segment after position {at} is missing on the destination: the restore stops there."
        );
    }
    if report.restart_needed {
        say!(
            out,
            "The database file was replaced: restart the application."
        );
    }
    Ok(())
}
