//! Alertas por correo (administradores): each alert kind's digest settings and recipients
//! (`/alertas/correo`, `/alertas/correo/{tipo}`), «Enviar ahora», and the send history
//! (`/alertas/correo/historial`). Invalid input (bad address, unknown kind, bad hour) is shown again
//! with Spanish messages and 422.

use arriendo_projections::AlertKind;
use arriendo_views::components::FormErrors;
use arriendo_views::format::count_noun;
use arriendo_views::layout::Flash;
use arriendo_views::pages::correo::{
    self as views, ChangeRow, HistoryPage, HistoryRow, KindForm, KindPage, KindRow, OverviewPage,
    RecipientForm, RecipientRow,
};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use chrono::Utc;
use serde::Deserialize;

use super::auth::bogota;
use super::page_error::{OrNotFound, OrServerError, PageError, PageResult};
use super::respuestas::{done, invalid, not_found, page_number, unprocessable};
use super::security::{Access, Ctx, RequireAdmin, Route};
use crate::app::App;
use crate::digest::due::{Frequency, WEEKDAYS};
use crate::digest::history::{self, Trigger};
use crate::digest::mailer::Mailer;
use crate::digest::recipients::{self, Action, AddError, RecipientInput};
use crate::digest::settings::{self, Change, FieldErrors, KindSettings, SettingsInput};
use crate::digest::{DigestError, run};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/alertas/correo", Access::Admin, overview),
        Route::post("/alertas/correo", Access::Admin, save),
        Route::get("/alertas/correo/historial", Access::Admin, history_page),
        Route::post(
            "/alertas/correo/destinatarios",
            Access::Admin,
            add_recipient,
        ),
        Route::post(
            "/alertas/correo/destinatarios/{id}",
            Access::Admin,
            recipient_action,
        ),
        Route::post("/alertas/correo/enviar", Access::Admin, send_now),
        Route::get("/alertas/correo/{tipo}", Access::Admin, kind_page),
    ]
}

fn change_row(c: &Change) -> ChangeRow {
    ChangeRow {
        at: bogota(c.at),
        actor: c.actor.clone(),
        kind: c.kind.map_or("—", AlertKind::label).to_string(),
        summary: c.summary.clone(),
    }
}

fn smtp_line(mailer: &Mailer) -> Option<String> {
    mailer
        .smtp
        .as_ref()
        .map(|s| format!("{}:{}, remitente {}", s.host, s.port, s.from))
}

async fn overview(State(app): State<App>, ctx: Ctx) -> PageResult {
    render_overview(&app, &ctx, None).await
}

async fn render_overview(app: &App, ctx: &Ctx, error: Option<&str>) -> PageResult {
    let loaded = async {
        let all = settings::all(&app.db).await?;
        let recipients = recipients::list(&app.db, None).await?;
        let changes = settings::changes(&app.db, None, 20).await?;
        Ok::<_, DigestError>((all, recipients, changes))
    }
    .await;
    let (all, recipients, changes) = loaded.or_500(&ctx.page)?;
    let kinds: Vec<KindRow> = all
        .iter()
        .map(|s| KindRow {
            slug: s.kind.slug().to_string(),
            label: s.kind.label().to_string(),
            enabled: s.enabled,
            schedule: s.describe(),
            only_critical: s.only_critical,
            active_recipients: recipients
                .iter()
                .filter(|r| r.kind == s.kind && r.receives())
                .count(),
            last_sent: s.last_sent_at.map(bogota),
        })
        .collect();
    let changes: Vec<ChangeRow> = changes.iter().map(change_row).collect();
    let mailer = Mailer::from_env();
    let smtp = mailer.as_ref().ok().and_then(smtp_line);
    Ok(views::overview_page(
        &ctx.page,
        &OverviewPage {
            kinds: &kinds,
            changes: &changes,
            smtp: smtp.as_deref(),
            public_url_missing: app.auth.public_url.is_none(),
            error,
        },
    )
    .into_response())
}

fn form_of(s: &KindSettings) -> KindForm {
    KindForm {
        slug: s.kind.slug().to_string(),
        label: s.kind.label().to_string(),
        enabled: s.enabled,
        frequency: s.schedule.frequency.slug().to_string(),
        weekdays: s.schedule.weekdays.clone(),
        time: s.schedule.time.format("%H:%M").to_string(),
        only_critical: s.only_critical,
        subject: s.subject.clone().unwrap_or_default(),
        errors: FormErrors::new(),
    }
}

fn errors_of(list: FieldErrors) -> FormErrors {
    let mut errors = FormErrors::new();
    for (field, message) in list {
        errors.add(field, message);
    }
    errors
}

/// Renders a kind's page with `form` and `recipient` as given (errors included).
async fn render_kind(
    app: &App,
    ctx: &Ctx,
    kind: AlertKind,
    form: Option<KindForm>,
    recipient: RecipientForm,
) -> PageResult {
    let loaded = async {
        let s = settings::load(&app.db, kind).await?;
        let list = recipients::list(&app.db, Some(kind)).await?;
        let users = recipients::usernames(&app.db).await?;
        let changes = settings::changes(&app.db, Some(kind), 20).await?;
        Ok::<_, DigestError>((s, list, users, changes))
    }
    .await;
    let (s, list, users, changes) = loaded.or_500(&ctx.page)?;
    let form = form.unwrap_or_else(|| form_of(&s));
    let rows: Vec<RecipientRow> = list
        .iter()
        .map(|r| RecipientRow {
            id: r.id.clone(),
            email: r.email.clone(),
            name: r.name.clone(),
            username: r.username.clone(),
            active: r.active,
            user_inactive: !r.user_active,
        })
        .collect();
    let frequencies: Vec<(&str, &str)> = Frequency::ALL
        .iter()
        .map(|f| (f.slug(), f.label()))
        .collect();
    let changes: Vec<ChangeRow> = changes.iter().map(change_row).collect();
    let last_sent = s.last_sent_at.map(bogota);
    Ok(views::kind_page(
        &ctx.page,
        &KindPage {
            form: &form,
            frequencies: &frequencies,
            weekday_names: &WEEKDAYS,
            recipients: &rows,
            new_recipient: &recipient,
            users: &users,
            changes: &changes,
            last_sent: last_sent.as_deref(),
        },
    )
    .into_response())
}

async fn kind_page(State(app): State<App>, ctx: Ctx, Path(tipo): Path<String>) -> PageResult {
    Ok(match AlertKind::from_slug(&tipo) {
        Some(kind) => render_kind(&app, &ctx, kind, None, RecipientForm::default()).await?,
        None => not_found(&ctx.page),
    })
}

/// The settings form as posted: repeated `dias` fields, so read as pairs.
fn settings_input(fields: &[(String, String)]) -> SettingsInput {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    SettingsInput {
        kind: get("tipo"),
        enabled: !get("activo").is_empty(),
        frequency: get("frecuencia"),
        weekdays: fields
            .iter()
            .filter(|(k, _)| k == "dias")
            .map(|(_, v)| v.clone())
            .collect(),
        time: get("hora"),
        only_critical: !get("solo_criticas").is_empty(),
        subject: get("asunto"),
    }
}

/// The overview with the errors of a form whose kind does not exist (422).
async fn unknown_kind(app: &App, ctx: &Ctx) -> PageResult {
    Ok(unprocessable(
        render_overview(app, ctx, Some("El tipo de alerta no existe.")).await?,
    ))
}

async fn save(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let input = settings_input(&fields);
    let (kind, change) = match settings::parse(&input) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let Some(kind) = AlertKind::from_slug(input.kind.trim()) else {
                return unknown_kind(&app, &ctx).await;
            };
            let form = KindForm {
                slug: kind.slug().to_string(),
                label: kind.label().to_string(),
                enabled: input.enabled,
                frequency: input.frequency.clone(),
                weekdays: input
                    .weekdays
                    .iter()
                    .filter_map(|d| d.parse().ok())
                    .collect(),
                time: input.time.clone(),
                only_critical: input.only_critical,
                subject: input.subject.clone(),
                errors: errors_of(errors),
            };
            let page = render_kind(&app, &ctx, kind, Some(form), RecipientForm::default()).await?;
            return Ok(unprocessable(page));
        }
    };
    if let Err(e) = settings::save(&app.db, kind, &change, &user.username, Utc::now()).await {
        return Err(PageError::server(&ctx.page, e));
    }
    Ok(done(
        &ctx.session,
        Flash::exito(format!("Se guardó la programación de «{}».", kind.label())),
        &format!("/alertas/correo/{}", kind.slug()),
    )
    .await)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecipientFields {
    tipo: String,
    correo: String,
    nombre: String,
    usuario: String,
}

async fn add_recipient(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(f): Form<RecipientFields>,
) -> PageResult {
    let input = RecipientInput {
        kind: f.tipo.clone(),
        email: f.correo.clone(),
        name: f.nombre.clone(),
        username: f.usuario.clone(),
    };
    let result = match recipients::parse(&input) {
        Ok(new) => recipients::add(&app.db, &new, &user.username, Utc::now())
            .await
            .map(|()| new.kind),
        Err(errors) => Err(AddError::Invalid(errors)),
    };
    Ok(match result {
        Ok(kind) => {
            done(
                &ctx.session,
                Flash::exito(format!("{} recibirá «{}».", f.correo.trim(), kind.label())),
                &format!("/alertas/correo/{}", kind.slug()),
            )
            .await
        }
        Err(AddError::Failed(e)) => return Err(PageError::server(&ctx.page, e)),
        Err(AddError::Invalid(errors)) => {
            let Some(kind) = AlertKind::from_slug(f.tipo.trim()) else {
                return unknown_kind(&app, &ctx).await;
            };
            let form = RecipientForm {
                email: f.correo,
                name: f.nombre,
                username: f.usuario,
                errors: errors_of(errors),
            };
            unprocessable(render_kind(&app, &ctx, kind, None, form).await?)
        }
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionFields {
    accion: String,
}

async fn recipient_action(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ActionFields>,
) -> PageResult {
    let Some(action) = Action::from_slug(&f.accion) else {
        return Ok(invalid(arriendo_views::errors::error_page(
            &ctx.page,
            422,
            "Acción desconocida",
            maud::html! { p { "Use los botones Activar, Desactivar o Quitar." } },
        )));
    };
    let kind = recipients::apply(&app.db, &id, action, &user.username, Utc::now())
        .await
        .or_500(&ctx.page)?
        .or_404(&ctx.page)?;
    Ok(done(
        &ctx.session,
        Flash::exito("Destinatario actualizado."),
        &format!("/alertas/correo/{}", kind.slug()),
    )
    .await)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SendFields {
    tipo: String,
}

async fn send_now(
    State(app): State<App>,
    RequireAdmin(user): RequireAdmin,
    ctx: Ctx,
    Form(f): Form<SendFields>,
) -> PageResult {
    let Some(kind) = AlertKind::from_slug(f.tipo.trim()) else {
        return unknown_kind(&app, &ctx).await;
    };
    let mailer = Mailer::from_env().or_500(&ctx.page)?;
    let result = async {
        let s = settings::load(&app.db, kind).await?;
        run::send_digest(&app, &mailer, &s, Trigger::Manual, Utc::now()).await
    }
    .await;
    tracing::info!(user = %user.username, kind = kind.slug(), "alert digest sent from the web");
    let flash = match result.or_500(&ctx.page)? {
        Some(s) if s.sent + s.failed == 0 => {
            Flash::aviso("El resumen no tiene destinatarios activos: no se envió nada.")
        }
        Some(s) if s.failed == 0 => Flash::exito(format!(
            "Resumen enviado a {} con {}.",
            count_noun(s.sent as u64, "destinatario", "destinatarios"),
            count_noun(s.alerts as u64, "alerta", "alertas")
        )),
        Some(s) => Flash::error(format!(
            "{} sin enviar; vea el historial de envíos.",
            count_noun(s.failed as u64, "envío quedó", "envíos quedaron")
        )),
        None => Flash::aviso("No había nada que enviar."),
    };
    Ok(done(
        &ctx.session,
        flash,
        &format!("/alertas/correo/{}", kind.slug()),
    )
    .await)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    pagina: Option<String>,
}

const PER_PAGE: u64 = 50;

async fn history_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<HistoryQuery>,
) -> PageResult {
    let page = page_number(q.pagina);
    let offset = i64::try_from(page.saturating_sub(1).saturating_mul(PER_PAGE)).unwrap_or(0);
    let loaded = async {
        let rows = history::latest(&app.db, i64::try_from(PER_PAGE).unwrap_or(50), offset).await?;
        let total = history::count(&app.db).await?;
        Ok::<_, DigestError>((rows, total))
    }
    .await;
    let (rows, total) = loaded.or_500(&ctx.page)?;
    let rows: Vec<HistoryRow> = rows
        .into_iter()
        .map(|e| HistoryRow {
            at: bogota(e.at),
            kind: AlertKind::from_slug(&e.kind).map_or(e.kind.clone(), |k| k.label().to_string()),
            recipient: e.recipient,
            subject: e.subject,
            status: e.status,
            error: e.error,
            alert_count: e.alert_count,
            trigger: match e.trigger.as_str() {
                "programado" => "Programado",
                "manual" => "Manual",
                "importado" => "Importado",
                other => other,
            }
            .to_string(),
        })
        .collect();
    Ok(views::history_page(
        &ctx.page,
        &HistoryPage {
            rows: &rows,
            page,
            per_page: PER_PAGE,
            total: u64::try_from(total).unwrap_or(0),
        },
    )
    .into_response())
}
