//! The company, as pages, exports and e-mails print it.

use arriendo_events::Empresa;
use arriendo_views::pages::empresa::CompanyHeader;

use crate::store::{Db, StoreError};

/// The company's state (empty before an administrador records it).
pub async fn company(db: &Db) -> Result<Empresa, StoreError> {
    crate::read_models::company::load(db).await
}

/// The logo's address: its digest in the query, so a new logo is never served from a cache.
pub fn logo_href(company: &Empresa) -> Option<String> {
    company
        .logo
        .as_ref()
        .map(|logo| format!("/empresa/logo?v={}", logo.sha256.get(..16).unwrap_or("")))
}

/// The printed header's data; `None` before the company is recorded.
pub async fn header(db: &Db) -> Result<Option<CompanyHeader>, StoreError> {
    let company = company(db).await?;
    Ok(company.data.as_ref().map(|data| CompanyHeader {
        name: data.name.clone(),
        nit: data.nit.to_string(),
        address: data.address.clone(),
        logo_href: logo_href(&company),
    }))
}

/// The company's name for export titles, or `None` before it is recorded.
pub async fn name(db: &Db) -> Result<Option<String>, StoreError> {
    Ok(company(db).await?.data.map(|d| d.name))
}

/// «Name · NIT n»: the line that heads exports and e-mails, once an administrador recorded the
/// company; `None` before. A store failure here costs no download or e-mail: it is logged and the
/// line is left out.
pub async fn title_line(db: &Db) -> Option<String> {
    match company(db).await {
        Ok(company) => company.data.map(|d| format!("{} · NIT {}", d.name, d.nit)),
        Err(e) => {
            tracing::error!(error = %e, "company data unreadable for a title line");
            None
        }
    }
}
