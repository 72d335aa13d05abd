//! One backup run: JSON and/or database file, manifest, remote copies, retention, record, email.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use super::error::{BackupError, Result};
use super::incremental::{self, Mode, Plan};
use super::json::Start;
use super::manifest::SetKind;
use super::manifest::{ChainSeal, FileKind, MANIFEST_FORMAT, Manifest, ManifestFile};
use super::pipeline::{self, FileWriter};
use super::retention::{self, Policy};
use super::runs::{self, RunKind, RunOutcome, TargetOutcome, Trigger};
use super::settings::BackupSettings;
use super::targets::Target;
use super::{dbfile, json, naming, notify};
use crate::App;
use crate::store::event_log;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Db,
    #[default]
    Both,
}

impl Format {
    fn json(self) -> bool {
        matches!(self, Format::Json | Format::Both)
    }
    fn db(self) -> bool {
        matches!(self, Format::Db | Format::Both)
    }
}

/// What one run should do; `None` fields take the settings' value.
#[derive(Clone, Debug, Default)]
pub struct BackupOptions {
    pub format: Format,
    pub keep_days: Option<u32>,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    pub output_dir: Option<PathBuf>,
    /// `Some(true)`: `--remote`, `Some(false)`: `--no-remote`, `None`: `BACKUP_REMOTE_ENABLED`.
    pub remote: Option<bool>,
    /// Only these targets (implies remote).
    pub targets: Vec<String>,
    pub compress: Option<bool>,
    pub trigger: Option<Trigger>,
    /// Skip retention (safety backups before a forced restore).
    pub skip_retention: bool,
    /// Skip the record and the email (safety backups, scratch stores).
    pub quiet: bool,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
    /// A full set, an incremental one, or as `BACKUP_FULL_EVERY_DAYS` says (see [`incremental`]).
    pub mode: Mode,
    /// An incremental set also holds a fresh database file (otherwise only the new events).
    pub incremental_db: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct BackupReport {
    pub run_id: Option<String>,
    pub manifest: Manifest,
    pub dir: PathBuf,
    pub targets: Vec<TargetOutcome>,
    pub pruned_local: Vec<String>,
    pub pruned_remote: Vec<(String, Vec<String>)>,
    /// Sets retention kept only because a kept incremental set needs them: `(set, needed by)`.
    pub kept_for_chain: Vec<(String, String)>,
    pub email_error: Option<String>,
    /// Settings that look unintended (remote destinations configured but remote copies off), and an
    /// incremental set asked for that could not be one.
    pub warnings: Vec<String>,
    /// Why the run wrote a full set when it could have written an incremental one.
    pub note: Option<String>,
}

impl BackupReport {
    pub fn path_of(&self, kind: FileKind) -> Option<PathBuf> {
        self.manifest.file(kind).map(|f| self.dir.join(&f.name))
    }
}

/// Runs a backup with the settings from the environment: what the web page's button calls.
pub async fn run_backup(app: &App, options: BackupOptions) -> Result<BackupReport> {
    let settings = app.backup_settings()?;
    run_backup_with(app, &settings, options).await
}

/// Runs a backup, records it and sends the email, whatever the outcome.
pub async fn run_backup_with(
    app: &App,
    settings: &BackupSettings,
    options: BackupOptions,
) -> Result<BackupReport> {
    let trigger = options.trigger.unwrap_or(Trigger::Manual);
    let started = if options.quiet {
        None
    } else {
        runs::start(&app.db, RunKind::Backup, trigger, None).await?
    };
    run_recorded(app, settings, options, started).await
}

/// Runs a backup whose start is recorded in `started`, records its end, then lets go of its lock.
pub(crate) async fn run_recorded(
    app: &App,
    settings: &BackupSettings,
    options: BackupOptions,
    started: Option<runs::Started>,
) -> Result<BackupReport> {
    let (run_id, lock) = match started {
        Some(runs::Started { id, lock }) => (Some(id), Some(lock)),
        None => (None, None),
    };
    let result = record(app, settings, options, run_id).await;
    if let Some(lock) = lock {
        lock.release().await;
    }
    result
}

async fn record(
    app: &App,
    settings: &BackupSettings,
    options: BackupOptions,
    run_id: Option<String>,
) -> Result<BackupReport> {
    let quiet = options.quiet;
    let result = execute(app, settings, &options).await;
    let mut outcome = match &result {
        Ok(report) => RunOutcome {
            name: Some(report.manifest.name.clone()),
            total_bytes: Some(report.manifest.total_size() as i64),
            event_count: Some(report.manifest.event_count),
            last_position: Some(report.manifest.last_position),
            files: report.manifest.files.clone(),
            targets: report.targets.clone(),
            error: report.targets.iter().find_map(|t| {
                t.error
                    .as_ref()
                    .map(|e| format!("remote copy to {} failed: {e}", t.target))
            }),
        },
        Err(e) => RunOutcome {
            error: Some(e.to_string()),
            ..Default::default()
        },
    };
    if let Err(e) = &result {
        tracing::error!(error = %e, "backup failed");
    }
    let mut email_error = None;
    if !quiet && let Some(id) = &run_id {
        runs::finish(&app.db, id, &outcome).await?;
        email_error = notify::send_for_run(app, settings, id).await;
    }
    let mut report = result?;
    report.run_id = run_id;
    report.email_error = email_error;
    if let Some(error) = outcome.error.take() {
        // The local set is complete, but a remote copy failed: the run failed.
        return Err(BackupError::Remote {
            target: "remote".into(),
            message: error,
        });
    }
    Ok(report)
}

async fn execute(
    app: &App,
    settings: &BackupSettings,
    options: &BackupOptions,
) -> Result<BackupReport> {
    let started = Instant::now();
    let dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| settings.output_dir.clone());
    std::fs::create_dir_all(&dir)
        .map_err(|e| BackupError::io(format!("cannot create {}", dir.display()), e))?;
    let _lock = super::folder::lock(&dir)?;
    // With the folder locked no other run writes here: partial files are leftovers of killed runs.
    retention::remove_stale_partials(&dir, std::time::SystemTime::now());

    // Remote targets are checked before anything is written: a missing configuration is an error.
    let remote = !options.targets.is_empty() || options.remote.unwrap_or(settings.remote_enabled);
    let mut warnings = Vec::new();
    if options.remote.is_none()
        && !remote
        && let Some(warning) = settings.remote_disabled_warning()
    {
        tracing::warn!("{warning}");
        warnings.push(warning);
    }
    let mut targets = Vec::new();
    if remote {
        if let Some(problem) = settings.target_errors.first() {
            return Err(BackupError::Config(format!(
                "remote copy requested but {problem}"
            )));
        }
        let configs = settings.selected_targets(&options.targets)?;
        if configs.is_empty() {
            return Err(BackupError::Config(
                "remote copy requested (--remote or BACKUP_REMOTE_ENABLED) but no destination is configured: set BACKUP_REMOTE_DESTINATION".into(),
            ));
        }
        for config in &configs {
            targets.push(Target::open(config, settings.remote_timeouts).await?);
        }
    }
    pipeline::parse_recipients(&settings.encryption_recipients)?;

    // Every event the set will hold gets its digest first, so the set seals the whole chain.
    if let Err(e) = crate::audit::seal(&app.db).await {
        tracing::error!(error = %e, "sealing the events before the backup failed");
    }
    if options.mode != Mode::Full && options.format == Format::Db {
        return Err(BackupError::Config(
            "an incremental set holds the new events (JSON): it cannot be --format db".into(),
        ));
    }
    let mut note = None;
    let (format, base) = match incremental::plan(
        &app.db,
        &dir,
        options.mode,
        settings.full_every_days,
        Utc::now(),
    )
    .await?
    {
        Plan::Incremental(base) => {
            let format = if options.incremental_db {
                Format::Both
            } else {
                Format::Json
            };
            tracing::info!(base = %base.manifest.name, full = %base.full, "writing an incremental set");
            (format, Some(base))
        }
        Plan::Full(why) => {
            if let Some(why) = &why {
                tracing::info!("{why}");
                if options.mode == Mode::Incremental {
                    warnings.push(why.clone());
                }
            }
            note = why;
            (options.format, None)
        }
    };
    let start = base.as_ref().map_or(Start::BEGINNING, |b| b.start);

    // Free disk: the JSON and the database file, with a margin.
    let mut needed = 16 * 1024 * 1024;
    if format.json() {
        needed += dbfile::estimated_json_size(&app.db).await?;
    }
    if format.db() {
        needed += dbfile::estimated_size(&app.db).await?
            * if !settings.encryption_recipients.is_empty() {
                2
            } else {
                1
            };
    }
    let available = fs4::available_space(&dir)
        .map_err(|e| BackupError::io("cannot read free disk space", e))?;
    if available < needed {
        return Err(BackupError::DiskFull {
            dir: dir.display().to_string(),
            needed,
            available,
        });
    }

    // A name no other set has.
    let mut now = Utc::now();
    let mut name = naming::set_name(now);
    while dir.join(naming::manifest_name(&name)).exists()
        || dir.join(naming::json_name(&name, false, false)).exists()
    {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        now = Utc::now();
        name = naming::set_name(now);
    }

    let compress = options.compress.unwrap_or(settings.compress);
    let recipients = settings.encryption_recipients.as_slice();
    let encrypted = !recipients.is_empty();
    let (count, head) = event_log::head(&app.db).await?;
    let mut chain = None;
    let mut files = Vec::new();
    let mut event_count = count;
    let mut last_position = head;

    // One set, one moment: the database file is taken first and the events it holds are read
    // from the snapshot itself; the JSON then stops at its last position. Both files hold the same
    // events however many commands commit meanwhile, and the manifest states each file's position.
    let mut db_file = None;
    if format.db() {
        let file_name = naming::db_name(&name, dbfile::extension(&app.db), encrypted);
        tracing::info!(file = %file_name, engine = %app.db.engine(), "writing the database file");
        let (written, held) =
            dbfile::write_set_file(&app.db, settings, &dir.join(&file_name), recipients).await?;
        event_count = held.count;
        last_position = held.last_position;
        db_file = Some(ManifestFile {
            name: file_name,
            kind: FileKind::Db,
            size: written.size,
            sha256: written.sha256,
            compressed: false,
            encrypted,
            event_count: Some(held.count),
            last_position: Some(held.last_position),
        });
    }

    if format.json() {
        let file_name = naming::json_name(&name, compress, encrypted);
        tracing::info!(file = %file_name, "writing the event log (JSON)");
        let bar = super::folder::progress_bar(options.progress, event_count.max(0) as u64);
        bar.set_message("JSON");
        let writer = FileWriter::create(
            &dir.join(naming::partial_name(&file_name)),
            &dir.join(&file_name),
            compress,
            recipients,
        )?;
        let upto = db_file.as_ref().and(Some(last_position));
        let (written, end) = json::write_log(&app.db, writer, &bar, upto, start).await?;
        bar.finish_and_clear();
        // An incremental set's JSON holds only the new events, its database file all of them.
        let differs = if base.is_some() {
            end.last_position != last_position
        } else {
            (end.count, end.last_position) != (event_count, last_position)
        };
        if db_file.is_some() && differs {
            return Err(BackupError::Failed(format!(
                "the JSON holds {} events up to position {}, the database file {event_count} up to \
                 {last_position}: the event log changed under the backup",
                end.count, end.last_position
            )));
        }
        event_count = end.count;
        last_position = end.last_position;
        // An incremental set with no new event still seals the head it continues from.
        chain = end
            .digest
            .filter(|_| end.last_position > 0)
            .map(|digest| ChainSeal {
                position: end.last_position,
                digest,
            });
        files.push(ManifestFile {
            name: file_name,
            kind: FileKind::Json,
            size: written.size,
            sha256: written.sha256,
            compressed: compress,
            encrypted,
            event_count: Some(end.count),
            last_position: Some(end.last_position),
        });
    }
    files.extend(db_file);

    if chain.is_none() && last_position > 0 {
        // A set without JSON: the chain's digest at the database file's last position.
        chain = crate::audit::seal::digest_at(&app.db, last_position)
            .await?
            .map(|digest| ChainSeal {
                position: last_position,
                digest,
            });
    } else if let Some(seal) = &chain
        && let Some(stored) = crate::audit::seal::digest_at(&app.db, seal.position).await?
        && stored != seal.digest
    {
        tracing::error!(
            position = seal.position,
            "the backup's chain of digests differs from the one sealed in the store: \
             the log was changed after it was sealed; run `arriendo audit verify`"
        );
    }

    let manifest = Manifest {
        manifest_format: MANIFEST_FORMAT,
        name: name.clone(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        engine: app.db.engine(),
        created_at: now,
        event_count,
        last_position,
        duration_ms: started.elapsed().as_millis() as u64,
        files,
        chain,
        kind: if base.is_some() {
            SetKind::Incremental
        } else {
            SetKind::Full
        },
        incremental: match &base {
            Some(b) => Some(incremental::increment(&app.db, b, last_position).await?),
            None => None,
        },
    };
    manifest.write(&dir)?;
    if !options.quiet
        && let Some(chain) = &manifest.chain
    {
        let seal = crate::audit::Seal {
            name: name.clone(),
            created_at: now,
            position: chain.position,
            event_count,
            digest: chain.digest.clone(),
        };
        if let Err(e) = crate::audit::seals::record(&app.db, &seal).await {
            tracing::error!(error = %e, "the backup's seal was not recorded");
        }
    }
    tracing::info!(name = %name, events = event_count, bytes = manifest.total_size(), "backup set complete");

    // Remote copies: the data files, then the manifest; then retention.
    let outcomes = super::copies::copy(&targets, &dir, &manifest).await;
    let mut retained = super::copies::Retained::default();
    if !options.skip_retention {
        let policy = Policy {
            keep_days: options.keep_days.unwrap_or(settings.keep_days),
            keep_daily: options.keep_daily,
            keep_weekly: options.keep_weekly,
            keep_monthly: options.keep_monthly,
        };
        retained = super::copies::prune(&dir, &targets, &outcomes, policy).await?;
    }
    let mut kept_for_chain = retained.local.kept_for_chain;
    for (_, pruned) in &retained.remote {
        for kept in &pruned.kept_for_chain {
            if !kept_for_chain.contains(kept) {
                kept_for_chain.push(kept.clone());
            }
        }
    }

    Ok(BackupReport {
        run_id: None,
        manifest,
        dir,
        targets: outcomes,
        pruned_local: retained.local.deleted,
        pruned_remote: retained
            .remote
            .into_iter()
            .map(|(target, pruned)| (target, pruned.deleted))
            .collect(),
        kept_for_chain,
        email_error: None,
        warnings,
        note,
    })
}
