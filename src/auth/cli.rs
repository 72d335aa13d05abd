//! `arriendo user …` and `arriendo lockout …`.

use std::io::{BufRead, IsTerminal};

use clap::{Subcommand, ValueEnum};

use super::{AuthError, lockout, role_name, users};
use crate::app::{App, AppError};
use crate::store::Metadata;
use arriendo_events::actor::Role;

#[derive(Debug, Subcommand)]
pub enum UserCli {
    /// Create an account.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an account (its open sessions end).
    Passwd {
        name: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum LockoutCli {
    /// List (username, IP) pairs with failed logins, and their locks.
    List,
    /// Lift locks; without filters, every lock.
    Reset {
        #[arg(long)]
        user: Option<String>,
        #[arg(long)]
        ip: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Administrador,
    Gestor,
    Auditor,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Administrador => Role::Administrador,
            RoleArg::Gestor => Role::Gestor,
            RoleArg::Auditor => Role::Auditor,
        }
    }
}

impl From<AuthError> for AppError {
    fn from(err: AuthError) -> Self {
        match err {
            AuthError::Invalid(m) => AppError::Usage(m),
            AuthError::Config(m) => AppError::Usage(m),
            AuthError::Store(e) => AppError::Store(e),
            other => AppError::Failed(other.to_string()),
        }
    }
}

fn read_password(from_stdin: bool) -> Result<String, AppError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(AppError::Usage(
            "no terminal to prompt for the password: use --password-stdin".into(),
        ));
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat the password: ")?;
    if first != second {
        return Err(AppError::Usage("the passwords do not match".into()));
    }
    Ok(first)
}

pub async fn run_user(app: &App, command: UserCli) -> Result<(), AppError> {
    match command {
        UserCli::Add {
            name,
            role,
            password_stdin,
        } => {
            let name = users::normalize_username(&name)?;
            let password = read_password(password_stdin)?;
            let name =
                users::create(app, &name, role.into(), password, Metadata::system("cli")).await?;
            println!("User {name} created ({}).", role_name(role.into()));
        }
        UserCli::Passwd {
            name,
            password_stdin,
        } => {
            let name = users::normalize_username(&name)?;
            if users::find(&app.db, &name).await?.is_none() {
                return Err(AppError::Usage(format!("no user named {name}")));
            }
            let password = read_password(password_stdin)?;
            users::reset_password(app, &name, password, Metadata::system("cli")).await?;
            println!("Password of {name} changed; their open sessions have ended.");
        }
        UserCli::List => {
            println!("{:<24} {:<14} {:<8} created", "user", "role", "active");
            for user in users::list(&app.db).await? {
                println!(
                    "{:<24} {:<14} {:<8} {}",
                    user.username,
                    role_name(user.role),
                    if user.active { "yes" } else { "no" },
                    user.created_at
                );
            }
        }
    }
    Ok(())
}

pub async fn run_lockout(app: &App, command: LockoutCli) -> Result<(), AppError> {
    match command {
        LockoutCli::List => {
            println!(
                "{:<24} {:<40} {:<9} {:<28} locked until",
                "user", "ip", "failures", "last failure"
            );
            for l in lockout::list(&app.db).await? {
                println!(
                    "{:<24} {:<40} {:<9} {:<28} {}",
                    l.username,
                    l.ip,
                    l.failures,
                    l.last_failure_at,
                    l.locked_until.as_deref().unwrap_or("-")
                );
            }
        }
        LockoutCli::Reset { user, ip } => {
            let user = user.map(|u| u.trim().to_lowercase());
            let lifted = lockout::lift(
                &app.db,
                user.as_deref(),
                ip.as_deref(),
                "cli",
                app.auth.now(),
            )
            .await?;
            println!("{} lockout(s) reset.", lifted.len());
        }
    }
    Ok(())
}
