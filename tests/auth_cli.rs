//! `arriendo user …` and `arriendo lockout …` as an operator runs them (SQLite store in a temp folder).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn arriendo(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn users_and_lockouts_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();

    let added = arriendo(
        path,
        &["user", "add", "Ana", "--role", "gestor", "--password-stdin"],
        Some("una-clave-muy-larga\n"),
    );
    assert!(added.status.success(), "{}", text(&added));
    assert!(text(&added).contains("User ana created (gestor)"));

    let duplicate = arriendo(
        path,
        &[
            "user",
            "add",
            "ana",
            "--role",
            "auditor",
            "--password-stdin",
        ],
        Some("una-clave-muy-larga\n"),
    );
    assert!(!duplicate.status.success());

    let short = arriendo(
        path,
        &[
            "user",
            "add",
            "bob",
            "--role",
            "auditor",
            "--password-stdin",
        ],
        Some("corta\n"),
    );
    assert_eq!(short.status.code(), Some(2), "{}", text(&short));
    assert!(text(&short).contains("12"));

    // Without a terminal and without --password-stdin there is nobody to prompt.
    let no_tty = arriendo(path, &["user", "add", "bob", "--role", "auditor"], None);
    assert_eq!(no_tty.status.code(), Some(2), "{}", text(&no_tty));

    let passwd = arriendo(
        path,
        &["user", "passwd", "ana", "--password-stdin"],
        Some("otra-clave-muy-larga\n"),
    );
    assert!(passwd.status.success(), "{}", text(&passwd));

    let list = arriendo(path, &["user", "list"], None);
    assert!(list.status.success());
    let listed = text(&list);
    assert!(listed.contains("ana") && listed.contains("gestor") && !listed.contains("bob"));
    assert!(!listed.contains("argon2"), "hashes are never printed");

    let lockouts = arriendo(path, &["lockout", "list"], None);
    assert!(lockouts.status.success(), "{}", text(&lockouts));
    let reset = arriendo(
        path,
        &["lockout", "reset", "--user", "ana", "--ip", "10.0.0.1"],
        None,
    );
    assert!(reset.status.success(), "{}", text(&reset));
    assert!(text(&reset).contains("0 lockout(s) reset."));
}
