//! Who issues a command, and what their role allows.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything a gestor does, plus approvals, users and backups.
    Administrador,
    /// Enters contracts, amendments, policies and sales reports.
    Gestor,
    /// Reads everything, changes nothing.
    Auditor,
}

/// The authenticated user behind a command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub username: String,
    pub role: Role,
}

impl Actor {
    pub fn new(username: impl Into<String>, role: Role) -> Actor {
        Actor {
            username: username.into(),
            role,
        }
    }

    pub fn can_write(&self) -> bool {
        self.role != Role::Auditor
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Administrador
    }

    /// Refuses auditors: "su rol de auditor solo permite consultar".
    pub fn require_write(&self) -> Result<(), DomainError> {
        if self.can_write() {
            Ok(())
        } else {
            Err(DomainError::AuditorReadOnly)
        }
    }

    /// Refuses everyone but administradores: "solo un administrador puede {action}".
    pub fn require_admin(&self, action: &'static str) -> Result<(), DomainError> {
        self.require_write()?;
        if self.is_admin() {
            Ok(())
        } else {
            Err(DomainError::AdminOnly(action))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_serialise_lowercase() {
        assert_eq!(
            serde_json::to_string(&Role::Administrador).unwrap(),
            "\"administrador\""
        );
    }

    #[test]
    fn what_each_role_may_do() {
        let admin = Actor::new("ana", Role::Administrador);
        let gestor = Actor::new("gus", Role::Gestor);
        let auditor = Actor::new("aud", Role::Auditor);
        assert!(admin.require_admin("aprobar un Otro Sí").is_ok());
        assert_eq!(
            gestor
                .require_admin("aprobar un Otro Sí")
                .unwrap_err()
                .to_string(),
            "solo un administrador puede aprobar un Otro Sí"
        );
        assert!(gestor.require_write().is_ok());
        assert_eq!(
            auditor.require_write().unwrap_err().to_string(),
            "su rol de auditor solo permite consultar"
        );
        assert_eq!(
            auditor.require_admin("aprobar un Otro Sí"),
            Err(DomainError::AuditorReadOnly)
        );
    }
}
