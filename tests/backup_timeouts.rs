//! Nothing external runs without a time limit: remotes that accept a connection and then never answer
//! (a "black hole" listener, an sshd stopped with SIGSTOP) end the run in failure within the deadline,
//! the run is recorded as failed, the email goes out, the scheduler's lock is released, and `backup
//! list` ends with an error. The deadlines here are short (connect 2 s, operation 3 s); the bounds
//! asserted are generous (30 s) because the machine is shared.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use arriendo::backup::deadline::RemoteTimeouts;
use arriendo::backup::runs::{self, RunKind, RunStatus};
use arriendo::backup::settings::{EmailConfig, SftpConfig, SmtpTls, TargetConfig};
use arriendo::backup::targets::Target;
use arriendo::backup::{BackupError, BackupSettings, schedule};
use backup_support::*;
use common::{Engine, TestStore};

/// Generous: the deadlines are 2 and 3 s, the machine is shared.
const BOUND: Duration = Duration::from_secs(30);

fn short() -> RemoteTimeouts {
    RemoteTimeouts {
        connect: Duration::from_secs(2),
        operation: Duration::from_secs(3),
        min_bytes_per_sec: 1024 * 1024,
    }
}

/// A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte.
async fn black_hole() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    addr
}

fn sftp_at(addr: SocketAddr) -> TargetConfig {
    TargetConfig::Sftp(SftpConfig {
        host: addr.ip().to_string(),
        port: addr.port(),
        user: "nadie".into(),
        password: Some(arriendo::backup::settings::Secret::new("x")),
        key_file: None,
        host_key_fingerprint: Some("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()),
        known_hosts_file: None,
        path: "/respaldos".into(),
    })
}

fn s3_at(addr: SocketAddr) -> TargetConfig {
    TargetConfig::S3 {
        bucket: "respaldos".into(),
        access_key: Some(arriendo::backup::settings::Secret::new("testing")),
        secret_key: Some(arriendo::backup::settings::Secret::new("testing")),
        region: "us-east-1".into(),
        endpoint: Some(format!("http://{addr}")),
        prefix: "arriendo".into(),
    }
}

/// A set's manifest, to ask a target to delete it.
fn a_manifest() -> arriendo::backup::manifest::Manifest {
    arriendo::backup::manifest::Manifest::parse(
        br#"{"manifest_format":1,"name":"backup_20250101_000000","app_version":"0","engine":"sqlite",
            "created_at":"2025-01-01T00:00:00Z","event_count":0,"last_position":0,"duration_ms":0,
            "files":[{"name":"backup_20250101_000000.json","kind":"json","size":1,"sha256":"00",
            "compressed":false,"encrypted":false}]}"#,
    )
    .unwrap()
}

/// Our deadline, or russh closing the silent session, whichever comes first: an error either way.
fn ended_in_failure<T: std::fmt::Debug>(result: arriendo::backup::error::Result<T>) {
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::Timeout { .. } | BackupError::Remote { .. }
        ),
        "{err}"
    );
}

fn remote_settings(dir: &Path, target: TargetConfig) -> BackupSettings {
    let mut s = settings(dir);
    s.targets = vec![target];
    s.remote_enabled = true;
    s.remote_timeouts = short();
    s
}

fn mails_to(dir: &str, recipient: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| m.contains(recipient))
        .collect()
}

/// A scheduled backup to a remote that never answers: it fails within the deadline, is recorded as
/// failed, the failure email is sent, and the scheduler's lock is free for the next job at once.
async fn scheduled_backup_to_a_black_hole(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 20).await;
    let backups = tempfile::tempdir().unwrap();
    let mut settings = remote_settings(backups.path(), sftp_at(black_hole().await));
    let smtp = env("BACKUP_TEST_SMTP_PORT").zip(env("BACKUP_TEST_SMTP_DIR"));
    let recipient = format!("ops-{}@example.test", uuid::Uuid::new_v4().simple());
    if let Some((port, _)) = &smtp {
        settings.email = Some(EmailConfig {
            recipients: vec![recipient.clone()],
            from: "arriendo@example.test".into(),
            host: "127.0.0.1".into(),
            port: port.parse().unwrap(),
            user: None,
            password: None,
            tls: SmtpTls::None,
        });
    } else {
        skip("aiosmtpd (the email part of this test)");
    }
    let fired = chrono::Utc::now();
    let started = Instant::now();
    let result = tokio::time::timeout(
        BOUND,
        schedule::run_scheduled(&store.app, &settings, RunKind::Backup, fired),
    )
    .await
    .expect("the scheduled backup must end within the deadline");
    eprintln!("black hole: ended in {:?}", started.elapsed());
    let err = result.unwrap_err();
    assert!(err.to_string().contains("within 3 s"), "{err}");
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    let error = run.error.unwrap();
    assert!(
        error.contains("sftp") && error.contains("within 3 s"),
        "{error}"
    );
    assert!(
        run.targets.iter().any(|t| t.target == "sftp" && !t.ok),
        "{:?}",
        run.targets
    );
    // The local set is complete all the same.
    assert_eq!(
        arriendo::backup::manifest::list_local(backups.path())
            .unwrap()
            .len(),
        1
    );
    if let Some((_, dir)) = &smtp {
        let mails = mails_to(dir, &recipient);
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert!(mails[0].contains("ERROR"), "{}", mails[0]);
    }
    // The lock was released: the next scheduled job (another minute) runs right away.
    let mut local_only = settings.clone();
    local_only.remote_enabled = false;
    local_only.email = None;
    assert!(
        schedule::run_scheduled(
            &store.app,
            &local_only,
            RunKind::Backup,
            fired + chrono::Duration::minutes(1)
        )
        .await
        .unwrap(),
        "the next scheduled backup ran"
    );
    let latest = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(latest.status, RunStatus::Success, "{:?}", latest.error);
}
both_engines!(
    scheduled_backup_to_a_black_hole,
    super::scheduled_backup_to_a_black_hole
);

/// S3 (object_store) against a black hole: listing, upload, download and delete end within the
/// deadline instead of object_store's default 3 minutes of retries.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s3_black_hole_ends_within_the_deadline() {
    let target = Target::open(&s3_at(black_hole().await), short())
        .await
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("backup_20250101_000000.json");
    std::fs::write(&file, vec![b'x'; 64 * 1024]).unwrap();

    let started = Instant::now();
    let listed = tokio::time::timeout(BOUND, target.manifests())
        .await
        .expect("the listing ends");
    assert!(listed.is_err(), "{listed:?}");
    let uploaded = tokio::time::timeout(BOUND, target.upload(&file, "backup_20250101_000000.json"))
        .await
        .expect("the upload ends");
    let err = uploaded.unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::Timeout { .. } | BackupError::Remote { .. }
        ),
        "{err}"
    );
    let downloaded = tokio::time::timeout(
        BOUND,
        target.download(
            "backup_20250101_000000.json",
            10,
            &scratch.path().join("back"),
        ),
    )
    .await
    .expect("the download ends");
    assert!(downloaded.is_err());
    assert!(
        !scratch.path().join(".back.partial").exists(),
        "no partial download left"
    );
    ended_in_failure(
        tokio::time::timeout(BOUND, target.delete_set(&a_manifest()))
            .await
            .expect("the delete ends"),
    );
    eprintln!("S3 black hole: four operations in {:?}", started.elapsed());
}

// --- A private sshd, stopped with SIGSTOP -------------------------------------------------------

/// A copy of the sshd that scripts/test started, on its own port, so stopping it freezes no other test.
struct PrivateSshd {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PrivateSshd {
    fn start() -> Option<Self> {
        let config = std::fs::read_to_string(env("BACKUP_TEST_SFTP_SSHD_CONFIG")?).ok()?;
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config: String = config
            .lines()
            .filter(|l| !l.starts_with("Port ") && !l.starts_with("PidFile "))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + &format!(
                "Port {port}\nPidFile {}\n",
                dir.path().join("sshd.pid").display()
            );
        let path = dir.path().join("sshd_config");
        std::fs::write(&path, config).unwrap();
        let child = std::process::Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(&path)
            .stderr(std::fs::File::create(dir.path().join("sshd.log")).unwrap())
            .spawn()
            .ok()?;
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "the private sshd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self {
            child,
            port,
            _dir: dir,
        })
    }

    fn config(&self) -> SftpConfig {
        let mut c = sftp_config().unwrap();
        c.port = self.port;
        c
    }

    /// The listener and every process it forked (the ones serving open sessions).
    fn processes(&self) -> Vec<u32> {
        let mut family = vec![self.child.id()];
        let mut grew = true;
        while grew {
            grew = false;
            for entry in std::fs::read_dir("/proc").unwrap().flatten() {
                let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                    continue;
                };
                let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                    continue;
                };
                // The parent's pid is the second field after the command name, which ends at ')'.
                let ppid = stat
                    .rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                    .and_then(|p| p.parse::<u32>().ok());
                if ppid.is_some_and(|p| family.contains(&p)) && !family.contains(&pid) {
                    family.push(pid);
                    grew = true;
                }
            }
        }
        family
    }

    fn signal(&self, signal: &str) {
        for pid in self.processes() {
            let _ = std::process::Command::new("kill")
                .args([signal, &pid.to_string()])
                .status();
        }
    }
}

impl Drop for PrivateSshd {
    fn drop(&mut self) {
        self.signal("-CONT");
        self.signal("-TERM");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Connected, then the server stops answering mid-session (SIGSTOP on sshd and the child serving the
/// session): upload, listing, download and delete end within their deadlines.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs sshd: scripts/test starts it and runs ignored tests"]
async fn sftp_stopped_mid_session_ends_within_the_deadline() {
    let Some(sshd) = PrivateSshd::start() else {
        return skip("sshd (BACKUP_TEST_SFTP_SSHD_CONFIG)");
    };
    let target = Target::open(&TargetConfig::Sftp(sshd.config()), short())
        .await
        .unwrap();
    assert!(
        target.manifests().await.unwrap().is_empty(),
        "connected and listed"
    );
    sshd.signal("-STOP");
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("backup_20250101_000000.json");
    std::fs::write(&file, vec![b'x'; 256 * 1024]).unwrap();
    let started = Instant::now();
    let err = tokio::time::timeout(BOUND, target.upload(&file, "backup_20250101_000000.json"))
        .await
        .expect("the upload ends")
        .unwrap_err();
    // Our deadline, or russh closing the silent session (its inactivity timeout is the same 3 s),
    // whichever comes first: either way the operation ends in an error.
    assert!(
        matches!(
            err,
            BackupError::Timeout { .. } | BackupError::Remote { .. }
        ),
        "{err}"
    );
    ended_in_failure(
        tokio::time::timeout(BOUND, target.manifests())
            .await
            .expect("the listing ends"),
    );
    let back = scratch.path().join("back");
    ended_in_failure(
        tokio::time::timeout(
            BOUND,
            target.download("backup_20250101_000000.json", 10, &back),
        )
        .await
        .expect("the download ends"),
    );
    ended_in_failure(
        tokio::time::timeout(BOUND, target.delete_set(&a_manifest()))
            .await
            .expect("the delete ends"),
    );
    eprintln!("stopped sshd: four operations in {:?}", started.elapsed());
}

fn arriendo(store: &TestStore, backups: &Path, sshd: &PrivateSshd) -> std::process::Command {
    let c = sshd.config();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"));
    cmd.args(["--data-dir", &store.data_dir().display().to_string()]);
    if let Some(url) = &store.database_url {
        cmd.args(["--database-url", url]);
    }
    cmd.env("BACKUP_OUTPUT_DIR", backups)
        .env("BACKUP_REMOTE_DESTINATION", "sftp")
        .env("BACKUP_SFTP_HOST", &c.host)
        .env("BACKUP_SFTP_PORT", c.port.to_string())
        .env("BACKUP_SFTP_USER", &c.user)
        .env(
            "BACKUP_SFTP_KEY_FILE",
            c.key_file.clone().unwrap_or_default(),
        )
        .env(
            "BACKUP_SFTP_HOST_KEY_FINGERPRINT",
            c.host_key_fingerprint.clone().unwrap_or_default(),
        )
        .env("BACKUP_SFTP_PATH", &c.path)
        .env("BACKUP_REMOTE_CONNECT_TIMEOUT_SECS", "2")
        .env("BACKUP_REMOTE_TIMEOUT_SECS", "3")
        .env_remove("BACKUP_REMOTE_ENABLED")
        .env_remove("BACKUP_EMAIL_NOTIFICATIONS");
    cmd
}

fn run_bounded(mut cmd: std::process::Command) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(output) = rx.recv_timeout(BOUND) else {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        panic!("arriendo did not end within {BOUND:?}");
    };
    (output.unwrap(), started.elapsed())
}

/// `arriendo backup --remote` and `arriendo backup list` against an sshd whose listener is stopped
/// (it accepts connections, never answers): both end within the deadline with an error, and the run
/// is recorded as failed.
async fn cli_against_a_stopped_sshd(engine: Engine) {
    let Some(sshd) = PrivateSshd::start() else {
        return skip("sshd (BACKUP_TEST_SFTP_SSHD_CONFIG)");
    };
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 20).await;
    let backups = tempfile::tempdir().unwrap();
    sshd.signal("-STOP");

    let mut backup = arriendo(&store, backups.path(), &sshd);
    backup.args(["backup", "--remote"]);
    let (out, took) = run_bounded(backup);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("backup against a stopped sshd: {took:?}, {:?}", out.status);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("within 3 s"), "{stderr}");
    let run = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(run.status, RunStatus::Failed);
    assert!(run.error.unwrap().contains("within 3 s"));

    let mut list = arriendo(&store, backups.path(), &sshd);
    list.args(["backup", "list"]);
    let (out, took) = run_bounded(list);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "backup list against a stopped sshd: {took:?}, {:?}",
        out.status
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Local ("),
        "the local sets are still listed: {stdout}"
    );
    assert!(stderr.contains("cannot list 1 remote target"), "{stderr}");
}
both_engines!(
    cli_against_a_stopped_sshd,
    super::cli_against_a_stopped_sshd,
    ignore = "needs sshd: scripts/test starts it and runs ignored tests"
);
