//! The `Usuario` aggregate: one per account, keyed by the username. Every change to an account is an
//! event in the log (who did it and when travel in the event metadata). Events carry the argon2id hash,
//! never the password.

use arriendo_events::actor::Role;
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

/// Commands on an account. Authorisation (who may issue them) is checked by the caller: the HTTP layer
/// (administrador-only routes, or the user themself) or the CLI (local operator).
#[derive(Debug, Clone)]
pub enum UserCommand {
    Create {
        role: Role,
        password_hash: String,
        /// Set by someone else (the first start, an administrador): to change at the first login.
        temporary: bool,
    },
    ChangeRole {
        role: Role,
    },
    Deactivate,
    Reactivate,
    /// The user changed their own password.
    ChangePassword {
        password_hash: String,
    },
    /// An administrador (or the CLI) set a new password.
    ResetPassword {
        password_hash: String,
        /// An administrador's temporary password: to change at the next login.
        temporary: bool,
    },
    /// Every open session of the user ends at its next request.
    EndSessions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UserEvent {
    /// 1.1: `temporary` (absent in 1.0, written only when true): the password must be changed at
    /// login.
    UserCreated {
        username: String,
        role: Role,
        password_hash: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        temporary: bool,
    },
    RoleChanged {
        role: Role,
    },
    UserDeactivated,
    UserReactivated,
    PasswordChanged {
        password_hash: String,
    },
    /// 1.1: `temporary`, as in `UserCreated`.
    PasswordReset {
        password_hash: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        temporary: bool,
    },
    SessionsEnded,
}

impl DomainEvent for UserEvent {
    fn event_type(&self) -> String {
        match self {
            UserEvent::UserCreated { .. } => "UserCreated",
            UserEvent::RoleChanged { .. } => "RoleChanged",
            UserEvent::UserDeactivated => "UserDeactivated",
            UserEvent::UserReactivated => "UserReactivated",
            UserEvent::PasswordChanged { .. } => "PasswordChanged",
            UserEvent::PasswordReset { .. } => "PasswordReset",
            UserEvent::SessionsEnded => "SessionsEnded",
        }
        .to_string()
    }

    /// 1.1 only for a payload that carries `temporary` (a 1.0 payload reads as not temporary), so
    /// the version stored always describes the payload's shape and old backups restore unchanged.
    fn event_version(&self) -> String {
        match self {
            UserEvent::UserCreated {
                temporary: true, ..
            }
            | UserEvent::PasswordReset {
                temporary: true, ..
            } => "1.1",
            _ => "1.0",
        }
        .to_string()
    }
}

/// Why an account command was refused; the messages are shown to web users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("el usuario ya existe")]
    AlreadyExists,
    #[error("el usuario no existe")]
    NotFound,
    #[error("el usuario ya tiene ese rol")]
    SameRole,
    #[error("el usuario ya está desactivado")]
    AlreadyInactive,
    #[error("el usuario ya está activo")]
    AlreadyActive,
    #[error("el usuario está desactivado")]
    Inactive,
}

/// The state of one account, rebuilt from its events.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Usuario {
    pub username: Option<String>,
    pub role: Option<Role>,
    pub active: bool,
}

impl Usuario {
    fn exists(&self) -> Result<(), UserError> {
        if self.username.is_some() {
            Ok(())
        } else {
            Err(UserError::NotFound)
        }
    }

    /// The events a command produces on this state (pure; `username` names a new account).
    pub fn decide(
        &self,
        username: &str,
        command: UserCommand,
    ) -> Result<Vec<UserEvent>, UserError> {
        if let UserCommand::Create {
            role,
            password_hash,
            temporary,
        } = command
        {
            if self.username.is_some() {
                return Err(UserError::AlreadyExists);
            }
            return Ok(vec![UserEvent::UserCreated {
                username: username.to_string(),
                role,
                password_hash,
                temporary,
            }]);
        }
        self.exists()?;
        let event = match command {
            UserCommand::Create { .. } => return Err(UserError::AlreadyExists),
            UserCommand::ChangeRole { role } => {
                if self.role == Some(role) {
                    return Err(UserError::SameRole);
                }
                UserEvent::RoleChanged { role }
            }
            UserCommand::Deactivate => {
                if !self.active {
                    return Err(UserError::AlreadyInactive);
                }
                UserEvent::UserDeactivated
            }
            UserCommand::Reactivate => {
                if self.active {
                    return Err(UserError::AlreadyActive);
                }
                UserEvent::UserReactivated
            }
            UserCommand::ChangePassword { password_hash } => {
                if !self.active {
                    return Err(UserError::Inactive);
                }
                UserEvent::PasswordChanged { password_hash }
            }
            UserCommand::ResetPassword {
                password_hash,
                temporary,
            } => UserEvent::PasswordReset {
                password_hash,
                temporary,
            },
            UserCommand::EndSessions => UserEvent::SessionsEnded,
        };
        Ok(vec![event])
    }
}

/// The aggregate needs its own id to record it in `UserCreated`; cqrs-es does not pass it to `handle`,
/// so `Create` goes through [`UserCommandWithId`].
#[derive(Debug, Clone)]
pub struct UserCommandWithId {
    pub username: String,
    pub command: UserCommand,
}

impl Aggregate for Usuario {
    const TYPE: &'static str = "usuario";
    type Command = UserCommandWithId;
    type Event = UserEvent;
    type Error = UserError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(&command.username, command.command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            UserEvent::UserCreated { username, role, .. } => {
                self.username = Some(username);
                self.role = Some(role);
                self.active = true;
            }
            UserEvent::RoleChanged { role } => self.role = Some(role),
            UserEvent::UserDeactivated => self.active = false,
            UserEvent::UserReactivated => self.active = true,
            UserEvent::PasswordChanged { .. }
            | UserEvent::PasswordReset { .. }
            | UserEvent::SessionsEnded => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn created() -> Usuario {
        let mut user = Usuario::default();
        for event in user
            .decide(
                "ana",
                UserCommand::Create {
                    role: Role::Gestor,
                    password_hash: "h".into(),
                    temporary: false,
                },
            )
            .unwrap()
        {
            user.apply(event);
        }
        user
    }

    #[test]
    fn lifecycle_rules() {
        let mut user = created();
        assert_eq!(user.role, Some(Role::Gestor));
        assert_eq!(
            user.decide(
                "ana",
                UserCommand::Create {
                    role: Role::Gestor,
                    password_hash: "h".into(),
                    temporary: true,
                }
            ),
            Err(UserError::AlreadyExists)
        );
        assert_eq!(
            user.decide("ana", UserCommand::ChangeRole { role: Role::Gestor }),
            Err(UserError::SameRole)
        );
        for event in user.decide("ana", UserCommand::Deactivate).unwrap() {
            user.apply(event);
        }
        assert!(!user.active);
        assert_eq!(
            user.decide(
                "ana",
                UserCommand::ChangePassword {
                    password_hash: "x".into()
                }
            ),
            Err(UserError::Inactive)
        );
        assert_eq!(
            Usuario::default().decide("bob", UserCommand::EndSessions),
            Err(UserError::NotFound)
        );
    }

    #[test]
    fn a_password_set_by_someone_else_is_temporary_and_reads_as_1_0_without_the_flag() {
        let event = UserEvent::PasswordReset {
            password_hash: "h".into(),
            temporary: true,
        };
        assert_eq!(event.event_version(), "1.1");
        let own_choice = UserEvent::PasswordReset {
            password_hash: "h".into(),
            temporary: false,
        };
        assert_eq!(own_choice.event_version(), "1.0");
        let old: UserEvent =
            serde_json::from_str(r#"{"PasswordReset":{"password_hash":"h"}}"#).unwrap();
        assert_eq!(
            old,
            UserEvent::PasswordReset {
                password_hash: "h".into(),
                temporary: false
            }
        );
        let own = serde_json::to_string(&UserEvent::PasswordReset {
            password_hash: "h".into(),
            temporary: false,
        })
        .unwrap();
        assert_eq!(own, r#"{"PasswordReset":{"password_hash":"h"}}"#);
    }
}
