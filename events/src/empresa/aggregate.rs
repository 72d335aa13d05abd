use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CompanyData, EmpresaEvent};
use crate::catalog::aggregate_via_decide;
use crate::{Actor, DomainError, StoredFile};

/// The one company stream's aggregate id.
pub const COMPANY_ID: Uuid = Uuid::from_u128(0x6172_7269_656e_646f_0000_0000_0000_0001);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EmpresaCommand {
    /// Replaces the whole record (the form); no event when nothing changed.
    RecordCompanyData {
        actor: Actor,
        data: CompanyData,
        /// The version the form showed (0 before the first record).
        expected_version: u64,
    },
    SetCompanyLogo {
        actor: Actor,
        logo: StoredFile,
    },
    RemoveCompanyLogo {
        actor: Actor,
    },
}

impl EmpresaCommand {
    pub fn actor(&self) -> &Actor {
        match self {
            Self::RecordCompanyData { actor, .. }
            | Self::SetCompanyLogo { actor, .. }
            | Self::RemoveCompanyLogo { actor } => actor,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Empresa {
    pub data: Option<CompanyData>,
    pub logo: Option<StoredFile>,
    /// Number of events applied.
    #[serde(default)]
    pub version: u64,
}

impl Empresa {
    /// Only administradores change the company; nothing leaves out of bounds.
    pub fn decide(&self, command: EmpresaCommand) -> Result<Vec<EmpresaEvent>, DomainError> {
        command
            .actor()
            .require_admin("cambiar los datos de la empresa")?;
        let by = command.actor().username.clone();
        let events = match command {
            EmpresaCommand::RecordCompanyData {
                data,
                expected_version,
                ..
            } => {
                if expected_version != self.version {
                    return Err(DomainError::EmpresaChanged);
                }
                data.validate()?;
                if self.data.as_ref() == Some(&data) {
                    vec![]
                } else {
                    vec![EmpresaEvent::CompanyDataRecorded { data, by }]
                }
            }
            EmpresaCommand::SetCompanyLogo { logo, .. } => {
                if self.logo.as_ref() == Some(&logo) {
                    vec![]
                } else {
                    vec![EmpresaEvent::CompanyLogoSet { logo, by }]
                }
            }
            EmpresaCommand::RemoveCompanyLogo { .. } => {
                if self.logo.is_none() {
                    return Err(DomainError::NoLogo);
                }
                vec![EmpresaEvent::CompanyLogoRemoved { by }]
            }
        };
        events.iter().try_for_each(EmpresaEvent::check_bounds)?;
        Ok(events)
    }

    pub fn apply_event(&mut self, event: EmpresaEvent) {
        self.version = self.version.saturating_add(1);
        match event {
            EmpresaEvent::CompanyDataRecorded { data, .. } => self.data = Some(data),
            EmpresaEvent::CompanyLogoSet { logo, .. } => self.logo = Some(logo),
            EmpresaEvent::CompanyLogoRemoved { .. } => self.logo = None,
        }
    }
}

aggregate_via_decide!(Empresa, "empresa", EmpresaCommand, EmpresaEvent);
