//! The binary as a new user meets it: `serve --demo` on an empty folder loads the demo, prints a
//! one-time administrador password and serves the login page; the same password logs in; a bad or
//! unreachable database is one clear error line and exit code 3; SIGTERM (what `docker stop` sends)
//! stops it cleanly with exit code 0.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the server when the test ends, whatever happens.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_prints_a_login_and_serves_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "serve",
            "--demo",
            "--bind",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let lines = tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let listening = line.contains("escuchando");
            seen.push(line);
            if listening {
                break;
            }
        }
        seen
    });
    let lines = tokio::time::timeout(Duration::from_secs(60), lines)
        .await
        .unwrap()
        .unwrap();
    let credentials = lines
        .iter()
        .find(|l| l.contains("contraseña"))
        .expect("a one-time password is printed");
    let quoted: Vec<&str> = credentials.split(['«', '»']).collect();
    let (user, password) = (quoted[1], quoted[3]);

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let login = client.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let posted = client
        .post(format!("{base}/login"))
        .form(&[
            ("username", user),
            ("password", password),
            ("csrf_token", token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    // The printed password is temporary: the first login goes to choose one's own (issue 16).
    let first = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(first.status(), 303);
    assert_eq!(first.headers()["location"], "/cuenta/contrasena");
    let form = client
        .get(format!("{base}/cuenta/contrasena"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = form
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let own = "una-clave-propia-del-admin";
    let changed = client
        .post(format!("{base}/cuenta/contrasena"))
        .form(&[
            ("actual", password),
            ("nueva", own),
            ("confirmacion", own),
            ("csrf_token", token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    let dashboard = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(dashboard.status(), 200);
    let body = dashboard.text().await.unwrap();
    assert!(
        body.contains("CT-20"),
        "the demo contracts appear on the dashboard"
    );
    drop(server);
}

/// Starts `serve` on an empty folder and waits for its "escuchando" line; the logs go to `log`.
fn start_serving(dir: &std::path::Path, port: u16, log: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args(["--data-dir", dir.to_str().unwrap(), "serve", "--bind"])
        .arg(format!("127.0.0.1:{port}"))
        .env_remove("DATABASE_URL")
        // tower_http at debug logs "started processing request": how the test knows a request is in.
        .env("RUST_LOG", "info,tower_http=debug")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    // Keeps reading stdout to its end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let server = Server(child);
    loop {
        let line = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says it is listening");
        if line.contains("escuchando") {
            break;
        }
    }
    server
}

/// Waits (a generous bound, never a fixed sleep) until the log holds `needle` `times` times.
async fn wait_for_log(log: &std::path::Path, needle: &str, times: usize) {
    for _ in 0..600 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.matches(needle).count() >= times {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{needle:?} did not appear {times} times in the log:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// SIGTERM while a request is in flight (its body half sent): the server stops listening, the
/// request still gets its whole answer, and the process exits 0 by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_request_in_flight_and_exits_0() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const STARTED: &str = "started processing request";

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let port = free_port();
    let mut server = start_serving(dir.path(), port, &log);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/salud")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    wait_for_log(&log, STARTED, 1).await;

    // A login form whose body arrives in two parts: the server reads the head, starts the request
    // and waits for the rest of the body (the CSRF check reads it).
    let body = "username=nadie&password=una-clave-cualquiera";
    let (first, rest) = body.split_at(10);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    wait_for_log(&log, STARTED, 2).await;

    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    wait_for_log(&log, "shutdown requested", 1).await;
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );

    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    // Refused (no login token), but answered in full: status line, and the Spanish page to its end.
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.trim_end().ends_with("</html>"), "{answer}");

    // A generous bound: the process exits by itself, it is not killed.
    let mut status = None;
    for _ in 0..600 {
        if let Some(done) = server.0.try_wait().unwrap() {
            status = Some(done);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = status.expect("the server exits within a minute of SIGTERM");
    let logs = std::fs::read_to_string(&log).unwrap();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(logs.contains("SIGTERM"), "{logs}");
    assert!(logs.contains("shutdown complete"), "{logs}");
    assert!(!logs.contains("panicked"), "{logs}");
    assert!(
        client.get(format!("{base}/salud")).send().await.is_err(),
        "nothing listens any more"
    );
}

#[test]
fn unreachable_database_is_one_line_and_exit_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let output = Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "--database-url"])
        .arg(format!(
            "postgres://nobody:secreto@127.0.0.1:{port}/arriendo"
        ))
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("cannot reach the database"), "{stderr}");
    assert!(
        !stderr.contains("secreto"),
        "the password is never printed: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--database-url",
            "mysql://x",
            "migrate",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid database URL"), "{stderr}");
}
