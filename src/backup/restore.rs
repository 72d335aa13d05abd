//! Restores: from a JSON event log into an empty store (positions, metadata and times kept, then the
//! read models rebuilt), up to a point in time with `until`; from a database file by an atomic swap.
//! A non-empty store is refused unless `force`, which first takes a safety backup. A damaged file is
//! refused and the current data stays untouched: every event is checked against the domain first
//! (see [`super::validate`]), then the events go in one transaction that only commits once the whole
//! file has been read again and proved complete.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::chain::{self, Pieces};
use super::error::{BackupError, Result};
use super::json::Limits;
use super::locate::{self, Located};
use super::manifest::FileKind;
use super::pipeline;
use super::run::{self, BackupOptions, Format};
use super::settings::BackupSettings;
use super::sqlite_file::{interrupt_runs_in_file, swap_sqlite_file};
use super::{dbfile, naming, segments};

pub use super::sqlite_file::check_sqlite_file;
use crate::store::{Db, event_log};
use crate::{App, audit};

#[derive(Clone, Debug, Default)]
pub struct RestoreOptions {
    /// A file path, a set name (`backup_YYYYMMDD_HHMMSS`) or a manifest.
    pub source: String,
    /// A remote target to fetch the set from.
    pub from: Option<String>,
    /// Point in time: the longest prefix of the log recorded at or before it.
    pub until: Option<DateTime<Utc>>,
    pub force: bool,
    /// Restore the database file of the set instead of its JSON.
    pub from_db_file: bool,
    /// Go on even when `until` keeps no event (the store ends up empty).
    pub allow_empty: bool,
    /// Where backups live (and safety backups go).
    pub output_dir: Option<PathBuf>,
    /// With `from`: add the segments shipped after the set (always so for the source `latest`).
    pub segments: bool,
}

/// The source that names the newest set (with `from`: plus every segment shipped after it).
pub const LATEST: &str = "latest";

#[derive(Clone, Debug, Serialize)]
pub struct RestoreReport {
    pub file: PathBuf,
    pub events: i64,
    pub last_position: i64,
    /// When the last event kept was recorded (JSON restores).
    pub last_recorded_at: Option<DateTime<Utc>>,
    pub safety_backup: Option<String>,
    /// For database-file restores: the application must be restarted.
    pub restart_needed: bool,
    /// The shipped segments broke after this position (one is missing): the restore stopped there.
    pub hole: Option<i64>,
}

/// The newest set in the local backup folder.
fn latest_local(settings: &BackupSettings, options: &RestoreOptions) -> Result<String> {
    let dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| settings.output_dir.clone());
    super::manifest::list_local(&dir)?
        .into_iter()
        .next()
        .map(|m| m.name)
        .ok_or_else(|| {
            BackupError::NotFound(format!("no complete backup set in {}", dir.display()))
        })
}

pub async fn restore(
    app: &App,
    settings: &BackupSettings,
    options: &RestoreOptions,
) -> Result<RestoreReport> {
    if let Some(target) = options.from.as_deref()
        && !options.from_db_file
        && (options.segments || options.source == LATEST)
    {
        let set = (options.source != LATEST).then_some(options.source.as_str());
        let pieces = chain::fetch(settings, target, set).await?;
        if pieces.manifest.is_none() && pieces.segments.is_empty() {
            return Err(BackupError::NotFound(format!(
                "neither a backup set nor shipped segments on target {target}"
            )));
        }
        let file = match &pieces.manifest {
            Some(m) => PathBuf::from(format!("{target}:{}", m.name)),
            None => PathBuf::from(format!("{target}:{}", segments::FOLDER)),
        };
        let mut report = restore_pieces(app, settings, options, &pieces, file).await?;
        if let Some(at) = pieces.hole {
            report.hole = Some(at);
        }
        return Ok(report);
    }
    let source = if options.source == LATEST {
        latest_local(settings, options)?
    } else {
        options.source.clone()
    };
    let options = &RestoreOptions {
        source,
        ..options.clone()
    };
    let prefer = if options.from_db_file {
        FileKind::Db
    } else {
        FileKind::Json
    };
    let located = locate::locate(
        settings,
        &options.source,
        options.from.as_deref(),
        options.output_dir.as_deref(),
        prefer,
    )
    .await?;
    if options.from_db_file && located.kind != FileKind::Db {
        // The set was taken with --format json: restoring its JSON instead would not be what was
        // asked (no atomic swap, no restart), so say so.
        return Err(BackupError::Config(format!(
            "{} has no database file (the set holds only the JSON event log): restore it without --db-file",
            options.source
        )));
    }
    match located.kind {
        FileKind::Json => restore_json(app, settings, options, &located).await,
        FileKind::Db => restore_db_file(app, settings, options, &located).await,
    }
}

async fn refuse_or_safety(
    app: &App,
    settings: &BackupSettings,
    options: &RestoreOptions,
    format: Format,
) -> Result<Option<String>> {
    let (events, _) = event_log::head(&app.db).await?;
    if events == 0 {
        return Ok(None);
    }
    if !options.force {
        return Err(BackupError::NotEmpty { events });
    }
    let dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| settings.output_dir.clone())
        .join("safety");
    tracing::warn!(events, dir = %dir.display(), "the store is not empty: taking a safety backup before --force");
    let report = run::run_backup_with(
        app,
        settings,
        BackupOptions {
            format,
            output_dir: Some(dir.clone()),
            remote: Some(false),
            skip_retention: true,
            quiet: true,
            ..Default::default()
        },
    )
    .await?;
    Ok(Some(
        dir.join(naming::manifest_name(&report.manifest.name))
            .display()
            .to_string(),
    ))
}

/// What a checking read of a JSON backup found (or a load wrote).
pub type Checked = chain::Summary;

/// Reads the whole JSON backup through the checking reader and writes nothing: every event decoded
/// and checked, the closing line matched. A restore does this before it touches the store.
pub async fn check_json(file: &Path, identity: Option<&Path>, limits: Limits) -> Result<Checked> {
    Ok(check_json_until(file, identity, limits, None).await?.0)
}

/// [`check_json`], and also what a restore `until` would keep: the longest prefix of events recorded
/// at or before it (the whole file without `until`).
pub async fn check_json_until(
    file: &Path,
    identity: Option<&Path>,
    limits: Limits,
    until: Option<DateTime<Utc>>,
) -> Result<(Checked, Checked)> {
    chain::check(&Pieces::file(file), identity, limits, until).await
}

/// Restores a JSON event log into `db` (restores, verify and drills) in one transaction, which only
/// commits once the reader has checked every event and reached the file's closing line; with
/// `replace` the current log is deleted in that same transaction. Any failure rolls all of it back.
/// The chain of digests is rewritten over the restored events in the same transaction, and the seals
/// of the replaced history that the new chain does not hold are dropped. Returns what was restored;
/// its `digest` is the restored chain's head.
pub async fn load_json(
    db: &Db,
    file: &Path,
    identity: Option<&Path>,
    limits: Limits,
    until: Option<DateTime<Utc>>,
    replace: bool,
) -> Result<Checked> {
    chain::load(db, &Pieces::file(file), identity, limits, until, replace).await
}

async fn restore_json(
    app: &App,
    settings: &BackupSettings,
    options: &RestoreOptions,
    located: &Located,
) -> Result<RestoreReport> {
    // An incremental set restores its whole chain: its full set and every incremental up to it.
    let (links, scratch) =
        super::links::of_located(settings, located, options.from.as_deref()).await?;
    let pieces = Pieces {
        manifest: located.manifest.clone(),
        links,
        segments: Vec::new(),
        hole: None,
        _scratch: scratch,
    };
    restore_pieces(app, settings, options, &pieces, located.file.clone()).await
}

/// Restores a set's JSON, and the segments after it when there are, into the store.
async fn restore_pieces(
    app: &App,
    settings: &BackupSettings,
    options: &RestoreOptions,
    pieces: &Pieces,
    file: PathBuf,
) -> Result<RestoreReport> {
    // Every event is checked before the safety backup and before the transaction: a damaged or
    // foreign file changes nothing, with or without --force. The load reads the pieces again through
    // the same checks, so a file changed in between still rolls back instead of committing.
    let identity = settings.encryption_identity_file.as_deref();
    let limits = settings.restore_limits;
    let (checked, kept) = chain::check(pieces, identity, limits, options.until).await?;
    tracing::info!(
        events = checked.events,
        last_position = checked.last_position,
        segments = pieces.segments.len(),
        "every event of the backup checked"
    );
    if let Some(until) = options.until
        && kept.events == 0
        && checked.events > 0
        && !options.allow_empty
    {
        // Before the safety backup and the transaction: with --force this would empty the store.
        return Err(BackupError::Config(format!(
            "--until {} (Bogotá) keeps no event: the first event of the backup is later; nothing restored. \
             Give a later time, or add --allow-empty to restore an empty log on purpose",
            super::until::in_bogota(until)
        )));
    }
    let safety = refuse_or_safety(app, settings, options, Format::Json).await?;
    let chain::Summary {
        events,
        last_position,
        last_recorded_at,
        digest,
    } = chain::load(
        &app.db,
        pieces,
        identity,
        limits,
        options.until,
        options.force,
    )
    .await?;
    // The set's own seal holds for the restored chain when the whole set (and nothing after it) was
    // restored.
    if let Some(m) = &pieces.manifest
        && let Some(chain) = &m.chain
        && chain.position == last_position
        && digest.as_deref() == Some(chain.digest.as_str())
    {
        let seal = audit::Seal {
            name: m.name.clone(),
            created_at: m.created_at,
            position: chain.position,
            event_count: m.event_count,
            digest: chain.digest.clone(),
        };
        audit::seals::record(&app.db, &seal).await?;
    }
    // The log was replaced: shipping starts again after what each destination holds.
    super::shipping::forget(&app.db).await?;
    tracing::info!(
        events,
        last_position,
        "events restored; rebuilding the read models"
    );
    app.projector.rebuild().await?;
    Ok(RestoreReport {
        file,
        events,
        last_position,
        last_recorded_at,
        safety_backup: safety,
        restart_needed: false,
        hole: None,
    })
}

async fn restore_db_file(
    app: &App,
    settings: &BackupSettings,
    options: &RestoreOptions,
    located: &Located,
) -> Result<RestoreReport> {
    if options.until.is_some() {
        return Err(BackupError::Config(
            "--until needs a JSON backup (the database file is one moment only)".into(),
        ));
    }
    let name = located
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let plain_name = name.strip_suffix(".age").unwrap_or(&name).to_string();
    let scratch =
        tempfile::tempdir().map_err(|e| BackupError::io("cannot create a scratch folder", e))?;
    let plain = scratch.path().join(&plain_name);
    {
        let (src, dst) = (located.file.clone(), plain.clone());
        let identity = settings.encryption_identity_file.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let mut reader = pipeline::open_content(&src, identity.as_deref())?;
            let mut out = std::fs::File::create(&dst)
                .map_err(|e| BackupError::io("cannot write scratch copy", e))?;
            std::io::copy(&mut reader, &mut out)
                .map_err(|e| BackupError::io("cannot decrypt the database file", e))?;
            out.sync_all()
                .map_err(|e| BackupError::io("cannot sync scratch copy", e))
        })
        .await
        .map_err(|e| BackupError::Failed(e.to_string()))??;
    }
    match (&app.db, plain_name.ends_with(".sqlite3")) {
        (Db::Sqlite(pool), true) => {
            let (events, last_position) = check_sqlite_file(&plain).await?;
            interrupt_runs_in_file(&plain).await?;
            let safety = refuse_or_safety(app, settings, options, Format::Both).await?;
            let current = pool.connect_options().get_filename().to_path_buf();
            app.db.close().await;
            swap_sqlite_file(&plain, &current)?;
            Ok(RestoreReport {
                file: located.file.clone(),
                events,
                last_position,
                last_recorded_at: None,
                safety_backup: safety,
                restart_needed: true,
                hole: None,
            })
        }
        (Db::Postgres(pool), false) => {
            dbfile::pg_list(settings, &plain).await?;
            let safety = refuse_or_safety(app, settings, options, Format::Both).await?;
            dbfile::pg_restore(pool, settings, &plain).await?;
            // The file was taken while its own backup was "running": that run is not running here.
            super::liveness::interrupt_all(&app.db).await?;
            let (events, last_position) = event_log::head(&app.db).await?;
            Ok(RestoreReport {
                file: located.file.clone(),
                events,
                last_position,
                last_recorded_at: None,
                safety_backup: safety,
                restart_needed: true,
                hole: None,
            })
        }
        _ => Err(BackupError::Config(format!(
            "{name} is a database file of the other engine; use the JSON backup to move between SQLite and PostgreSQL"
        ))),
    }
}
