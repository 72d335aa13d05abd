use serde::{Deserialize, Serialize};

use super::CompanyData;
use crate::catalog::domain_event;
use crate::{DomainError, MAX_LOGO_BYTES, StoredFile};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EmpresaEvent {
    /// The company's data as it stands afterwards (the whole form).
    CompanyDataRecorded {
        data: CompanyData,
        by: String,
    },
    /// A new logo replaces the previous one (which stays in the store and in the history).
    CompanyLogoSet {
        logo: StoredFile,
        by: String,
    },
    CompanyLogoRemoved {
        by: String,
    },
}

impl EmpresaEvent {
    pub fn check_bounds(&self) -> Result<(), DomainError> {
        match self {
            EmpresaEvent::CompanyDataRecorded { data, .. } => data.check_bounds(),
            EmpresaEvent::CompanyLogoSet { logo, .. } => {
                logo.check(MAX_LOGO_BYTES)?;
                if logo.media_type.is_image() {
                    Ok(())
                } else {
                    Err(DomainError::LogoNotImage)
                }
            }
            EmpresaEvent::CompanyLogoRemoved { .. } => Ok(()),
        }
    }
}

domain_event!(EmpresaEvent, "empresa", {
    CompanyDataRecorded => "1.0", &["data", "by"];
    CompanyLogoSet => "1.0", &["logo", "by"];
    CompanyLogoRemoved => "1.0", &["by"];
});
