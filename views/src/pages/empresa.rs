//! «Configuración de la empresa»: the landlord's name, NIT, address and logo, printed on exports,
//! printed pages and e-mails. The form is the administrador's; everyone sees the page.

use arriendo_events::{MAX_LOGO_BYTES, format_size};
use maud::{Markup, html};

use super::conflicto::stale_panel;
use crate::components::{
    Detail, Field, FormErrors, breadcrumbs, card, csrf_field, error_summary_with, form_actions,
    page_header, required_note, text_field,
};
use crate::layout::{PageContext, page};

/// The company as printed pages show it (their header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyHeader {
    pub name: String,
    /// As typed canonically: `900.123.456-8`.
    pub nit: String,
    pub address: String,
    /// The logo's address (`/empresa/logo?v=<digest>`), when there is one.
    pub logo_href: Option<String>,
}

/// The top of a printed page: logo, name, NIT and address. Nothing before the company is recorded.
pub fn print_header(company: Option<&CompanyHeader>) -> Markup {
    let Some(c) = company else {
        return html! {};
    };
    html! {
        div.company-header {
            @if let Some(src) = &c.logo_href {
                img.company-logo src=(src) alt={ "Logo de " (c.name) };
            }
            div {
                p { strong { (c.name) } }
                p.small { "NIT " (c.nit) @if !c.address.is_empty() { " · " (c.address) } }
            }
        }
    }
}

/// What the form shows (stored values, or what was typed when it is refused).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyForm {
    pub nombre: String,
    pub nit: String,
    pub representante: String,
    pub direccion: String,
    pub telefono: String,
    pub correo: String,
    /// The version the form was prepared from.
    pub version: u64,
    pub errors: FormErrors,
    /// The values saved by someone else meanwhile (a stale edit).
    pub current: Option<Box<CompanyForm>>,
}

/// The logo as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogoView {
    pub href: String,
    pub file_name: String,
    /// `imagen PNG · 24 KB`.
    pub description: String,
}

pub fn company_label(name: &str) -> Option<String> {
    [
        ("nombre", "Nombre de la empresa"),
        ("nit", "NIT"),
        ("representante", "Representante legal"),
        ("direccion", "Dirección"),
        ("telefono", "Teléfono"),
        ("correo", "Correo electrónico"),
        ("logo", "Logo"),
    ]
    .iter()
    .find(|(n, _)| *n == name)
    .map(|(_, l)| (*l).to_string())
}

fn form(ctx: &PageContext, f: &CompanyForm) -> Markup {
    let e = &f.errors;
    html! {
        @if let Some(now) = &f.current {
            (stale_panel("Los datos de la empresa cambiaron mientras los editaba", &[
                Detail::new("Nombre", now.nombre.as_str()),
                Detail::new("NIT", now.nit.as_str()),
                Detail::new("Representante legal", now.representante.as_str()),
                Detail::new("Dirección", now.direccion.as_str()),
                Detail::new("Teléfono", now.telefono.as_str()),
                Detail::new("Correo", now.correo.as_str()),
            ]))
        }
        form.form method="post" action="/empresa" novalidate {
            (error_summary_with(e, company_label))
            (csrf_field(&ctx.csrf_token))
            input type="hidden" name="version" value=(f.version);
            (required_note())
            div.form-grid {
                (text_field(&Field::new("nombre", "Nombre de la empresa").value(&f.nombre).required().errors(e)))
                (text_field(&Field::new("nit", "NIT").value(&f.nit).required().hint("Con o sin puntos; el dígito de verificación después del guion.").errors(e)))
                (text_field(&Field::new("representante", "Representante legal").value(&f.representante).errors(e)))
                (text_field(&Field::new("direccion", "Dirección").value(&f.direccion).errors(e)))
                (text_field(&Field::new("telefono", "Teléfono").value(&f.telefono).input_type("tel").errors(e)))
                (text_field(&Field::new("correo", "Correo electrónico").value(&f.correo).input_type("email").errors(e)))
            }
            (form_actions("Guardar datos de la empresa", None))
        }
    }
}

fn logo_section(ctx: &PageContext, logo: Option<&LogoView>, is_admin: bool) -> Markup {
    let hint = format!(
        "PNG o JPEG de hasta {}. Aparece en las páginas impresas y en las exportaciones.",
        format_size(MAX_LOGO_BYTES)
    );
    html! {
        @if let Some(l) = logo {
            p { img.company-logo src=(l.href) alt="Logo de la empresa"; }
            p.small.muted { (l.file_name) " · " (l.description) }
        } @else {
            p.muted { "La empresa aún no tiene logo." }
        }
        @if is_admin {
            form.form method="post" enctype="multipart/form-data" action="/empresa/logo" {
                (csrf_field(&ctx.csrf_token))
                div class="field field-file" {
                    label.field-label for="campo-logo" { "Nuevo logo" }
                    p.field-hint id="campo-logo-hint" { (hint) }
                    input.input id="campo-logo" name="logo" type="file" required
                        accept="image/png,image/jpeg" aria-describedby="campo-logo-hint";
                }
                button.btn.btn-secondary type="submit" { "Subir logo" }
            }
            @if logo.is_some() {
                form method="post" action="/empresa/logo/quitar" {
                    (csrf_field(&ctx.csrf_token))
                    button.btn.btn-ghost.btn-small type="submit" { "Quitar el logo" }
                }
            }
        }
    }
}

/// `/empresa`: the form (administradores) or the data (everyone else), and the logo.
pub fn company_page(
    ctx: &PageContext,
    f: &CompanyForm,
    logo: Option<&LogoView>,
    is_admin: bool,
) -> Markup {
    let body = html! {
        (breadcrumbs(&[("Empresa", "")]))
        (page_header("Datos de la empresa", Some("Se imprimen en las exportaciones, las páginas impresas y los correos."), html! {}))
        div.grid-2.section {
            (card(Some("Datos"), html! {
                @if is_admin {
                    (form(ctx, f))
                } @else if f.nombre.is_empty() {
                    p.muted { "Un administrador aún no registró los datos de la empresa." }
                } @else {
                    dl.details {
                        dt { "Nombre" } dd { (f.nombre) }
                        dt { "NIT" } dd { (f.nit) }
                        dt { "Representante legal" } dd { (f.representante) }
                        dt { "Dirección" } dd { (f.direccion) }
                        dt { "Teléfono" } dd { (f.telefono) }
                        dt { "Correo" } dd { (f.correo) }
                    }
                }
                p.small { a href="/auditoria?tipo=empresa" { "Ver el historial de cambios" } }
            }))
            (card(Some("Logo"), logo_section(ctx, logo, is_admin)))
        }
    };
    page(ctx, "Datos de la empresa", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_header_shows_the_company_and_escapes_it() {
        let header = CompanyHeader {
            name: "Centro <Andino>".into(),
            nit: "900.123.456-8".into(),
            address: "Cra 11".into(),
            logo_href: Some("/empresa/logo?v=abc".into()),
        };
        let html = print_header(Some(&header)).into_string();
        assert!(html.contains("Centro &lt;Andino&gt;"));
        assert!(html.contains("NIT 900.123.456-8 · Cra 11"));
        assert!(html.contains("src=\"/empresa/logo?v=abc\""));
        assert_eq!(print_header(None).into_string(), "");
    }
}
