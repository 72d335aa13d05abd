//! The application core shared by the server and the CLI: the store, the projector and the commands.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;

use crate::cli::{Cli, Command, ProjectionsCommand};
use crate::commands::Commands;
use crate::projector::Projector;
use crate::store::{self, Db, StoreError};

/// Errors at the application's edge, each with the exit code the CLI returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// `audit verify` found the chain of event digests broken.
    #[error("{0}")]
    Tampered(String),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Usage(_) => 2,
            AppError::Store(StoreError::BadUrl { .. } | StoreError::Unreachable { .. }) => 3,
            AppError::Tampered(_) => 4,
            _ => 1,
        }
    }
}

/// Everything a request handler or a CLI command needs.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub projector: Projector,
    pub commands: Arc<Commands>,
    pub data_dir: PathBuf,
    /// Sessions, lockouts and cookies (from `ARRIENDO_*` variables; tests replace it).
    pub auth: crate::auth::AuthSettings,
    /// The last verification of the event chain, for the auditor's pages.
    pub chain: crate::audit::ChainCache,
    /// The dashboard's read-model parts while the read models stay the same.
    pub dashboard: crate::queries::dashboard::DashboardCache,
    /// Failed logins per client IP across usernames (in memory: see `auth::throttle`).
    pub login_throttle: crate::auth::throttle::IpThrottle,
    /// Where attachments and the logo are kept (see `documents`).
    pub documents: crate::documents::DocumentStore,
    /// Backup settings in force for the web pages and the button; `None` (the server) reads the
    /// `BACKUP_*` variables at each use. Tests set it to point at their folders and peers.
    pub backup_settings: Option<Arc<crate::backup::BackupSettings>>,
}

/// Today's calendar date where the company works (America/Bogota).
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Bogota)
        .date_naive()
}

impl App {
    /// Connects, migrates and brings the read models up to date (rebuilding them if their shape is
    /// another version's): for serving.
    pub async fn open(database_url: Option<&str>, data_dir: PathBuf) -> Result<Self, AppError> {
        let app = Self::open_store(database_url, data_dir).await?;
        // Read models written by another version of the code are rebuilt before anything reads them.
        app.projector.rebuild_if_stale().await?;
        app.projector.catch_up().await?;
        Ok(app)
    }

    /// Connects and migrates without touching the read models: maintenance commands must work
    /// whatever state the projector is in, since they are how an operator gets out of trouble.
    pub async fn open_store(
        database_url: Option<&str>,
        data_dir: PathBuf,
    ) -> Result<Self, AppError> {
        // Before the first command, so `/metrics` counts every event this process appends.
        crate::metrics::install();
        let db = store::connect(database_url, &data_dir).await?;
        store::migrate(&db).await?;
        let projector = Projector::new(db.clone());
        let auth = crate::auth::AuthSettings::from_env()?;
        let commands = Arc::new(Commands::new(&db));
        let documents = crate::documents::DocumentStore::from_env(&data_dir)
            .map_err(|e| AppError::Usage(e.to_string()))?;
        Ok(Self {
            db,
            projector,
            commands,
            data_dir,
            auth,
            chain: crate::audit::ChainCache::default(),
            dashboard: crate::queries::dashboard::DashboardCache::default(),
            login_throttle: crate::auth::throttle::IpThrottle::default(),
            documents,
            backup_settings: None,
        })
    }

    /// The backup settings in force: [`App::backup_settings`] when set, else the environment's.
    pub fn backup_settings(
        &self,
    ) -> Result<crate::backup::BackupSettings, crate::backup::BackupError> {
        match &self.backup_settings {
            Some(settings) => Ok(settings.as_ref().clone()),
            None => crate::backup::BackupSettings::from_env(&self.data_dir),
        }
    }
}

pub async fn run(cli: Cli) -> Result<(), AppError> {
    let global = cli.global;
    let url = global.database_url.as_deref();
    let app = match cli.command {
        Command::Serve(_) | Command::Demo(_) | Command::Import { .. } => {
            App::open(url, global.data_dir.clone()).await?
        }
        _ => App::open_store(url, global.data_dir.clone()).await?,
    };
    match cli.command {
        Command::Serve(args) => {
            if args.demo {
                load_demo_if_empty(&app).await?;
            }
            if let Some((user, password)) = crate::auth::ensure_initial_admin(&app).await? {
                println!(
                    "Primer inicio: se creó el administrador «{user}» con la contraseña «{password}». \
                     Se muestra solo esta vez: cámbiela al entrar."
                );
            }
            let sessions = crate::auth::spawn_session_cleanup(&app, Duration::from_secs(600));
            let server = crate::startup::Server::bind(app.clone(), args.bind).await?;
            tracing::info!(address = %server.address(), engine = %app.db.engine(), "Arriendo listening");
            println!("Arriendo escuchando en http://{}", server.address());
            let background = app.projector.spawn_background(Duration::from_secs(2));
            let mut backups = crate::backup::schedule::spawn_from_env(
                app.clone(),
                global.database_url.as_deref(),
            )
            .await
            .map_err(crate::backup::cli::to_app)?;
            // The alert digests tick in the same scheduler, over the backups' SMTP server.
            let mailer = crate::digest::mailer::Mailer::from_env()
                .map_err(|e| AppError::Usage(e.to_string()))?;
            crate::digest::schedule::add(&backups, app.clone(), mailer)
                .await
                .map_err(|e| AppError::Failed(e.to_string()))?;
            // Returns once a signal came and the requests in flight have finished.
            let served = server.run().await;
            // Then the background work stops: no new projection pass, session sweep or scheduled
            // job starts. A backup running right now is cut off; the next start marks it
            // interrupted (`backup::liveness`).
            background.abort();
            sessions.abort();
            if let Err(err) = backups.shutdown().await {
                tracing::error!(error = %err, "cannot stop the backup scheduler");
            }
            app.db.close().await;
            tracing::info!("shutdown complete");
            println!("Arriendo detenido.");
            served
        }
        Command::Migrate => {
            println!("Migrations applied ({} engine).", app.db.engine());
            Ok(())
        }
        Command::Demo(crate::cli::DemoArgs {
            contracts: Some(contracts),
            seed,
        }) => load_portfolio_if_empty(&app, contracts as usize, seed).await,
        Command::Demo(_) => {
            let summary = load_demo_if_empty(&app).await?;
            match summary {
                Some(s) => println!(
                    "Demo portfolio loaded: {} terceros, {} locales, {} contratos.",
                    s.terceros, s.locales, s.contratos
                ),
                None => println!("The store already holds contracts; the demo was not loaded."),
            }
            Ok(())
        }
        Command::User { command } => crate::auth::cli::run_user(&app, command).await,
        Command::Lockout { command } => crate::auth::cli::run_lockout(&app, command).await,
        Command::Audit { command } => crate::audit::cli::run(&app, command).await,
        Command::History(args) => crate::audit::history::run(&app, args).await,
        Command::Import {
            command: crate::cli::ImportCommand::Django(args),
        } => run_import(&app, args).await,
        Command::Backup(args) => crate::backup::cli::run_backup_command(app, &global, args).await,
        Command::Restore(args) => crate::backup::cli::run_restore_command(app, &global, args).await,
        Command::Projections { command } => match command {
            ProjectionsCommand::Rebuild => {
                let applied = app.projector.rebuild().await?;
                println!("Read models rebuilt from {applied} events.");
                Ok(())
            }
            ProjectionsCommand::Status => {
                let status = app.projector.status().await?;
                println!(
                    "events: {}\nhead position: {}\ncheckpoint: {}\nlag: {}\nquarantined: {}",
                    status.events,
                    status.head,
                    status.checkpoint,
                    status.lag(),
                    status.quarantined
                );
                Ok(())
            }
            ProjectionsCommand::Retry => {
                let outcome = app.projector.retry().await?;
                println!(
                    "Quarantined events applied: {}\nstill quarantined: {}",
                    outcome.applied, outcome.remaining
                );
                Ok(())
            }
        },
    }
}

/// `arriendo import django`: prints the summary and the temporary passwords (once).
async fn run_import(app: &App, args: crate::cli::DjangoArgs) -> Result<(), AppError> {
    let mut roles = Vec::new();
    for spec in &args.roles {
        let parsed = spec.split_once('=').and_then(|(user, role)| {
            Some((
                user.trim().to_lowercase(),
                crate::auth::parse_role(role.trim())?,
            ))
        });
        match parsed {
            Some(pair) => roles.push(pair),
            None => {
                return Err(AppError::Usage(format!(
                    "--role {spec:?}: expected USERNAME=administrador|gestor|auditor"
                )));
            }
        }
    }
    let options = crate::import::ImportOptions {
        file: args.file,
        dry_run: args.dry_run,
        report: args.report,
        as_of: args.as_of.unwrap_or_else(today),
        roles,
        window: crate::import::WINDOW,
    };
    match crate::import::run(app, &options).await {
        Ok(done) => {
            println!("{}", done.report.summary());
            for (user, password) in &done.passwords {
                println!(
                    "Usuario «{user}»: contraseña temporal «{password}» (se muestra solo esta vez)."
                );
            }
            Ok(())
        }
        Err(e) => Err(AppError::Failed(e.to_string())),
    }
}

/// Whether the store already holds a contract (one indexed probe, not a count).
async fn holds_contracts(app: &App) -> Result<bool, AppError> {
    let found: Option<i64> = crate::on_pool!(&app.db, pool => {
        sqlx::query_scalar("SELECT 1 FROM events WHERE aggregate_type = 'contrato' LIMIT 1")
            .fetch_optional(pool)
            .await
            .map_err(crate::store::StoreError::from)?
    });
    Ok(found.is_some())
}

/// `arriendo demo --contracts N`: the portfolio at scale, with a progress bar and its throughput.
async fn load_portfolio_if_empty(app: &App, contracts: usize, seed: u64) -> Result<(), AppError> {
    if holds_contracts(app).await? {
        println!("The store already holds contracts; the portfolio was not loaded.");
        return Ok(());
    }
    let summary = crate::demo::load_portfolio(app, today(), contracts, seed, true)
        .await
        .map_err(|e| AppError::Failed(e.to_string()))?;
    let started = std::time::Instant::now();
    app.projector.catch_up().await?;
    println!(
        "Portfolio loaded (seed {seed}): {} contratos, {} terceros, {} locales, {} events in {:.1} s \
         ({:.0} events/s, {:.1} contracts/s); read models projected afterwards in {:.1} s.",
        summary.contracts,
        summary.terceros,
        summary.locales,
        summary.events,
        summary.elapsed.as_secs_f64(),
        summary.events_per_second(),
        summary.contracts_per_second(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Loads the demo portfolio unless the store already holds a contract.
async fn load_demo_if_empty(app: &App) -> Result<Option<crate::demo::DemoSummary>, AppError> {
    if holds_contracts(app).await? {
        return Ok(None);
    }
    let summary = crate::demo::load(app, today())
        .await
        .map_err(|e| AppError::Failed(e.to_string()))?;
    app.projector.catch_up().await?;
    Ok(Some(summary))
}
