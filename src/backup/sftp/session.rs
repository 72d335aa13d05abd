//! The SSH session under the SFTP store: TCP under the connect timeout, the host key verified before
//! any credential is sent, login, the SFTP subsystem, all within the operation deadline.

use std::sync::Arc;

use russh::keys::{HashAlg, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh_sftp::client::SftpSession;

use super::{Connection, SftpStore, generic};

/// Verifies the server's host key; records why it refused.
pub(super) struct HostKeyCheck {
    host: String,
    port: u16,
    fingerprint: Option<String>,
    known_hosts: Option<std::path::PathBuf>,
    refusal: Arc<std::sync::Mutex<Option<String>>>,
}

impl russh::client::Handler for HostKeyCheck {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        server_key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let PublicKeyOrCertificate::PublicKey { key, .. } = server_key else {
            self.refuse(
                "the server offered a certificate; only pinned host keys are accepted".into(),
            );
            return Ok(false);
        };
        let seen = key.fingerprint(HashAlg::Sha256).to_string();
        if let Some(pinned) = &self.fingerprint {
            if fingerprints_match(pinned, &seen) {
                return Ok(true);
            }
            self.refuse(format!(
                "host key {seen} does not match the pinned fingerprint"
            ));
            return Ok(false);
        }
        if let Some(path) = &self.known_hosts {
            return match russh::keys::check_known_hosts_path(&self.host, self.port, key, path) {
                Ok(true) => Ok(true),
                Ok(false) => {
                    self.refuse(format!("host key {seen} is not in {}", path.display()));
                    Ok(false)
                }
                Err(e) => {
                    self.refuse(format!(
                        "host key {seen} refused by {}: {e}",
                        path.display()
                    ));
                    Ok(false)
                }
            };
        }
        self.refuse(
            "no pinned fingerprint or known-hosts file: host keys are always verified".into(),
        );
        Ok(false)
    }
}

/// A pinned fingerprint matches with or without its `SHA256:` prefix and its base64 padding, as
/// people copy it from `ssh-keygen -lf` or from a provider's panel.
fn fingerprints_match(pinned: &str, seen: &str) -> bool {
    fn bare(f: &str) -> &str {
        let f = f.trim();
        f.strip_prefix("SHA256:").unwrap_or(f).trim_end_matches('=')
    }
    !bare(pinned).is_empty() && bare(pinned) == bare(seen)
}

impl HostKeyCheck {
    fn refuse(&self, why: String) {
        tracing::error!(host = %self.host, port = self.port, "{why}");
        if let Ok(mut slot) = self.refusal.lock() {
            *slot = Some(why);
        }
    }
}

impl SftpStore {
    pub(super) async fn connect(&self) -> object_store::Result<Arc<Connection>> {
        let mut slot = self.session.lock().await;
        // A session closed since (the server went away, russh's inactivity timeout) is replaced.
        if let Some(conn) = slot.as_ref()
            && !conn.ssh.is_closed()
        {
            return Ok(conn.clone());
        }
        let c = &self.config;
        let limit = self.timeouts.operation;
        let conn = tokio::time::timeout(limit, self.open_session())
            .await
            .map_err(|_| {
                generic(format!(
                    "{}:{} did not complete the SSH handshake within {} s",
                    c.host,
                    c.port,
                    limit.as_secs()
                ))
            })??;
        let conn = Arc::new(conn);
        *slot = Some(conn.clone());
        Ok(conn)
    }

    /// Connects (TCP under the connect timeout), verifies the host key, logs in and starts SFTP.
    async fn open_session(&self) -> object_store::Result<Connection> {
        let c = &self.config;
        let refusal = Arc::new(std::sync::Mutex::new(None));
        let handler = HostKeyCheck {
            host: c.host.clone(),
            port: c.port,
            fingerprint: c.host_key_fingerprint.clone(),
            known_hosts: c.known_hosts_file.clone(),
            refusal: refusal.clone(),
        };
        let config = Arc::new(russh::client::Config {
            // A session silent this long is dead: russh closes it, which ends any stuck call.
            inactivity_timeout: Some(self.timeouts.operation),
            ..Default::default()
        });
        let connect = self.timeouts.connect;
        let socket = tokio::time::timeout(
            connect,
            tokio::net::TcpStream::connect((c.host.as_str(), c.port)),
        )
        .await
        .map_err(|_| {
            generic(format!(
                "cannot connect to {}:{}: no answer within {} s",
                c.host,
                c.port,
                connect.as_secs()
            ))
        })?
        .map_err(|e| generic(format!("cannot connect to {}:{}: {e}", c.host, c.port)))?;
        let _ = socket.set_nodelay(true);
        let mut ssh = match russh::client::connect_stream(config, socket, handler).await {
            Ok(ssh) => ssh,
            Err(e) => {
                let why = refusal.lock().ok().and_then(|r| r.clone());
                return Err(generic(match why {
                    Some(why) => format!(
                        "host key verification failed for {}:{}: {why}",
                        c.host, c.port
                    ),
                    None => format!("cannot connect to {}:{}: {e}", c.host, c.port),
                }));
            }
        };
        let mut authenticated = false;
        if let Some(key_file) = &c.key_file {
            let key = russh::keys::load_secret_key(key_file, None).map_err(|e| {
                generic(format!("cannot load key file {}: {e}", key_file.display()))
            })?;
            let hash = ssh
                .best_supported_rsa_hash()
                .await
                .map_err(|e| generic(e.to_string()))?
                .flatten();
            let result = ssh
                .authenticate_publickey(&c.user, PrivateKeyWithHashAlg::new(Arc::new(key), hash))
                .await
                .map_err(|e| generic(format!("key authentication failed: {e}")))?;
            authenticated = result.success();
        }
        if !authenticated && let Some(password) = &c.password {
            let result = ssh
                .authenticate_password(&c.user, password.expose())
                .await
                .map_err(|e| generic(format!("password authentication failed: {e}")))?;
            authenticated = result.success();
        }
        if !authenticated {
            return Err(generic(format!(
                "the server refused the credentials of user {}",
                c.user
            )));
        }
        let channel = ssh
            .channel_open_session()
            .await
            .map_err(|e| generic(e.to_string()))?;
        channel
            .request_subsystem(true, "sftp")
            .await
            .map_err(|e| generic(e.to_string()))?;
        let sftp = SftpSession::new(channel.into_stream())
            .await
            .map_err(|e| generic(format!("cannot start SFTP: {e}")))?;
        Ok(Connection { sftp, ssh })
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprints_match;

    #[test]
    fn fingerprints_match_with_or_without_prefix() {
        let seen = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
        assert!(fingerprints_match(seen, seen));
        assert!(fingerprints_match(
            "uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
            seen
        ));
        assert!(fingerprints_match(
            " uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s= ",
            seen
        ));
        assert!(!fingerprints_match(
            "uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2t",
            seen
        ));
        assert!(!fingerprints_match("SHA256:", seen));
        assert!(!fingerprints_match("", seen));
    }
}
