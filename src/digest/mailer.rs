//! Sends a digest over the backups' SMTP server and sender (`BACKUP_SMTP_*`, see
//! `backup::settings::smtp_from_vars`), with the same per-exchange timeouts and an overall deadline,
//! so a hung server is a recorded failure and never holds the scheduler.

use std::collections::HashMap;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, MultiPart, SinglePart};
use lettre::{AsyncTransport, Message};

use super::compose::Digest;
use super::{DigestError, Result};
use crate::backup::notify::{SMTP_TIMEOUT, transport};
use crate::backup::settings::{EmailConfig, smtp_from_vars};

/// The SMTP server (if any) and how long one email may take in all.
#[derive(Clone, Debug)]
pub struct Mailer {
    pub smtp: Option<EmailConfig>,
    /// The whole exchange of one email; a server that answers slowly at every step cannot exceed it.
    pub deadline: Duration,
}

/// What a digest run says when no SMTP server is configured.
pub const NO_SMTP: &str =
    "no hay servidor SMTP configurado (BACKUP_SMTP_HOST): los correos no se pueden enviar";

impl Mailer {
    pub fn new(smtp: Option<EmailConfig>) -> Self {
        Self {
            smtp,
            deadline: SMTP_TIMEOUT * 2,
        }
    }

    pub fn from_env() -> Result<Self> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::from_vars(&vars)
    }

    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self> {
        let smtp = smtp_from_vars(vars).map_err(|e| DigestError::Config(e.to_string()))?;
        Ok(Self::new(smtp))
    }

    /// Sends `digest` to one address (multipart: text and HTML); the error in words.
    pub async fn send(&self, to: &str, digest: &Digest) -> Result<()> {
        let smtp = self
            .smtp
            .as_ref()
            .ok_or_else(|| DigestError::Config(NO_SMTP.to_string()))?;
        let from = smtp.from.parse().map_err(|e| {
            DigestError::Config(format!("BACKUP_SMTP_FROM no es una dirección válida: {e}"))
        })?;
        let to = to
            .parse()
            .map_err(|e| DigestError::Email(format!("dirección inválida {to:?}: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(&digest.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(part(ContentType::TEXT_PLAIN, &digest.text)?)
                    .singlepart(part(ContentType::TEXT_HTML, &digest.html)?),
            )
            .map_err(|e| DigestError::Email(e.to_string()))?;
        let transport = transport(smtp).map_err(DigestError::Email)?;
        match tokio::time::timeout(self.deadline, transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(DigestError::Email(e.to_string())),
            Err(_) => Err(DigestError::Email(format!(
                "el servidor SMTP no respondió en {} s",
                self.deadline.as_secs()
            ))),
        }
    }
}

/// One part, quoted-printable: safe for any SMTP server (the HTML is one long line, beyond SMTP's
/// 998-character limit) and readable in the raw message.
fn part(content_type: ContentType, text: &str) -> Result<SinglePart> {
    let body = Body::new_with_encoding(text.to_string(), ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| DigestError::Email("cannot encode the body as quoted-printable".into()))?;
    Ok(SinglePart::builder().header(content_type).body(body))
}
