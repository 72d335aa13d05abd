//! Time limits for everything that talks to a remote target: nothing external runs without one.
//!
//! A remote that accepts the connection and then stops answering (a stopped sshd, a frozen S3
//! gateway) used to keep `arriendo backup` waiting forever: no record, no email, and on PostgreSQL the
//! scheduler's lock held so the next nights were skipped. Every remote operation now has:
//! - a connect timeout (`BACKUP_REMOTE_CONNECT_TIMEOUT_SECS`, 10 s): a reachable host answers a TCP
//!   connection in milliseconds; 10 s leaves room for a slow VPN;
//! - a deadline (`BACKUP_REMOTE_TIMEOUT_SECS`, 60 s) for operations without a large payload
//!   (handshake and login, a listing, reading a manifest, a delete);
//! - for transfers, that deadline plus the time the file takes at a minimum rate
//!   (`BACKUP_REMOTE_MIN_RATE_KIB`, 256 KiB/s, about 2 Mbit/s): a 1 GiB file may take 60 s + 68 min,
//!   a hung server is still caught, and a large backup on a slow but working link is not cut off.
//!
//! A timeout is a failure like any other: the run is recorded as failed, the email goes out, the locks
//! are released.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use super::error::{BackupError, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemoteTimeouts {
    /// Establishing the TCP connection.
    pub connect: Duration,
    /// An operation without a large payload, and the floor of every transfer.
    pub operation: Duration,
    /// The slowest transfer rate still accepted, in bytes per second.
    pub min_bytes_per_sec: u64,
}

impl Default for RemoteTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            operation: Duration::from_secs(60),
            min_bytes_per_sec: 256 * 1024,
        }
    }
}

fn positive(vars: &HashMap<String, String>, name: &str) -> Result<Option<u64>> {
    let Some(value) = vars.get(name).filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| BackupError::Config(format!("{name} is not a positive number: {value:?}")))
}

impl RemoteTimeouts {
    /// Reads `BACKUP_REMOTE_CONNECT_TIMEOUT_SECS`, `BACKUP_REMOTE_TIMEOUT_SECS` and
    /// `BACKUP_REMOTE_MIN_RATE_KIB`; missing ones keep their default.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self> {
        let mut t = Self::default();
        if let Some(secs) = positive(vars, "BACKUP_REMOTE_CONNECT_TIMEOUT_SECS")? {
            t.connect = Duration::from_secs(secs);
        }
        if let Some(secs) = positive(vars, "BACKUP_REMOTE_TIMEOUT_SECS")? {
            t.operation = Duration::from_secs(secs);
        }
        if let Some(kib) = positive(vars, "BACKUP_REMOTE_MIN_RATE_KIB")? {
            t.min_bytes_per_sec = kib.saturating_mul(1024);
        }
        Ok(t)
    }

    /// The deadline of a transfer of `bytes`: the floor plus the time at the minimum rate.
    pub fn for_size(&self, bytes: u64) -> Duration {
        let rate = self.min_bytes_per_sec.max(1);
        self.operation
            .saturating_add(Duration::from_secs(bytes.div_ceil(rate)))
    }
}

/// Runs `work` for at most `limit`; past it the work is dropped (which closes its connections) and
/// the result is a [`BackupError::Timeout`] naming the target and the operation.
pub async fn within<T>(
    target: &str,
    operation: impl FnOnce() -> String,
    limit: Duration,
    work: impl Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, work).await {
        Ok(result) => result,
        Err(_) => {
            let operation = operation();
            tracing::error!(target_name = target, %operation, seconds = limit.as_secs(), "remote operation timed out");
            Err(BackupError::Timeout {
                target: target.to_string(),
                operation,
                seconds: limit.as_secs(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_settings_and_scales_with_size() {
        let vars: HashMap<String, String> = [
            ("BACKUP_REMOTE_CONNECT_TIMEOUT_SECS", "2"),
            ("BACKUP_REMOTE_TIMEOUT_SECS", "5"),
            ("BACKUP_REMOTE_MIN_RATE_KIB", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let t = RemoteTimeouts::from_vars(&vars).expect("valid settings");
        assert_eq!(t.connect, Duration::from_secs(2));
        assert_eq!(t.operation, Duration::from_secs(5));
        assert_eq!(t.for_size(0), Duration::from_secs(5));
        assert_eq!(t.for_size(10 * 1024 + 1), Duration::from_secs(16));
        let defaults = RemoteTimeouts::from_vars(&HashMap::new()).expect("defaults");
        assert_eq!(defaults, RemoteTimeouts::default());
        let bad: HashMap<String, String> =
            [("BACKUP_REMOTE_TIMEOUT_SECS".to_string(), "0".to_string())].into();
        assert!(RemoteTimeouts::from_vars(&bad).is_err_and(|e| e.is_usage()));
    }

    #[tokio::test]
    async fn a_hung_operation_becomes_a_timeout() {
        let err = within(
            "sftp",
            || "listing".into(),
            Duration::from_millis(50),
            std::future::pending::<Result<()>>(),
        )
        .await
        .expect_err("a pending future cannot finish");
        assert!(matches!(err, BackupError::Timeout { .. }), "{err}");
        assert!(err.to_string().contains("listing"), "{err}");
    }
}
