//! Respaldos (administradores): the backup runs, a button to back up now, the complete sets in
//! the output folder with their files to download, and a button to verify a set.

use maud::{Markup, html};

use crate::components::{
    Column, Tone, badge, card, csrf_field, empty_state, page_header, post_button, table_head,
    table_wrap,
};
use crate::layout::{PageContext, page_with_head};

/// One backup run or restore drill, already in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunRow {
    /// `31/12/2025 02:00` (Bogotá).
    pub started: String,
    /// `Respaldo` or `Simulacro de restauración`.
    pub kind: String,
    /// `Programado`, `Manual`, `Desde la web`.
    pub trigger: String,
    /// `running` | `success` | `failed` | `interrupted`.
    pub status: String,
    pub name: Option<String>,
    pub size: Option<String>,
    pub events: Option<i64>,
    pub duration: Option<String>,
    pub error: Option<String>,
}

/// One file of a complete set in the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetFile {
    pub name: String,
    /// `JSON` or `Base de datos`.
    pub kind: String,
    pub size: String,
}

/// A complete set (its manifest was written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetRow {
    pub name: String,
    pub created: String,
    /// `Completo` or `Incremental`.
    pub kind: String,
    /// What an incremental set needs to be restored: the set it continues and its chain's full set.
    pub depends_on: Option<String>,
    pub events: i64,
    pub files: Vec<SetFile>,
}

/// How backups run, in words (see `backup::overview`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operacion {
    /// The cron expression and its time zone.
    pub schedule: String,
    /// `02/12/2026 02:00` in the schedule's time zone.
    pub next_backup: Option<String>,
    pub drill_schedule: String,
    pub next_drill: Option<String>,
    pub timezone: String,
    /// `30 días`, or that nothing is deleted.
    pub retention: String,
    /// Which kind of set the schedule writes (full every N days, incrementals between).
    pub kinds: String,
    /// Name and where (never a credential).
    pub destinations: Vec<(String, String)>,
    pub remote_enabled: bool,
    /// `None`: the files are not encrypted; else how (`age, 2 llaves`).
    pub encryption: Option<String>,
    /// The newest restore drill.
    pub last_drill: Option<RunRow>,
    /// Every copy is on the database's disk.
    pub same_disk: bool,
    /// Continuous shipping of new events: `None` when off.
    pub shipping: Option<Envio>,
}

/// Continuous shipping: how often, and how each destination stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envio {
    /// `cada 10 s`.
    pub every: String,
    pub destinations: Vec<EnvioDestino>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvioDestino {
    pub name: String,
    /// `al día`, `retraso de 35 s (12 eventos por enviar)`, or the failure.
    pub state: String,
    /// Failing, or behind by more than three intervals.
    pub problem: bool,
}

pub struct RespaldosPage<'a> {
    pub runs: &'a [RunRow],
    pub sets: &'a [SetRow],
    /// The output folder, for the administrador's information.
    pub output_dir: &'a str,
    /// A backup started from here is still running.
    pub running: bool,
    /// Settings could not be read (shown instead of the button).
    pub settings_error: Option<&'a str>,
    /// Something in the settings the administrador should know (remote destinations configured but
    /// remote copies off).
    pub settings_warning: Option<&'a str>,
    /// How backups run; `None` when the settings could not be read.
    pub ops: Option<&'a Operacion>,
}

/// Seconds between reloads of the page while a backup runs.
pub const REFRESH_SECS: u32 = 5;

fn status_badge(status: &str) -> Markup {
    match status {
        "success" => badge(Tone::Ok, "Exitoso"),
        "failed" => badge(Tone::Danger, "Fallido"),
        "running" => badge(Tone::Warning, "En curso"),
        "interrupted" => badge(Tone::Danger, "Interrumpido"),
        other => badge(Tone::Neutral, other),
    }
}

fn runs_table(runs: &[RunRow]) -> Markup {
    let cols = [
        Column::new("Inicio"),
        Column::new("Tipo"),
        Column::new("Origen"),
        Column::new("Estado"),
        Column::new("Conjunto"),
        Column::new("Eventos").numeric(),
        Column::new("Tamaño").numeric(),
        Column::new("Duración"),
    ];
    html! {
        @if runs.is_empty() {
            (empty_state("Todavía no se ha hecho ningún respaldo."))
        } @else {
            (table_wrap("Ejecuciones de respaldo", table_head(&cols, None, ""), html! {
                tbody {
                    @for r in runs {
                        tr {
                            th scope="row" class="nowrap" { (r.started) }
                            td { (r.kind) }
                            td { (r.trigger) }
                            td {
                                (status_badge(&r.status))
                                @if let Some(e) = &r.error { br; span.small.tone-danger { (e) } }
                            }
                            td { @if let Some(n) = &r.name { (n) } @else { span.muted { "—" } } }
                            td.num { @if let Some(n) = r.events { (crate::format::thousands(n.unsigned_abs())) } @else { span.muted { "—" } } }
                            td.num.nowrap { @if let Some(s) = &r.size { (s) } @else { span.muted { "—" } } }
                            td.nowrap { @if let Some(d) = &r.duration { (d) } @else { span.muted { "—" } } }
                        }
                    }
                }
            }))
        }
    }
}

fn sets_table(ctx: &PageContext, sets: &[SetRow]) -> Markup {
    let cols = [
        Column::new("Conjunto"),
        Column::new("Creado"),
        Column::new("Tipo"),
        Column::new("Eventos").numeric(),
        Column::new("Archivos"),
        Column::new("Verificar"),
    ];
    html! {
        @if sets.is_empty() {
            (empty_state("No hay conjuntos completos en la carpeta de respaldos."))
        } @else {
            (table_wrap("Conjuntos de respaldo", table_head(&cols, None, ""), html! {
                tbody {
                    @for s in sets {
                        tr {
                            th scope="row" { (s.name) }
                            td.nowrap { (s.created) }
                            td {
                                (s.kind)
                                @if let Some(d) = &s.depends_on { br; span.muted.small { (d) } }
                            }
                            td.num { (crate::format::thousands(s.events.unsigned_abs())) }
                            td {
                                ul.stack {
                                    @for f in &s.files {
                                        li {
                                            a href={ "/respaldos/archivos/" (f.name) } download { (f.name) }
                                            " " span.muted.small { (f.kind) " · " (f.size) }
                                        }
                                    }
                                }
                            }
                            td { (post_button(&format!("/respaldos/{}/verificar", s.name), &ctx.csrf_token, "Verificar", "btn-secondary btn-small", None)) }
                        }
                    }
                }
            }))
        }
    }
}

fn ops_section(o: &Operacion) -> Markup {
    html! {
        dl.details {
            dt { "Respaldo programado" }
            dd {
                code { (o.schedule) } " (" (o.timezone) ")"
                @if let Some(next) = &o.next_backup { br; "Próximo respaldo: " strong { (next) } }
            }
            dt { "Simulacro de restauración" }
            dd {
                code { (o.drill_schedule) }
                @if let Some(next) = &o.next_drill { br; "Próximo simulacro: " strong { (next) } }
            }
            dt { "Último simulacro" }
            dd {
                @match &o.last_drill {
                    Some(d) => {
                        (status_badge(&d.status)) " " (d.started)
                        @if let Some(n) = &d.name { " · " (n) }
                        @if let Some(e) = &d.error { br; span.small.tone-danger { (e) } }
                    }
                    None => { span.muted { "Todavía no se ha hecho ningún simulacro." } }
                }
            }
            dt { "Retención" }
            dd { (o.retention) }
            dt { "Completos e incrementales" }
            dd { (o.kinds) }
            dt { "Destinos externos" }
            dd {
                @if o.destinations.is_empty() {
                    span.muted { "Ninguno: los respaldos quedan solo en este servidor." }
                } @else {
                    ul.stack {
                        @for (name, location) in &o.destinations {
                            li { strong { (name) } " " span.muted.small { (location) } }
                        }
                    }
                    @if o.remote_enabled { (badge(Tone::Ok, "Copias externas activadas")) }
                    @else { (badge(Tone::Warning, "Copias externas desactivadas")) }
                }
            }
            dt { "Envío continuo" }
            dd {
                @match &o.shipping {
                    Some(envio) => {
                        "Los eventos nuevos salen a los destinos externos " (envio.every) "."
                        ul.stack {
                            @for d in &envio.destinations {
                                li {
                                    strong { (d.name) } " "
                                    @if d.problem { span.small.tone-danger { (d.state) } }
                                    @else { span.muted.small { (d.state) } }
                                }
                            }
                        }
                    }
                    None => {
                        span.muted { "Desactivado: entre un respaldo y el siguiente, los eventos nuevos solo están en este servidor." }
                    }
                }
            }
            dt { "Cifrado" }
            dd {
                @match &o.encryption {
                    Some(how) => { (badge(Tone::Ok, "Activado")) " " span.muted.small { (how) } }
                    None => { (badge(Tone::Neutral, "Desactivado")) }
                }
            }
        }
    }
}

pub fn respaldos_page(ctx: &PageContext, p: &RespaldosPage<'_>) -> Markup {
    let actions = html! {
        @if p.settings_error.is_none() {
            form.inline-form method="post" action="/respaldos" {
                (csrf_field(&ctx.csrf_token))
                input type="hidden" name="accion" value="respaldar";
                button.btn.btn-primary type="submit" disabled[p.running] { "Respaldar ahora" }
            }
        }
    };
    let refresh = html! {
        @if p.running { meta http-equiv="refresh" content=(REFRESH_SECS); }
    };
    page_with_head(
        ctx,
        "Respaldos",
        refresh,
        html! {
            (page_header("Respaldos", Some(&format!("Carpeta de salida: {}", p.output_dir)), actions))
            @if let Some(e) = p.settings_error {
                p.field-error role="alert" { "La configuración de respaldos no es válida: " (e) }
            }
            @if let Some(w) = p.settings_warning {
                p.notice role="status" { (w) }
            }
            @if p.running {
                p.notice role="status" { "Hay un respaldo en curso. Esta página se actualiza sola cada " (REFRESH_SECS) " segundos hasta que termine." }
            }
            @if let Some(o) = p.ops {
                @if o.same_disk {
                    p.field-error role="alert" {
                        "Todas las copias de los respaldos están en el mismo disco que la base de datos: si ese disco \
                         falla se pierden a la vez los datos y sus respaldos. Configure un destino externo \
                         (BACKUP_REMOTE_DESTINATION y BACKUP_REMOTE_ENABLED) o una carpeta de respaldos en otro disco."
                    }
                }
                (card(Some("Cómo se respalda"), ops_section(o)))
            }
            p.muted {
                "Cada respaldo sella la cadena de huellas del registro: "
                a href="/auditoria/integridad" { "ver la integridad del registro" } "."
            }
            (card(Some("Últimas ejecuciones"), runs_table(p.runs)))
            (card(Some("Conjuntos en la carpeta de salida"), sets_table(ctx, p.sets)))
        },
    )
}
