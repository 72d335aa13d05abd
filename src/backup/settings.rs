//! Backup configuration, read from the environment (names of the old system kept where they exist).
//! Credentials stay in this struct: never logged (Debug redacts them), never passed to a child's
//! environment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::deadline::RemoteTimeouts;
use super::error::{BackupError, Result};
use super::json::{Limits, MIB};

/// A secret that never shows in logs or `Debug` output.
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Clone, Debug)]
pub enum TargetConfig {
    /// A folder, usually synced by OneDrive or Google Drive.
    LocalCopy {
        name: String,
        path: PathBuf,
    },
    S3 {
        bucket: String,
        access_key: Option<Secret>,
        secret_key: Option<Secret>,
        region: String,
        endpoint: Option<String>,
        prefix: String,
    },
    Sftp(SftpConfig),
    Gcs {
        bucket: String,
        service_account_path: Option<PathBuf>,
        prefix: String,
    },
    Azure {
        account: String,
        container: String,
        access_key: Option<Secret>,
        prefix: String,
    },
}

impl TargetConfig {
    pub fn name(&self) -> &str {
        match self {
            TargetConfig::LocalCopy { name, .. } => name,
            TargetConfig::S3 { .. } => "s3",
            TargetConfig::Sftp(_) => "sftp",
            TargetConfig::Gcs { .. } => "gcs",
            TargetConfig::Azure { .. } => "azure",
        }
    }
}

#[derive(Clone, Debug)]
pub struct SftpConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Option<Secret>,
    pub key_file: Option<PathBuf>,
    /// `SHA256:…` as printed by `ssh-keygen -lf`.
    pub host_key_fingerprint: Option<String>,
    pub known_hosts_file: Option<PathBuf>,
    pub path: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

#[derive(Clone, Debug)]
pub struct EmailConfig {
    pub recipients: Vec<String>,
    pub from: String,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub tls: SmtpTls,
}

#[derive(Clone, Debug)]
pub struct BackupSettings {
    pub output_dir: PathBuf,
    pub keep_days: u32,
    pub compress: bool,
    /// Who can decrypt the files (age `age1…` or SSH `ssh-ed25519`/`ssh-rsa` public keys); files
    /// are encrypted as they are written when there is at least one. From
    /// `BACKUP_ENCRYPTION_RECIPIENT` (one), `BACKUP_ENCRYPTION_RECIPIENTS` (comma- or
    /// newline-separated) and `BACKUP_ENCRYPTION_RECIPIENTS_FILE` (one a line, `#` comments).
    pub encryption_recipients: Vec<String>,
    /// age identity file, needed to restore or verify encrypted backups.
    pub encryption_identity_file: Option<PathBuf>,
    pub remote_enabled: bool,
    pub targets: Vec<TargetConfig>,
    /// Set when a destination was named but is not fully configured: reported when a remote copy is asked.
    pub target_errors: Vec<String>,
    /// Connect timeout and deadlines of every remote operation (`BACKUP_REMOTE_*_TIMEOUT_SECS`).
    pub remote_timeouts: RemoteTimeouts,
    pub email: Option<EmailConfig>,
    pub schedule: String,
    pub drill_schedule: String,
    pub timezone: chrono_tz::Tz,
    /// Needed by pg_dump; read from `DATABASE_URL`, or given by the CLI.
    pub database_url: Option<Secret>,
    pub pg_dump: PathBuf,
    pub pg_restore: PathBuf,
    /// How much of a JSON backup restores, verify and drills read (`BACKUP_RESTORE_MAX_*`).
    pub restore_limits: Limits,
    /// How often `serve` ships new events to the remote destinations as segments
    /// (`BACKUP_SHIP_INTERVAL_SECS`, 10 s; 0 turns shipping off). Only with remote copies on.
    pub ship_interval: Option<std::time::Duration>,
    /// Without destinations, how long a server that does not hold the newest set waits before it
    /// takes the scheduled drill itself (`BACKUP_DRILL_DEFER_SECS`, 120 s): the server that wrote the
    /// set claims it first.
    pub drill_defer: std::time::Duration,
    /// Scheduled backups write a full set when the newest chain's is this many days old, an
    /// incremental one otherwise (`BACKUP_FULL_EVERY_DAYS`, 7; 0: only full sets).
    pub full_every_days: u32,
}

fn truthy(value: Option<&String>) -> bool {
    value.is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "si" | "sí" | "on"
        )
    })
}

fn positive(value: &str, name: &str) -> Result<u64> {
    value
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| BackupError::Config(format!("{name} is not a positive number: {value:?}")))
}

/// A value given directly or through `NAME_FILE` (a file holding it, for secrets).
fn value_or_file(vars: &HashMap<String, String>, name: &str) -> Result<Option<String>> {
    if let Some(v) = vars.get(name).filter(|v| !v.is_empty()) {
        return Ok(Some(v.clone()));
    }
    match vars.get(&format!("{name}_FILE")).filter(|v| !v.is_empty()) {
        Some(path) => std::fs::read_to_string(path)
            .map(|s| Some(s.trim().to_string()))
            .map_err(|e| BackupError::Config(format!("cannot read {name}_FILE {path}: {e}"))),
        None => Ok(None),
    }
}

impl BackupSettings {
    /// Defaults for a data folder: backups in `DATA_DIR/backups`, 30 days, no remote, no email.
    pub fn defaults(data_dir: &Path) -> Self {
        Self {
            output_dir: data_dir.join("backups"),
            keep_days: 30,
            compress: false,
            encryption_recipients: Vec::new(),
            encryption_identity_file: None,
            remote_enabled: false,
            targets: Vec::new(),
            target_errors: Vec::new(),
            remote_timeouts: RemoteTimeouts::default(),
            email: None,
            schedule: "0 0 2 * * *".into(),
            drill_schedule: "0 0 4 * * Sun".into(),
            timezone: chrono_tz::America::Bogota,
            database_url: None,
            pg_dump: "pg_dump".into(),
            pg_restore: "pg_restore".into(),
            restore_limits: Limits::default(),
            ship_interval: Some(std::time::Duration::from_secs(10)),
            drill_defer: std::time::Duration::from_secs(120),
            full_every_days: 7,
        }
    }

    pub fn from_env(data_dir: &Path) -> Result<Self> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::from_vars(data_dir, &vars)
    }

    pub fn from_vars(data_dir: &Path, vars: &HashMap<String, String>) -> Result<Self> {
        let mut s = Self::defaults(data_dir);
        let get = |k: &str| vars.get(k).filter(|v| !v.trim().is_empty()).cloned();
        if let Some(dir) = get("BACKUP_OUTPUT_DIR") {
            s.output_dir = dir.into();
        }
        if let Some(days) = get("BACKUP_KEEP_DAYS") {
            s.keep_days = days.trim().parse().map_err(|_| {
                BackupError::Config(format!("BACKUP_KEEP_DAYS is not a number: {days:?}"))
            })?;
        }
        if let Some(days) = get("BACKUP_FULL_EVERY_DAYS") {
            s.full_every_days = days.trim().parse().map_err(|_| {
                BackupError::Config(format!("BACKUP_FULL_EVERY_DAYS is not a number: {days:?}"))
            })?;
        }
        s.compress = truthy(vars.get("BACKUP_COMPRESS"));
        s.encryption_recipients = recipients_from_vars(vars)?;
        s.encryption_identity_file = get("BACKUP_ENCRYPTION_IDENTITY_FILE").map(PathBuf::from);
        s.remote_enabled = truthy(vars.get("BACKUP_REMOTE_ENABLED"));
        s.remote_timeouts = RemoteTimeouts::from_vars(vars)?;
        if let Some(schedule) = get("BACKUP_SCHEDULE") {
            s.schedule = schedule;
        }
        if let Some(schedule) = get("BACKUP_DRILL_SCHEDULE") {
            s.drill_schedule = schedule;
        }
        if let Some(tz) = get("BACKUP_TIMEZONE") {
            s.timezone = tz.parse().map_err(|_| {
                BackupError::Config(format!("BACKUP_TIMEZONE is not a time zone: {tz:?}"))
            })?;
        }
        s.database_url = get("DATABASE_URL").map(Secret::new);
        if let Some(p) = get("BACKUP_PG_DUMP") {
            s.pg_dump = p.into();
        }
        if let Some(p) = get("BACKUP_PG_RESTORE") {
            s.pg_restore = p.into();
        }
        if let Some(mib) = get("BACKUP_RESTORE_MAX_MIB") {
            s.restore_limits.max_total_bytes = positive(&mib, "BACKUP_RESTORE_MAX_MIB")?
                .checked_mul(MIB)
                .ok_or_else(|| {
                    BackupError::Config(format!("BACKUP_RESTORE_MAX_MIB is too large: {mib:?}"))
                })?;
        }
        if let Some(kib) = get("BACKUP_RESTORE_MAX_LINE_KIB") {
            s.restore_limits.max_line_bytes = positive(&kib, "BACKUP_RESTORE_MAX_LINE_KIB")?
                .checked_mul(1024)
                .and_then(|b| usize::try_from(b).ok())
                .ok_or_else(|| {
                    BackupError::Config(format!(
                        "BACKUP_RESTORE_MAX_LINE_KIB is too large: {kib:?}"
                    ))
                })?;
        }
        if let Some(secs) = get("BACKUP_SHIP_INTERVAL_SECS") {
            let secs: u64 = secs.trim().parse().map_err(|_| {
                BackupError::Config(format!(
                    "BACKUP_SHIP_INTERVAL_SECS is not a number of seconds: {secs:?}"
                ))
            })?;
            s.ship_interval = (secs > 0).then(|| std::time::Duration::from_secs(secs));
        }
        if let Some(secs) = get("BACKUP_DRILL_DEFER_SECS") {
            s.drill_defer = std::time::Duration::from_secs(secs.trim().parse().map_err(|_| {
                BackupError::Config(format!(
                    "BACKUP_DRILL_DEFER_SECS is not a number of seconds: {secs:?}"
                ))
            })?);
        }
        for destination in get("BACKUP_REMOTE_DESTINATION")
            .unwrap_or_default()
            .split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .filter(|d| !d.is_empty())
        {
            match target_from_vars(&destination, vars) {
                Ok(target) => s.targets.push(target),
                Err(BackupError::Config(message)) => s.target_errors.push(message),
                Err(other) => return Err(other),
            }
        }
        if truthy(vars.get("BACKUP_EMAIL_NOTIFICATIONS")) {
            let recipients: Vec<String> = get("BACKUP_EMAIL_RECIPIENTS")
                .unwrap_or_default()
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            if recipients.is_empty() {
                return Err(BackupError::Config(
                    "BACKUP_EMAIL_NOTIFICATIONS is on but BACKUP_EMAIL_RECIPIENTS is empty".into(),
                ));
            }
            let mut email = smtp_from_vars(vars)?.ok_or_else(|| {
                BackupError::Config(
                    "BACKUP_EMAIL_NOTIFICATIONS is on but BACKUP_SMTP_HOST is not set".into(),
                )
            })?;
            email.recipients = recipients;
            s.email = Some(email);
        }
        Ok(s)
    }

    /// Set when destinations are configured but remote copies are off: backups then stay on this
    /// server only, which is rarely what was meant.
    pub fn remote_disabled_warning(&self) -> Option<String> {
        (!self.remote_enabled && (!self.targets.is_empty() || !self.target_errors.is_empty())).then(|| {
            "remote destinations are configured (BACKUP_REMOTE_DESTINATION) but remote copies are off \
             (BACKUP_REMOTE_ENABLED is not true): this backup stays on this server only"
                .to_string()
        })
    }

    /// Targets selected by name (`--target`); all when `names` is empty.
    pub fn selected_targets(&self, names: &[String]) -> Result<Vec<TargetConfig>> {
        if names.is_empty() {
            return Ok(self.targets.clone());
        }
        names
            .iter()
            .map(|n| {
                self.targets
                    .iter()
                    .find(|t| t.name().eq_ignore_ascii_case(n))
                    .cloned()
                    .ok_or_else(|| {
                        BackupError::Config(format!(
                            "remote target {n:?} is not configured (BACKUP_REMOTE_DESTINATION)"
                        ))
                    })
            })
            .collect()
    }
}

/// The encryption recipients of every `BACKUP_ENCRYPTION_RECIPIENT*` variable, each once, checked.
fn recipients_from_vars(vars: &HashMap<String, String>) -> Result<Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // Keys hold no comma: a comma separates keys given on one line.
            for key in line.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                if !all.iter().any(|k| k == key) {
                    all.push(key.to_string());
                }
            }
        }
    };
    if let Some(one) = vars.get("BACKUP_ENCRYPTION_RECIPIENT") {
        add(one);
    }
    if let Some(list) = vars.get("BACKUP_ENCRYPTION_RECIPIENTS") {
        add(list);
    }
    if let Some(path) = vars
        .get("BACKUP_ENCRYPTION_RECIPIENTS_FILE")
        .filter(|p| !p.trim().is_empty())
    {
        let text = std::fs::read_to_string(path.trim()).map_err(|e| {
            BackupError::Config(format!(
                "cannot read BACKUP_ENCRYPTION_RECIPIENTS_FILE {path}: {e}"
            ))
        })?;
        add(&text);
    }
    super::pipeline::parse_recipients(&all)?;
    Ok(all)
}

/// The SMTP server and sender (`BACKUP_SMTP_*`, or `EMAIL_HOST`), without recipients: the backups'
/// notifications and the alert digests share it. `None` when no host is set.
pub fn smtp_from_vars(vars: &HashMap<String, String>) -> Result<Option<EmailConfig>> {
    let get = |k: &str| vars.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let Some(host) = get("BACKUP_SMTP_HOST").or_else(|| get("EMAIL_HOST")) else {
        return Ok(None);
    };
    let tls = match get("BACKUP_SMTP_TLS")
        .unwrap_or_else(|| "starttls".into())
        .to_ascii_lowercase()
        .as_str()
    {
        "none" | "off" | "false" => SmtpTls::None,
        "tls" | "ssl" => SmtpTls::Tls,
        _ => SmtpTls::StartTls,
    };
    let default_port = match tls {
        SmtpTls::None => 25,
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
    };
    let port = match get("BACKUP_SMTP_PORT") {
        Some(p) => p
            .trim()
            .parse()
            .map_err(|_| BackupError::Config(format!("BACKUP_SMTP_PORT is not a port: {p:?}")))?,
        None => default_port,
    };
    Ok(Some(EmailConfig {
        recipients: Vec::new(),
        from: get("BACKUP_SMTP_FROM").unwrap_or_else(|| "arriendo@localhost".into()),
        host,
        port,
        user: get("BACKUP_SMTP_USER"),
        password: value_or_file(vars, "BACKUP_SMTP_PASSWORD")?.map(Secret::new),
        tls,
    }))
}

fn target_from_vars(destination: &str, vars: &HashMap<String, String>) -> Result<TargetConfig> {
    let get = |k: &str| vars.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let need = |k: &str| {
        get(k).ok_or_else(|| {
            BackupError::Config(format!("destination {destination}: {k} is not set"))
        })
    };
    let prefix = get("BACKUP_REMOTE_PREFIX").unwrap_or_else(|| "arriendo".into());
    Ok(match destination {
        "local_copy" | "onedrive" | "google_drive" => {
            let var = match destination {
                "onedrive" => "BACKUP_ONEDRIVE_PATH",
                "google_drive" => "BACKUP_GOOGLE_DRIVE_PATH",
                _ => "BACKUP_LOCAL_COPY_PATH",
            };
            let path = get(var)
                .or_else(|| get("BACKUP_LOCAL_COPY_PATH"))
                .ok_or_else(|| {
                    BackupError::Config(format!("destination {destination}: {var} is not set"))
                })?;
            TargetConfig::LocalCopy {
                name: destination.to_string(),
                path: path.into(),
            }
        }
        "s3" => TargetConfig::S3 {
            bucket: need("BACKUP_AWS_S3_BUCKET")?,
            access_key: value_or_file(vars, "BACKUP_AWS_ACCESS_KEY")?.map(Secret::new),
            secret_key: value_or_file(vars, "BACKUP_AWS_SECRET_KEY")?.map(Secret::new),
            region: get("BACKUP_AWS_REGION").unwrap_or_else(|| "us-east-1".into()),
            endpoint: get("BACKUP_S3_ENDPOINT"),
            prefix: get("BACKUP_S3_PREFIX").unwrap_or(prefix),
        },
        "sftp" => {
            let port = match get("BACKUP_SFTP_PORT") {
                Some(p) => p.trim().parse().map_err(|_| {
                    BackupError::Config(format!("BACKUP_SFTP_PORT is not a port: {p:?}"))
                })?,
                None => 22,
            };
            let config = SftpConfig {
                host: need("BACKUP_SFTP_HOST")?,
                port,
                user: need("BACKUP_SFTP_USER")?,
                password: value_or_file(vars, "BACKUP_SFTP_PASSWORD")?.map(Secret::new),
                key_file: get("BACKUP_SFTP_KEY_FILE").map(PathBuf::from),
                host_key_fingerprint: get("BACKUP_SFTP_HOST_KEY_FINGERPRINT"),
                known_hosts_file: get("BACKUP_SFTP_KNOWN_HOSTS").map(PathBuf::from),
                path: need("BACKUP_SFTP_PATH")?,
            };
            if config.host_key_fingerprint.is_none() && config.known_hosts_file.is_none() {
                return Err(BackupError::Config(
                    "destination sftp: the host key is always verified; set BACKUP_SFTP_HOST_KEY_FINGERPRINT (SHA256:…) or BACKUP_SFTP_KNOWN_HOSTS".into(),
                ));
            }
            if config.password.is_none() && config.key_file.is_none() {
                return Err(BackupError::Config(
                    "destination sftp: set BACKUP_SFTP_KEY_FILE or BACKUP_SFTP_PASSWORD".into(),
                ));
            }
            TargetConfig::Sftp(config)
        }
        "gcs" => TargetConfig::Gcs {
            bucket: need("BACKUP_GCS_BUCKET")?,
            service_account_path: get("BACKUP_GCS_SERVICE_ACCOUNT_FILE").map(PathBuf::from),
            prefix,
        },
        "azure" => TargetConfig::Azure {
            account: need("BACKUP_AZURE_ACCOUNT")?,
            container: need("BACKUP_AZURE_CONTAINER")?,
            access_key: value_or_file(vars, "BACKUP_AZURE_ACCESS_KEY")?.map(Secret::new),
            prefix,
        },
        other => {
            return Err(BackupError::Config(format!(
                "unknown BACKUP_REMOTE_DESTINATION {other:?} (expected local_copy, onedrive, google_drive, s3, sftp, gcs or azure)"
            )));
        }
    })
}
