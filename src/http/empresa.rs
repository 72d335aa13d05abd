//! `/empresa`: the company's data (administradores edit it, everyone reads it) and its logo.

use arriendo_events::{
    CompanyData, DomainError, Email, Empresa, EmpresaCommand, MAX_LOGO_BYTES, Nit, format_size,
};
use arriendo_views::components::FormErrors;
use arriendo_views::layout::Flash;
use arriendo_views::pages::empresa::{CompanyForm, LogoView, company_page};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;

use super::page_error::{OrServerError, PageError, PageResult};
use super::respuestas::{Outcome, conflict, done, invalid, outcome, service_unavailable};
use super::security::{Access, Ctx, RequireAdmin, Route};
use super::subida;
use crate::app::App;
use crate::documents::Upload;
use crate::queries;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/empresa", Access::Authenticated, show),
        Route::post("/empresa", Access::Admin, save),
        Route::get("/empresa/logo", Access::Authenticated, logo),
        Route::post("/empresa/logo", Access::Admin, upload_logo),
        Route::post("/empresa/logo/quitar", Access::Admin, remove_logo),
    ]
}

fn form_of(company: &Empresa) -> CompanyForm {
    let mut f = CompanyForm {
        version: company.version,
        ..CompanyForm::default()
    };
    if let Some(d) = &company.data {
        f.nombre = d.name.clone();
        f.nit = d.nit.to_string();
        f.representante = d.legal_representative.clone();
        f.direccion = d.address.clone();
        f.telefono = d.phone.clone();
        f.correo = d
            .email
            .as_ref()
            .map(|e| e.as_str().to_string())
            .unwrap_or_default();
    }
    f
}

fn logo_view(company: &Empresa) -> Option<LogoView> {
    let logo = company.logo.as_ref()?;
    Some(LogoView {
        href: queries::empresa::logo_href(company)?,
        file_name: logo.file_name.clone(),
        description: format!(
            "{} · {}",
            logo.media_type.label(),
            format_size(logo.size_bytes)
        ),
    })
}

fn render(ctx: &Ctx, company: &Empresa, form: &CompanyForm) -> maud::Markup {
    let is_admin = ctx.user.as_ref().is_some_and(|u| u.is_admin());
    company_page(&ctx.page, form, logo_view(company).as_ref(), is_admin)
}

async fn show(State(app): State<App>, ctx: Ctx) -> PageResult {
    let company = queries::empresa::company(&app.db).await.or_500(&ctx.page)?;
    Ok(render(&ctx, &company, &form_of(&company)).into_response())
}

/// The typed form, parsed: every field's error at once.
fn parse(form: &CompanyForm) -> Result<CompanyData, FormErrors> {
    let mut errors = FormErrors::new();
    let nit = Nit::parse(&form.nit).map_err(|e| errors.add("nit", e.to_string()));
    let email = match form.correo.trim() {
        "" => Ok(None),
        typed => Email::parse(typed)
            .map(Some)
            .map_err(|e| errors.add("correo", e.to_string())),
    };
    if form.nombre.trim().is_empty() {
        errors.add("nombre", "Escriba el nombre de la empresa.");
    }
    match (nit, email) {
        (Ok(nit), Ok(email)) if errors.is_empty() => Ok(CompanyData {
            name: form.nombre.trim().to_string(),
            nit,
            legal_representative: form.representante.trim().to_string(),
            address: form.direccion.trim().to_string(),
            phone: form.telefono.trim().to_string(),
            email,
        }),
        _ => Err(errors),
    }
}

async fn save(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let mut form = CompanyForm {
        nombre: get("nombre"),
        nit: get("nit"),
        representante: get("representante"),
        direccion: get("direccion"),
        telefono: get("telefono"),
        correo: get("correo"),
        version: get("version").trim().parse().unwrap_or(u64::MAX),
        ..CompanyForm::default()
    };
    let company = queries::empresa::company(&app.db).await.or_500(&ctx.page)?;
    let data = match parse(&form) {
        Ok(data) => data,
        Err(errors) => {
            form.errors = errors;
            return Ok(invalid(render(&ctx, &company, &form)));
        }
    };
    let command = EmpresaCommand::RecordCompanyData {
        actor: user.actor(),
        data,
        expected_version: form.version,
    };
    let result = app.commands.empresa(command, user.metadata()).await;
    Ok(match outcome(&app, &ctx.page, result).await {
        Outcome::Done => {
            done(
                &ctx.session,
                Flash::exito("Datos de la empresa guardados."),
                "/empresa",
            )
            .await
        }
        Outcome::Refused(message) => {
            form.errors.add(field_of_message(&message), &message);
            invalid(render(&ctx, &company, &form))
        }
        Outcome::Conflict => {
            let current = queries::empresa::company(&app.db).await.unwrap_or(company);
            form.version = current.version;
            form.current = Some(Box::new(form_of(&current)));
            conflict(render(&ctx, &current, &form).into_response())
        }
        Outcome::Failed(r) => r,
    })
}

fn field_of_message(message: &str) -> &'static str {
    if message.contains("representante") {
        "representante"
    } else if message.contains("dirección") {
        "direccion"
    } else if message.contains("teléfono") {
        "telefono"
    } else {
        "nombre"
    }
}

/// The logo's bytes, checked against their digest; cached by the browser (its address changes
/// with the logo).
async fn logo(
    State(app): State<App>,
    ctx: Ctx,
    Query(_): Query<Vec<(String, String)>>,
) -> PageResult {
    let company = queries::empresa::company(&app.db).await.or_500(&ctx.page)?;
    let Some(file) = company.logo else {
        return Err(PageError::not_found(&ctx.page));
    };
    Ok(match app.documents.get(&file).await {
        Ok(bytes) => super::documentos::stored_file_response(
            bytes,
            file.media_type,
            "private, max-age=86400",
        ),
        Err(e) => {
            tracing::error!(error = %e, "company logo unreadable");
            service_unavailable(&ctx.page, e.for_people())
        }
    })
}

async fn upload_logo(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
    headers: HeaderMap,
    body: Body,
) -> PageResult {
    let refuse = |message: String| {
        let session = ctx.session.clone();
        async move { Ok(done(&session, Flash::error(message), "/empresa").await) }
    };
    let form = match subida::read(&headers, body, "logo", super::entrada::LOGO_BODY_LIMIT).await {
        Ok(form) => form,
        Err(refusal) => return refuse(refusal.to_string()).await,
    };
    let Some((file_name, bytes)) = form.file.filter(|(_, b)| !b.is_empty()) else {
        return refuse("Elija la imagen del logo.".into()).await;
    };
    let upload = Upload::new(bytes);
    let name = if file_name.trim().is_empty() {
        "logo"
    } else {
        file_name.as_str()
    };
    let Some(file) = upload.stored_file(name).filter(|f| f.media_type.is_image()) else {
        return refuse("El logo debe ser una imagen PNG o JPEG.".into()).await;
    };
    if let Err(e) = file.check(MAX_LOGO_BYTES) {
        return refuse(super::respuestas::sentence(&e.to_string())).await;
    }
    if let Err(e) = app.documents.put(&upload).await {
        tracing::error!(error = %e, "logo upload failed");
        return refuse(e.for_people().to_string()).await;
    }
    let command = EmpresaCommand::SetCompanyLogo {
        actor: user.actor(),
        logo: file,
    };
    let result = app.commands.empresa(command, user.metadata()).await;
    finish(&app, &ctx, result, "Logo actualizado.").await
}

async fn remove_logo(
    State(app): State<App>,
    ctx: Ctx,
    RequireAdmin(user): RequireAdmin,
) -> PageResult {
    let command = EmpresaCommand::RemoveCompanyLogo {
        actor: user.actor(),
    };
    let result = app.commands.empresa(command, user.metadata()).await;
    finish(&app, &ctx, result, "Logo quitado.").await
}

async fn finish(
    app: &App,
    ctx: &Ctx,
    result: Result<(), crate::store::CommandError<DomainError>>,
    success: &str,
) -> PageResult {
    let flash = match outcome(app, &ctx.page, result).await {
        Outcome::Done => Flash::exito(success.to_string()),
        Outcome::Refused(message) => Flash::error(message),
        Outcome::Conflict => {
            Flash::error("Otra persona cambió la empresa al mismo tiempo; intente de nuevo.")
        }
        Outcome::Failed(r) => return Err(r.into()),
    };
    Ok(done(&ctx.session, flash, "/empresa").await)
}
