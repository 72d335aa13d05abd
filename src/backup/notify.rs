//! Email on success and on failure (lettre over SMTP). Bodies in Spanish: they are read by people.

use lettre::message::Body;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::error::{BackupError, Result};
use super::runs::{self, BackupRun, RunKind, RunStatus};
use super::settings::{BackupSettings, EmailConfig, SmtpTls};
use crate::App;

/// Subject and body of the notification for a finished run.
pub fn compose(run: &BackupRun, host: &str) -> (String, String) {
    let ok = run.status == RunStatus::Success;
    let drill = run.kind == RunKind::Drill;
    let what = if drill {
        "simulacro de restauración"
    } else {
        "respaldo"
    };
    let subject = if ok {
        format!(
            "[Arriendo] {} exitoso {}",
            if drill {
                "Simulacro de restauración"
            } else {
                "Respaldo"
            },
            run.name.as_deref().unwrap_or("")
        )
    } else {
        format!(
            "[Arriendo] ERROR en el {what} {}",
            run.name.as_deref().unwrap_or("")
        )
    };
    let mut body = String::new();
    body.push_str(&if ok {
        format!("El {what} terminó correctamente.\n\n")
    } else {
        format!("El {what} FALLÓ.\n\n")
    });
    body.push_str(&format!("Servidor: {host}\n"));
    body.push_str(&format!(
        "Respaldo: {}\n",
        run.name.as_deref().unwrap_or("(sin nombre)")
    ));
    body.push_str(&format!(
        "Inicio: {} UTC\n",
        run.started_at.format("%Y-%m-%d %H:%M:%S")
    ));
    if let Some(d) = run.duration() {
        body.push_str(&format!(
            "Duración: {:.1} s\n",
            d.num_milliseconds() as f64 / 1000.0
        ));
    }
    if let Some(count) = run.event_count {
        body.push_str(&format!(
            "Eventos: {count} (última posición {})\n",
            run.last_position.unwrap_or(0)
        ));
    }
    if !run.files.is_empty() {
        body.push_str("\nArchivos:\n");
        for f in &run.files {
            body.push_str(&format!(
                "  - {} ({}), SHA-256 {}\n",
                f.name,
                arriendo_events::format_size(f.size),
                f.sha256
            ));
        }
    }
    if !run.targets.is_empty() {
        body.push_str(if drill {
            "\nCopias restauradas:\n"
        } else {
            "\nDestinos remotos:\n"
        });
        let done = if drill { "restaurado" } else { "copiado" };
        for t in &run.targets {
            match &t.error {
                None => body.push_str(&format!("  - {} ({}): {done}\n", t.target, t.location)),
                Some(e) => {
                    body.push_str(&format!("  - {} ({}): ERROR {e}\n", t.target, t.location))
                }
            }
        }
    }
    if let Some(error) = &run.error {
        body.push_str(&format!("\nError: {error}\n"));
        body.push_str("\nRevise la guía docs/respaldos.md, sección «Solución de problemas».\n");
    }
    (subject, body)
}

/// Mails the outcome of the recorded run `id` when e-mail is configured; returns why it was not
/// sent (logged too). A missing mail never fails the run itself.
pub async fn send_for_run(app: &App, settings: &BackupSettings, id: &str) -> Option<String> {
    let email = settings.email.as_ref()?;
    let run = match runs::by_id(&app.db, id).await {
        Ok(Some(run)) => run,
        Ok(None) => return None,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the run to mail");
            return Some(e.to_string());
        }
    };
    match send(email, &run).await {
        Ok(()) => {
            tracing::info!(recipients = email.recipients.len(), kind = ?run.kind, "backup email sent");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, kind = ?run.kind, "backup email not sent");
            Some(e.to_string())
        }
    }
}

pub async fn send(config: &EmailConfig, run: &BackupRun) -> Result<()> {
    let host = gethostname();
    let (subject, body) = compose(run, &host);
    let from = config
        .from
        .parse()
        .map_err(|e| BackupError::Config(format!("BACKUP_SMTP_FROM is not an address: {e}")))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN);
    for r in &config.recipients {
        builder = builder.to(r.parse().map_err(|e| {
            BackupError::Config(format!(
                "BACKUP_EMAIL_RECIPIENTS has a bad address {r:?}: {e}"
            ))
        })?);
    }
    // lettre picks the transfer encoding: 8-bit UTF-8 when every line fits, quoted-printable otherwise
    // (a long error message from a remote target can exceed SMTP's 998-character line limit).
    let body = Body::new(body);
    let message = builder
        .body(body)
        .map_err(|e| BackupError::Email(e.to_string()))?;
    let transport = transport(config).map_err(BackupError::Email)?;
    transport
        .send(message)
        .await
        .map_err(|e| BackupError::Email(e.to_string()))?;
    Ok(())
}

/// How long one SMTP exchange may wait (connect, each reply): the backups' and the digests'.
pub const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The SMTP transport of `config` (TLS mode, port, credentials, [`SMTP_TIMEOUT`]); the error in
/// words.
pub fn transport(
    config: &EmailConfig,
) -> std::result::Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let mut builder = match config.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
            .map_err(|e| e.to_string())?,
        SmtpTls::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(|e| e.to_string())?
        }
    }
    .port(config.port)
    .timeout(Some(SMTP_TIMEOUT));
    if let (Some(user), Some(password)) = (&config.user, &config.password) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

pub(crate) fn gethostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "arriendo".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::manifest::{FileKind, ManifestFile};
    use crate::backup::runs::{RunKind, RunStatus, Trigger};

    #[test]
    fn sizes_read_as_on_every_page() {
        let file = |name: &str, size: u64| ManifestFile {
            name: name.into(),
            kind: FileKind::Json,
            size,
            sha256: "ab".into(),
            compressed: false,
            encrypted: false,
            event_count: None,
            last_position: None,
        };
        let run = BackupRun {
            id: "1".into(),
            kind: RunKind::Backup,
            trigger: Trigger::Scheduled,
            started_at: chrono::Utc::now(),
            finished_at: None,
            status: RunStatus::Success,
            name: Some("backup_20250101_000000".into()),
            total_bytes: Some(1_572_864),
            event_count: Some(3),
            last_position: Some(3),
            files: vec![file("a.json", 870_400), file("b.sqlite3", 1_572_864)],
            targets: Vec::new(),
            error: None,
        };
        let (_, body) = compose(&run, "servidor");
        assert!(body.contains("a.json (850 KB)"), "{body}");
        assert!(body.contains("b.sqlite3 (1,5 MB)"), "{body}");
    }
}
