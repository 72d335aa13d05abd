//! Alertas por correo (administradores): each alert kind's digest settings and recipients, the log
//! of changes, and the send history.

use maud::{Markup, html};

use crate::components::{
    Column, Field, FormErrors, Tone, badge, breadcrumbs, card, checkbox, csrf_field, empty_state,
    error_summary, link_button, page_header, pagination, select_field, table_head, table_wrap,
    text_field,
};
use crate::layout::{PageContext, page};

/// One alert kind on the overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindRow {
    pub slug: String,
    pub label: String,
    pub enabled: bool,
    /// «Diaria a las 08:00».
    pub schedule: String,
    pub only_critical: bool,
    pub active_recipients: usize,
    /// `31/12/2025 08:00`.
    pub last_sent: Option<String>,
}

/// One logged change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeRow {
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub summary: String,
}

pub struct OverviewPage<'a> {
    pub kinds: &'a [KindRow],
    pub changes: &'a [ChangeRow],
    /// «smtp.empresa.com:587, remitente alertas@empresa.com», or `None` when not configured.
    pub smtp: Option<&'a str>,
    /// `ARRIENDO_PUBLIC_URL` is not set: links point to localhost.
    pub public_url_missing: bool,
    /// A form named a kind that does not exist.
    pub error: Option<&'a str>,
}

fn changes_table(changes: &[ChangeRow]) -> Markup {
    let cols = [
        Column::new("Fecha"),
        Column::new("Usuario"),
        Column::new("Tipo de alerta"),
        Column::new("Cambio"),
    ];
    html! {
        @if changes.is_empty() {
            (empty_state("Aún no hay cambios registrados."))
        } @else {
            (table_wrap("Cambios", table_head(&cols, None, ""), html! {
                tbody { @for c in changes { tr { td { (c.at) } td { (c.actor) } td { (c.kind) } td { (c.summary) } } } }
            }))
        }
    }
}

pub fn overview_page(ctx: &PageContext, p: &OverviewPage<'_>) -> Markup {
    let cols = [
        Column::new("Tipo de alerta"),
        Column::new("Estado"),
        Column::new("Frecuencia"),
        Column::new("Destinatarios").numeric(),
        Column::new("Último envío"),
        Column::new(""),
    ];
    page(
        ctx,
        "Alertas por correo",
        html! {
            (page_header("Alertas por correo", Some("Resúmenes de alertas enviados por correo, por tipo de alerta"),
                link_button("/alertas/correo/historial", "Historial de envíos", false)))
            @if let Some(e) = p.error {
                div.flash.flash-error role="alert" { (e) }
            }
            @match p.smtp {
                Some(smtp) => p.muted { "Servidor de correo: " (smtp) "." }
                None => div.flash.flash-aviso role="status" {
                    "No hay servidor SMTP configurado (BACKUP_SMTP_HOST): los envíos quedarán registrados con ERROR."
                }
            }
            @if p.public_url_missing {
                div.flash.flash-aviso role="status" {
                    "ARRIENDO_PUBLIC_URL no está configurada: los enlaces de los correos apuntan a http://localhost."
                }
            }
            (table_wrap("Tipos de alerta", table_head(&cols, None, ""), html! {
                tbody {
                    @for k in p.kinds {
                        tr {
                            td { (k.label) }
                            td {
                                @if k.enabled { (badge(Tone::Ok, "Activo")) } @else { (badge(Tone::Neutral, "Inactivo")) }
                                @if k.only_critical { " " (badge(Tone::Danger, "Solo críticas")) }
                            }
                            td { (k.schedule) }
                            td.num { (k.active_recipients) }
                            td { (k.last_sent.as_deref().unwrap_or("—")) }
                            td { a href={ "/alertas/correo/" (k.slug) } { "Configurar" } }
                        }
                    }
                }
            }))
            (card(Some("Cambios recientes"), changes_table(p.changes)))
        },
    )
}

/// The settings form of one kind (also shown again with its errors).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindForm {
    pub slug: String,
    pub label: String,
    pub enabled: bool,
    pub frequency: String,
    pub weekdays: Vec<u8>,
    pub time: String,
    pub only_critical: bool,
    pub subject: String,
    pub errors: FormErrors,
}

/// One recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub username: Option<String>,
    pub active: bool,
    /// Tied to a deactivated (or deleted) user: skipped.
    pub user_inactive: bool,
}

/// The form to add a recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientForm {
    pub email: String,
    pub name: String,
    pub username: String,
    pub errors: FormErrors,
}

pub struct KindPage<'a> {
    pub form: &'a KindForm,
    /// (value, label) of each frequency.
    pub frequencies: &'a [(&'a str, &'a str)],
    /// The weekday names, lunes first.
    pub weekday_names: &'a [&'a str],
    pub recipients: &'a [RecipientRow],
    pub new_recipient: &'a RecipientForm,
    /// Usernames of the application, to tie a recipient to.
    pub users: &'a [String],
    pub changes: &'a [ChangeRow],
    pub last_sent: Option<&'a str>,
}

fn settings_form(ctx: &PageContext, p: &KindPage<'_>) -> Markup {
    let f = p.form;
    let frequency = Field::new("frecuencia", "Frecuencia")
        .value(&f.frequency)
        .errors(&f.errors);
    let time = Field::new("hora", "Hora de envío (Bogotá)")
        .value(&f.time)
        .input_type("time")
        .errors(&f.errors)
        .required();
    let subject = Field::new("asunto", "Asunto (opcional)")
        .value(&f.subject)
        .errors(&f.errors)
        .hint("Vacío: «[Arriendo] tipo: N alertas (M nuevas)».");
    html! {
        form.form method="post" action="/alertas/correo" novalidate {
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="tipo" value=(f.slug);
            (error_summary(&f.errors))
            (checkbox(&Field::new("activo", "Enviar este resumen").value("1"), f.enabled))
            (select_field(&frequency, p.frequencies))
            fieldset.field.field-check {
                legend { "Días (frecuencia semanal)" }
                @for (i, name) in p.weekday_names.iter().enumerate() {
                    label.check-row {
                        input.check type="checkbox" name="dias" value=(i)
                            checked[f.weekdays.iter().any(|d| usize::from(*d) == i)];
                        " " (name)
                    }
                }
                @if let Some(e) = f.errors.get("dias") { p.field-error { (e) } }
            }
            (text_field(&time))
            (checkbox(&Field::new("solo_criticas", "Solo alertas críticas").value("1"), f.only_critical))
            (text_field(&subject))
            div.form-actions { button.btn.btn-primary type="submit" { "Guardar" } }
        }
    }
}

fn recipients_block(ctx: &PageContext, p: &KindPage<'_>) -> Markup {
    let cols = [
        Column::new("Correo"),
        Column::new("Nombre"),
        Column::new("Usuario"),
        Column::new("Estado"),
        Column::new(""),
    ];
    let r = p.new_recipient;
    let mut user_options: Vec<(&str, &str)> = vec![("", "(ninguno)")];
    user_options.extend(p.users.iter().map(|u| (u.as_str(), u.as_str())));
    html! {
        @if p.recipients.is_empty() {
            (empty_state("Este resumen no tiene destinatarios."))
        } @else {
            (table_wrap("Destinatarios", table_head(&cols, None, ""), html! {
                tbody {
                    @for d in p.recipients {
                        tr {
                            td { (d.email) }
                            td { (d.name) }
                            td { (d.username.as_deref().unwrap_or("—")) }
                            td {
                                @if !d.active { (badge(Tone::Neutral, "Inactivo")) }
                                @else if d.user_inactive { (badge(Tone::Warning, "Usuario inactivo")) }
                                @else { (badge(Tone::Ok, "Activo")) }
                            }
                            td {
                                form.inline-form method="post" action={ "/alertas/correo/destinatarios/" (d.id) } {
                                    (csrf_field(&ctx.csrf_token))
                                    @if d.active {
                                        button.btn.btn-secondary.btn-small type="submit" name="accion" value="desactivar" { "Desactivar" }
                                    } @else {
                                        button.btn.btn-secondary.btn-small type="submit" name="accion" value="activar" { "Activar" }
                                    }
                                    " "
                                    button.btn.btn-ghost.btn-small type="submit" name="accion" value="quitar" { "Quitar" }
                                }
                            }
                        }
                    }
                }
            }))
        }
        form.form method="post" action="/alertas/correo/destinatarios" novalidate {
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="tipo" value=(p.form.slug);
            (error_summary(&r.errors))
            (text_field(&Field::new("correo", "Correo electrónico").value(&r.email).input_type("email").errors(&r.errors).required()))
            (text_field(&Field::new("nombre", "Nombre (opcional)").value(&r.name).errors(&r.errors)))
            (select_field(&Field::new("usuario", "Usuario de Arriendo (opcional)").value(&r.username).errors(&r.errors)
                .hint("Si el usuario se desactiva, deja de recibir el resumen."), &user_options))
            div.form-actions { button.btn.btn-secondary type="submit" { "Agregar destinatario" } }
        }
    }
}

pub fn kind_page(ctx: &PageContext, p: &KindPage<'_>) -> Markup {
    let title = format!("Alertas por correo: {}", p.form.label);
    page(
        ctx,
        &title,
        html! {
            (breadcrumbs(&[("Alertas por correo", "/alertas/correo"), (p.form.label.as_str(), "")]))
            (page_header(&title, Some(&format!("Último envío: {}", p.last_sent.unwrap_or("nunca"))), html! {
                form.inline-form method="post" action="/alertas/correo/enviar" {
                    (csrf_field(&ctx.csrf_token))
                    input type="hidden" name="tipo" value=(p.form.slug);
                    button.btn.btn-secondary type="submit" { "Enviar ahora" }
                }
            }))
            (card(Some("Programación"), settings_form(ctx, p)))
            (card(Some("Destinatarios"), recipients_block(ctx, p)))
            (card(Some("Cambios"), changes_table(p.changes)))
        },
    )
}

/// One sent (or failed) email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryRow {
    pub at: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// ENVIADO, ERROR (imported: PENDIENTE, CANCELADO).
    pub status: String,
    pub error: Option<String>,
    pub alert_count: i64,
    /// Programado, Manual, Importado.
    pub trigger: String,
}

pub struct HistoryPage<'a> {
    pub rows: &'a [HistoryRow],
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

pub fn history_page(ctx: &PageContext, p: &HistoryPage<'_>) -> Markup {
    let cols = [
        Column::new("Fecha"),
        Column::new("Tipo de alerta"),
        Column::new("Destinatario"),
        Column::new("Asunto"),
        Column::new("Estado"),
        Column::new("Alertas").numeric(),
        Column::new("Origen"),
    ];
    page(
        ctx,
        "Historial de envíos",
        html! {
            (breadcrumbs(&[("Alertas por correo", "/alertas/correo"), ("Historial de envíos", "")]))
            (page_header("Historial de envíos", Some(&format!("{} envíos", p.total)), html! {}))
            @if p.rows.is_empty() {
                (empty_state("Aún no se ha enviado ningún resumen."))
            } @else {
                (table_wrap("Envíos", table_head(&cols, None, ""), html! {
                    tbody {
                        @for r in p.rows {
                            tr {
                                td { (r.at) }
                                td { (r.kind) }
                                td { (r.recipient) }
                                td { (r.subject) }
                                td {
                                    @match r.status.as_str() {
                                        "ENVIADO" => (badge(Tone::Ok, "ENVIADO")),
                                        "ERROR" => (badge(Tone::Danger, "ERROR")),
                                        other => (badge(Tone::Neutral, other)),
                                    }
                                    @if let Some(e) = &r.error { br; span.muted.small { (e) } }
                                }
                                td.num { (r.alert_count) }
                                td { (r.trigger) }
                            }
                        }
                    }
                }))
                (pagination(p.page, p.per_page, p.total, ""))
            }
        },
    )
}
