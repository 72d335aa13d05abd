//! Respaldos (administradores): backup runs, start one now (in the background), download a file
//! of a complete set (only files the backups wrote: see `servable`), verify a set.

use arriendo_views::layout::Flash;
use arriendo_views::pages::respaldos::{
    self as views, Envio, EnvioDestino, Operacion, RespaldosPage, RunRow, SetFile, SetRow,
};
use axum::Form;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use futures::StreamExt;
use serde::Deserialize;
use tokio::io::AsyncReadExt;

use super::auth::local_time_seconds;
use super::page_error::{OrServerError, PageError, PageResult};
use super::respuestas::done;
use super::security::{Access, Ctx, RequireAdmin, Route};
use crate::app::App;
use crate::backup::manifest::{self, FileKind, Manifest, ManifestFile};
use crate::backup::runs::{self, BackupRun, RunKind, RunStatus, Trigger};
use crate::backup::{BackupOptions, BackupSettings};
use crate::backup::{naming, overview};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/respaldos", Access::Admin, page),
        Route::post("/respaldos", Access::Admin, start),
        Route::get("/respaldos/archivos/{name}", Access::Admin, download),
        Route::post("/respaldos/{name}/verificar", Access::Admin, verify),
    ]
}

fn run_row(run: &BackupRun) -> RunRow {
    let status = match run.status {
        RunStatus::Running => "running",
        RunStatus::Success => "success",
        RunStatus::Failed => "failed",
        RunStatus::Interrupted => "interrupted",
    };
    RunRow {
        started: local_time_seconds(&run.started_at.to_rfc3339()),
        kind: match run.kind {
            RunKind::Backup => "Respaldo",
            RunKind::Drill => "Simulacro de restauración",
        }
        .to_string(),
        trigger: match run.trigger {
            Trigger::Manual => "Manual (consola)",
            Trigger::Scheduled => "Programado",
            Trigger::Web => "Desde la web",
        }
        .to_string(),
        status: status.to_string(),
        name: run.name.clone(),
        size: run.total_bytes.map(size),
        events: run.event_count,
        duration: run.duration().map(|d| {
            let secs = d.num_seconds().max(0);
            if secs < 60 {
                format!("{secs} s")
            } else {
                format!("{} min {} s", secs / 60, secs % 60)
            }
        }),
        error: run.error.clone(),
    }
}

fn set_row(m: &Manifest) -> SetRow {
    SetRow {
        name: m.name.clone(),
        created: local_time_seconds(&m.created_at.to_rfc3339()),
        kind: match m.incremental {
            Some(_) => "Incremental",
            None => "Completo",
        }
        .to_string(),
        depends_on: m.incremental.as_ref().map(|i| {
            format!(
                "Continúa {} (eventos nuevos desde la posición {}); para restaurarlo se necesita \
                 la cadena desde el completo {}",
                i.base,
                i.after + 1,
                i.full
            )
        }),
        events: m.event_count,
        files: m
            .files
            .iter()
            .map(|f| SetFile {
                name: f.name.clone(),
                kind: match f.kind {
                    FileKind::Json => "JSON",
                    FileKind::Db => "Base de datos",
                }
                .to_string(),
                size: arriendo_events::format_size(f.size),
            })
            .collect(),
    }
}

/// A size in bytes as every page shows one (`arriendo_events::format_size`: `850 KB`, `1,5 MB`).
fn size(bytes: i64) -> String {
    arriendo_events::format_size(u64::try_from(bytes).unwrap_or(0))
}

/// Marks runs left "running" by a dead process, so they neither show as running nor block a new one.
async fn reap(app: &App) {
    if let Err(err) = crate::backup::liveness::reap(&app.db).await {
        tracing::error!(error = %err, "cannot check for dead backup runs");
    }
}

async fn page(State(app): State<App>, RequireAdmin(_): RequireAdmin, ctx: Ctx) -> PageResult {
    reap(&app).await;
    let list = runs::list(&app.db, 50).await.or_500(&ctx.page)?;
    let last_drill = runs::latest_of(&app.db, RunKind::Drill)
        .await
        .or_500(&ctx.page)?;
    let running = list
        .iter()
        .any(|r| r.kind == RunKind::Backup && r.status == RunStatus::Running);
    let rows: Vec<RunRow> = list.iter().map(run_row).collect();
    let (sets, output_dir, settings_error, settings_warning, ops) = match app.backup_settings() {
        Ok(settings) => {
            let sets = manifest::list_local(&settings.output_dir)
                .or_500(&ctx.page)?
                .iter()
                .map(set_row)
                .collect();
            let warning = settings.remote_disabled_warning().map(|_| {
                "Hay destinos externos configurados (BACKUP_REMOTE_DESTINATION) pero las copias \
                 externas están desactivadas (BACKUP_REMOTE_ENABLED): los respaldos quedan solo en \
                 este servidor."
            });
            let overview = overview::overview(&app.db, &settings, chrono::Utc::now()).await;
            (
                sets,
                settings.output_dir.display().to_string(),
                None,
                warning,
                Some(operacion(&overview, last_drill.as_ref())),
            )
        }
        Err(err) => (Vec::new(), String::new(), Some(err.to_string()), None, None),
    };
    Ok(views::respaldos_page(
        &ctx.page,
        &RespaldosPage {
            runs: &rows,
            sets: &sets,
            output_dir: &output_dir,
            running,
            settings_error: settings_error.as_deref(),
            settings_warning,
            ops: ops.as_ref(),
        },
    )
    .into_response())
}

/// The overview in words, times in the schedule's time zone.
fn operacion(o: &overview::Overview, last_drill: Option<&BackupRun>) -> Operacion {
    let at = |t: &chrono::DateTime<chrono_tz::Tz>| t.format("%d/%m/%Y %H:%M").to_string();
    Operacion {
        schedule: o.schedule.clone(),
        next_backup: o.next_backup.as_ref().map(at),
        drill_schedule: o.drill_schedule.clone(),
        next_drill: o.next_drill.as_ref().map(at),
        timezone: o.timezone.name().to_string(),
        retention: match o.keep_days {
            0 => "Sin límite: no se borra ningún respaldo".to_string(),
            1 => "1 día".to_string(),
            days => format!("{days} días"),
        },
        kinds: match o.full_every_days {
            0 => "Cada respaldo programado es completo (BACKUP_FULL_EVERY_DAYS=0)".to_string(),
            1 => "Un respaldo completo cada día".to_string(),
            days => format!(
                "Un respaldo completo cada {days} días; los demás días, incrementales (solo los \
                 eventos nuevos; para restaurar uno se usa su cadena desde el completo)"
            ),
        },
        destinations: o
            .destinations
            .iter()
            .map(|d| (d.name.clone(), d.location.clone()))
            .chain(
                o.destination_errors
                    .iter()
                    .map(|e| ("mal configurado".to_string(), e.clone())),
            )
            .collect(),
        remote_enabled: o.remote_enabled,
        encryption: match o.encryption_recipients {
            0 => None,
            1 => Some("age, 1 llave".to_string()),
            n => Some(format!("age, {n} llaves")),
        },
        last_drill: last_drill.map(run_row),
        same_disk: o.same_disk,
        shipping: o.ship_interval_secs.map(|secs| Envio {
            every: format!("cada {secs} s"),
            destinations: o
                .shipping
                .iter()
                .map(|lag| shipping_row(lag, secs))
                .collect(),
        }),
    }
}

/// How shipping stands for one destination: up to date, behind (by how long and how many events),
/// or failing. Behind by more than three intervals is a problem.
fn shipping_row(lag: &crate::backup::shipping::Lag, interval: u64) -> EnvioDestino {
    let state = match (&lag.error, lag.pending) {
        (Some(e), _) => format!(
            "falla el envío ({} eventos pendientes, el más antiguo de hace {} s): {e}",
            lag.pending, lag.seconds
        ),
        (None, 0) => "al día".to_string(),
        (None, n) => format!("retraso de {} s ({n} eventos por enviar)", lag.seconds),
    };
    EnvioDestino {
        name: lag.target.clone(),
        state,
        problem: lag.error.is_some() || lag.seconds > 3 * interval as i64,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartFields {
    accion: String,
}

/// Starts a backup in the background; the page shows it running, then its result.
async fn start(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(fields): Form<StartFields>,
) -> PageResult {
    if fields.accion != "respaldar" {
        return Ok(done(
            &ctx.session,
            Flash::error("Use el botón «Respaldar ahora» para iniciar un respaldo."),
            "/respaldos",
        )
        .await);
    }
    reap(&app).await;
    let latest = runs::latest(&app.db).await.or_500(&ctx.page)?;
    if latest.is_some_and(|run| run.status == RunStatus::Running) {
        return Ok(done(
            &ctx.session,
            Flash::aviso("Ya hay un respaldo en curso; espere a que termine."),
            "/respaldos",
        )
        .await);
    }
    tracing::info!(user = %user.username, "backup started from the web");
    let asked_at = chrono::Utc::now() - chrono::Duration::seconds(1);
    let background = app.clone();
    tokio::spawn(async move {
        let options = BackupOptions {
            trigger: Some(Trigger::Web),
            ..BackupOptions::default()
        };
        if let Err(err) = crate::backup::run_backup(&background, options).await {
            tracing::error!(error = %err, "backup started from the web failed");
        }
    });
    // Let the run record its start, so the next page lists it.
    for _ in 0..40 {
        if let Ok(Some(run)) = runs::latest(&app.db).await
            && run.trigger == Trigger::Web
            && run.started_at >= asked_at
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    Ok(done(
        &ctx.session,
        Flash::exito("Respaldo iniciado. Actualice la página para ver el resultado."),
        "/respaldos",
    )
    .await)
}

/// The name the backups code gives a file of `kind` in set `set` (with these flags): the only names
/// a download may have. A manifest is plain JSON anyone with write access to the folder could plant;
/// checking each listed name against the backups' own naming keeps `/etc/passwd`, `../arriendo.db`
/// or any other path out, whatever a manifest says.
fn written_by_backups(set: &str, file: &ManifestFile) -> bool {
    if naming::set_of_manifest(&naming::manifest_name(set)).is_none() {
        return false;
    }
    let expected = match file.kind {
        FileKind::Json => vec![naming::json_name(set, file.compressed, file.encrypted)],
        FileKind::Db => ["sqlite3", "pgdump"]
            .iter()
            .map(|ext| naming::db_name(set, ext, file.encrypted))
            .collect(),
    };
    expected.contains(&file.name)
}

/// A set's file that may be served: named as the backups name it, and in the output folder itself
/// as a plain file (a symlink, or a hard link to a file elsewhere such as the live database, is not
/// one the backups wrote). Returns its path.
fn servable(settings: &BackupSettings, name: &str) -> Option<std::path::PathBuf> {
    let sets = manifest::list_local(&settings.output_dir).ok()?;
    let listed = sets
        .iter()
        .find_map(|m| m.files.iter().find(|f| f.name == name).map(|f| (m, f)))?;
    let (set, file) = listed;
    if !written_by_backups(&set.name, file) {
        tracing::warn!(%name, set = %set.name, "download refused: not a name the backups write");
        return None;
    }
    let path = settings.output_dir.join(&file.name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_file() || meta.len() != file.size || linked_elsewhere(&meta) {
        tracing::warn!(%name, "download refused: not a plain file of the size the manifest lists");
        return None;
    }
    Some(path)
}

/// Whether the file has other names (a hard link planted in the folder).
#[cfg(unix)]
fn linked_elsewhere(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() != 1
}

#[cfg(not(unix))]
fn linked_elsewhere(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Serves a backup file in full. With `Accept-Encoding: gzip` (every browser), the compression layer
/// polled this stream again after its end, `unfold` panicked and the download was cut short. Now the
/// stream is fused and the response is not compressed at all (see `http::router`: the files are
/// binary or already gzip). The declared length is that of the file opened, read no further, so it
/// matches what is sent.
async fn download(
    State(app): State<App>,
    RequireAdmin(_): RequireAdmin,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    let settings = app.backup_settings().or_500(&ctx.page)?;
    let Some(path) = servable(&settings, &name) else {
        return Err(PageError::not_found(&ctx.page));
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(_) => return Err(PageError::not_found(&ctx.page)),
    };
    let size = match file.metadata().await {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => return Err(PageError::not_found(&ctx.page)),
    };
    // Fused: a layer that polls the body once more after its end gets `None` again instead of the
    // panic `unfold` raises then.
    let stream = futures::stream::unfold(Some(file.take(size)), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
    .fuse();
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

async fn verify(
    State(app): State<App>,
    RequireAdmin(_): RequireAdmin,
    ctx: Ctx,
    Path(name): Path<String>,
) -> PageResult {
    let settings = app.backup_settings().or_500(&ctx.page)?;
    let listed = manifest::list_local(&settings.output_dir)
        .map(|sets| sets.iter().any(|m| m.name == name))
        .unwrap_or(false);
    if !listed {
        return Ok(done(
            &ctx.session,
            Flash::error(format!("No hay un conjunto de respaldo llamado «{name}».")),
            "/respaldos",
        )
        .await);
    }
    let flash = match crate::backup::verify::verify(
        &settings,
        &name,
        None,
        Some(&settings.output_dir),
    )
    .await
    {
        Ok(report) => Flash::exito(format!(
            "El respaldo {name} está íntegro: se restauraron {} eventos hasta la posición {} en una base de prueba.",
            report.events, report.last_position
        )),
        Err(err) => Flash::error(format!("La verificación de {name} falló: {err}")),
    };
    Ok(done(&ctx.session, flash, "/respaldos").await)
}
