//! The command line. Every subcommand takes the global options; `.env` is read before parsing so its
//! values act as environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "arriendo",
    version,
    about = "Gestión de contratos de arrendamiento comercial"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Debug, Args)]
pub struct GlobalArgs {
    /// Folder for the SQLite file, backups and local state.
    #[arg(
        long,
        global = true,
        env = "ARRIENDO_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Database URL; `postgres://…` selects PostgreSQL, otherwise the embedded SQLite file is used.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Log format.
    #[arg(long, global = true, env = "ARRIENDO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application.
    Serve(ServeArgs),
    /// Create or update the database schema.
    Migrate,
    /// Load the demo portfolio (only into a store with no contracts).
    Demo(DemoArgs),
    /// Read models: rebuild from the event log, show how far they are, retry quarantined events.
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// Back up the event log (JSON) and the database file; list, verify and prune backups.
    Backup(crate::backup::cli::BackupArgs),
    /// Restore from a backup (JSON or database file, local or remote).
    Restore(crate::backup::cli::RestoreArgs),
    /// Accounts: add, change a password, list.
    User {
        #[command(subcommand)]
        command: crate::auth::cli::UserCli,
    },
    /// A contract's terms and history as they stood: in force on a date, as recorded up to a moment.
    History(crate::audit::history::HistoryArgs),
    /// Tamper evidence: recompute the chain of event digests and check the backups' seals.
    Audit {
        #[command(subcommand)]
        command: crate::audit::cli::AuditCli,
    },
    /// Login lockouts: list, or lift.
    Lockout {
        #[command(subcommand)]
        command: crate::auth::cli::LockoutCli,
    },
    /// Import a company's data from another system into an empty store.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// From the SQLite database of the Django application Arriendo replaces (read-only).
    Django(DjangoArgs),
}

#[derive(Clone, Debug, Args)]
pub struct DjangoArgs {
    /// The Django database file (db.sqlite3); it is opened read-only.
    pub file: PathBuf,
    /// Plan and check everything and write only the report.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the report to this file: `.json` for JSON, anything else for HTML.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Compare both systems on this date (YYYY-MM-DD; today in Bogotá by default).
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// The role of an imported user, instead of is_superuser → administrador, others → gestor:
    /// `USERNAME=administrador|gestor|auditor` (repeatable).
    #[arg(long = "role", value_name = "USERNAME=ROLE")]
    pub roles: Vec<String>,
}

#[derive(Clone, Debug, Args)]
pub struct DemoArgs {
    /// Build a portfolio of this many contracts with the old system's shape (modality mix, ~2
    /// pólizas and ~1 Otro Sí a contract, monthly sales reports) instead of the 60-contract demo.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub contracts: Option<u32>,
    /// Seed of the generated portfolio: the same seed on the same day gives the same events.
    #[arg(long, default_value_t = 17, requires = "contracts")]
    pub seed: u64,
}

#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ARRIENDO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Load the demo portfolio when the store holds no contract yet.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Drop every read model and replay the whole event log.
    Rebuild,
    /// Show the projector's checkpoint against the head of the log, and the quarantined events.
    Status,
    /// Apply the quarantined events again (after a fix) and remove the ones that now apply.
    Retry,
}
