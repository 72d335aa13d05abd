//! E-mail addresses (shape only; nobody is mailed from here).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::quoted;
use crate::DomainError;

/// An e-mail address with a plausible shape: `local@domain.tld`, no spaces, lower-cased domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, DomainError> {
        let trimmed = text.trim();
        let invalid = || DomainError::InvalidEmail(quoted(trimmed));
        let (local, domain) = trimmed.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty()
            || !domain_ok
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
            || trimmed.len() > 254
        {
            return Err(invalid());
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Email::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plausible_addresses() {
        assert_eq!(
            Email::parse(" ana.perez@Empresa.COM.co ").unwrap().as_str(),
            "ana.perez@empresa.com.co"
        );
    }

    #[test]
    fn refuses_bad_shapes_in_spanish() {
        assert_eq!(
            Email::parse("ana").unwrap_err().to_string(),
            "«ana» no es un correo electrónico válido"
        );
        for text in [
            "",
            "@x.co",
            "ana@",
            "ana@co",
            "ana@x..co",
            "ana @x.co",
            "a@b@c.co",
            "ana@.co",
            "ana\u{0}@x.co",
        ] {
            assert!(Email::parse(text).is_err(), "{text}");
        }
    }
}
