//! `arriendo import django FILE.sqlite3`: moves a company in from the Django system it replaces.
//!
//! The source is read read-only and streamed a window of contracts at a time; every command is
//! decided in memory with the aggregates' pure `decide`, so every rule and bound of the app applies,
//! and the decided events go into one transaction on an empty store. Any row that cannot be
//! brought over is an error, and then the transaction is rolled back: nothing is written. The report says what came over, what changed, what did not,
//! and where the two systems disagree on the import date.

pub mod compare;
mod compare_polizas;
pub mod convert;
pub mod plan;
pub mod report;
pub mod source;
mod write;

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;

use arriendo_events::Role;

use crate::app::App;
use crate::auth::{password, users};
use crate::store::StoreError;
use plan::{NewUser, Planner};
use report::{Outcome, Report, UserLine};
use source::{Source, SourceError, SourceReader};

pub use write::business_events;

/// What the operator asked for.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub dry_run: bool,
    pub report: Option<PathBuf>,
    /// The date the two systems are compared on (today in Bogotá by default).
    pub as_of: NaiveDate,
    /// Roles chosen by the operator for some usernames (lower-case), over the default mapping.
    pub roles: Vec<(String, Role)>,
    /// Contracts planned and written at a time ([`WINDOW`] unless a test wants several windows).
    pub window: u32,
}

/// Why the import stopped; the report (when one was asked for) has the details.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(
        "the store already holds {0} business events: import only into an empty store (nothing was written)"
    )]
    NotEmpty(i64),
    #[error("{0} rows cannot be brought over (nothing was written); see the report")]
    Rejected(usize),
    #[error("writing failed and was rolled back, nothing was written: {0}")]
    Write(String),
    #[error("cannot write the report {path}: {reason}")]
    Report { path: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("accounts: {0}")]
    Auth(String),
}

/// The result of a run: the report, and the temporary passwords of the accounts created
/// (shown once by the caller, never written to the report).
pub struct Imported {
    pub report: Report,
    pub passwords: Vec<(String, String)>,
}

/// The accounts to create: active Django users whose username Arriendo accepts and does not
/// have yet. Passwords are generated only when the import really writes.
async fn plan_users(
    app: &App,
    src: &Source,
    report: &mut Report,
    real: bool,
    roles: &[(String, Role)],
) -> Result<(Vec<NewUser>, Vec<(String, String)>), ImportError> {
    let mut out = vec![];
    let mut passwords = vec![];
    let mut seen = HashSet::new();
    for row in src.rows("auth_user") {
        let raw = row.opt_text("username").unwrap_or_default();
        let username = match users::normalize_username(&raw) {
            Ok(u) => u,
            Err(e) => {
                report.skip(
                    row.table,
                    row.id,
                    &raw,
                    format!("nombre de usuario no válido en Arriendo: {e}"),
                );
                continue;
            }
        };
        if !row.flag("is_active").unwrap_or(false) {
            report.skip(
                row.table,
                row.id,
                &raw,
                "cuenta inactiva en el sistema anterior",
            );
            continue;
        }
        let exists = users::find(&app.db, &username)
            .await
            .map_err(|e| ImportError::Auth(e.to_string()))?;
        if exists.is_some() || !seen.insert(username.clone()) {
            report.skip(
                row.table,
                row.id,
                &raw,
                "ya existe una cuenta con ese nombre en Arriendo: se conserva la existente",
            );
            continue;
        }
        let chosen = roles.iter().find(|(u, _)| *u == username).map(|(_, r)| *r);
        let role = chosen.unwrap_or(if row.flag("is_superuser").unwrap_or(false) {
            Role::Administrador
        } else {
            Role::Gestor
        });
        let (hash, note) = if real {
            let temporary = password::generate(20);
            let hash = password::hash(temporary.clone())
                .await
                .map_err(|e| ImportError::Auth(e.to_string()))?;
            passwords.push((username.clone(), temporary));
            (
                hash,
                "contraseña temporal mostrada al importar; debe cambiarla al entrar",
            )
        } else {
            (
                String::new(),
                "ensayo: se creará con una contraseña temporal",
            )
        };
        report.users.push(UserLine {
            username: username.clone(),
            role: crate::auth::role_name(role).to_string(),
            note: note.to_string(),
        });
        out.push(NewUser {
            row_id: row.id,
            username,
            role,
            password_hash: hash,
        });
    }
    Ok((out, passwords))
}

fn save(report: &Report, path: Option<&PathBuf>) -> Result<(), ImportError> {
    if let Some(path) = path {
        report.write(path).map_err(|e| ImportError::Report {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(())
}

/// Contracts planned (and written) at a time: what a large source holds in memory of its contracts.
pub const WINDOW: u32 = 200;

/// Runs the import (or its rehearsal) and writes the report when asked.
///
/// The source streams: the small tables are read whole, then the contracts a window at a time
/// with every row that hangs from them. Each window's events go into one open transaction as soon
/// as they are decided, so memory does not grow with the source. The first row that cannot be
/// brought over stops the writing (planning goes on, so the report names every such row), and the
/// transaction is rolled back: all or nothing.
pub async fn run(app: &App, options: &ImportOptions) -> Result<Imported, ImportError> {
    let mut report = Report::new(&options.file, options.as_of);
    let existing = write::business_events(&app.db).await?;
    if existing > 0 && !options.dry_run {
        report.outcome = Outcome::StoreNotEmpty { events: existing };
        save(&report, options.report.as_ref())?;
        return Err(ImportError::NotEmpty(existing));
    }
    let started = std::time::Instant::now();
    let mut reader = SourceReader::open(&options.file).await?;
    let whole = reader.whole();
    let (new_users, passwords) =
        plan_users(app, &whole, &mut report, !options.dry_run, &options.roles).await?;
    let mut writer = match options.dry_run {
        true => None,
        false => Some(write::Writer::begin(&app.db).await?),
    };
    let mut planner = Planner::new(&whole, report, options.as_of);
    planner.before_contracts(&new_users);
    let mut events = 0;
    let mut batch = planner.take_events();
    loop {
        events += batch.len();
        let written = match (&mut writer, planner.report.errors.is_empty()) {
            (Some(w), true) => w.append(&batch).await,
            _ => Ok(()),
        };
        if let Err(e) = written {
            return write_failed(planner.finish().1, options, &e);
        }
        let Some(window) = reader.next_window(options.window.max(1)).await? else {
            break;
        };
        let mut on_window = planner.on(&window);
        on_window.contract_window();
        batch = on_window.take_events();
        planner = on_window.on(&whole);
    }
    planner.orphans(&reader.orphans().await?);
    let (digests, mut report) = planner.finish();
    tracing::info!(
        planned_ms = started.elapsed().as_millis(),
        events,
        "django source read and planned"
    );
    if !report.errors.is_empty() {
        report.outcome = Outcome::Rejected {
            errors: report.errors.len(),
        };
        save(&report, options.report.as_ref())?;
        return Err(ImportError::Rejected(report.errors.len()));
    }
    let Some(writer) = writer else {
        report.outcome = Outcome::DryRun { events };
        if existing > 0 {
            report.recovery = Some(format!(
                "El almacén ya tiene {existing} eventos de negocio: la importación real se negará; use un almacén vacío."
            ));
        }
        save(&report, options.report.as_ref())?;
        return Ok(Imported {
            report,
            passwords: vec![],
        });
    };
    if let Err(e) = writer.commit(&digests).await {
        return write_failed(report, options, &e);
    }
    report.outcome = Outcome::Imported { events };
    tracing::info!(
        written_ms = started.elapsed().as_millis(),
        "imported events written"
    );
    // The store held no business events: building the read models from zero (the rebuild
    // folds each contract once) is several times faster than applying event by event.
    app.projector.rebuild().await?;
    tracing::info!(
        projected_ms = started.elapsed().as_millis(),
        "read models up to date"
    );
    save(&report, options.report.as_ref())?;
    Ok(Imported { report, passwords })
}

/// The transaction was dropped unfinished, so the store is as it was.
fn write_failed(
    mut report: Report,
    options: &ImportOptions,
    e: &StoreError,
) -> Result<Imported, ImportError> {
    report.outcome = Outcome::WriteFailed {
        reason: e.to_string(),
    };
    report.recovery = Some("La transacción se deshizo: el almacén quedó como estaba (vacío). Corrija la causa (espacio en disco, conexión) y vuelva a ejecutar la importación.".into());
    save(&report, options.report.as_ref())?;
    Err(ImportError::Write(e.to_string()))
}
