//! Headless Chromium through chromedriver (fantoccini) for the browser tests: starting both, logging
//! in, filling and submitting forms and waiting for the next page, and screenshots.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::auth_support::PASSWORD;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn required() -> bool {
    std::env::var_os("ARRIENDO_BROWSER_TESTS").is_some_and(|v| !v.is_empty() && v != "0")
}

pub fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Driver {
    _child: tokio::process::Child,
    url: String,
}

pub async fn start_driver() -> Result<Driver, String> {
    let port = free_port();
    let child = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e}"))?;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(Driver {
                _child: child,
                url: format!("http://127.0.0.1:{port}"),
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("chromedriver did not listen within 10 s".into())
}

pub async fn connect(driver: &Driver, profile: &Path) -> Result<Client, String> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1366,2400", "--lang=es-CO",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    // Both rustls providers are in the dependency graph: pick one for the WebDriver client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // chromedriver accepts TCP before it answers WebDriver requests, and two browser tests may start
    // at once: a refused first session is retried a few times before it counts as a failure.
    let mut last = String::new();
    for _ in 0..5 {
        match ClientBuilder::rustls()
            .map_err(|e| e.to_string())?
            .capabilities(caps.clone())
            .connect(&driver.url)
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(format!(
        "Chromium did not start through chromedriver: {last}"
    ))
}

pub async fn fill(c: &Client, id: &str, text: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Date inputs take keyboard input in the browser's locale; set the ISO value directly.
pub async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![json!(id), json!(value)],
    )
    .await
    .unwrap();
}

pub async fn select(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

pub async fn submit(c: &Client, form_action: &str) {
    let button = c
        .find(Locator::Css(&format!(
            "form[action='{form_action}'] button[type=submit]"
        )))
        .await
        .unwrap();
    click_and_wait(c, button).await;
}

/// Clicks and waits until the browser has left the page: the old document's root goes stale.
/// Without this, a wait for `.flash-exito` can find the previous page's flash.
pub async fn click_and_wait(c: &Client, element: fantoccini::elements::Element) {
    let root = c.find(Locator::Css("html")).await.unwrap();
    element.click().await.unwrap();
    for _ in 0..150 {
        if root.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page did not change within 15 s of the click");
}

pub async fn shot(c: &Client, name: &str) -> PathBuf {
    let png = c.screenshot().await.unwrap();
    let path = screenshots_dir().join(name);
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
    path
}

pub async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "username", user).await;
    fill(c, "password", PASSWORD).await;
    submit(c, "/login").await;
    wait(c, Locator::Css(".user-name")).await;
}

pub async fn wait(c: &Client, locator: Locator<'_>) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("waiting for {locator:?}: {e}"))
}

pub async fn body(c: &Client) -> String {
    c.source().await.unwrap()
}

/// Chromium through chromedriver, or `None` (with the reason printed) when it cannot run and the
/// browser tests are not required.
pub async fn open_browser() -> Option<(Driver, Client, tempfile::TempDir)> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if !missing.is_empty() {
        assert!(
            !required(),
            "browser test required (ARRIENDO_BROWSER_TESTS) but {missing:?} missing"
        );
        println!(
            "SKIPPED browser test: {missing:?} not installed (apt-get install -y chromium chromium-driver, or run scripts/test)"
        );
        return None;
    }
    let driver = match start_driver().await {
        Ok(d) => d,
        Err(e) if !required() => {
            println!("SKIPPED browser test: {e}");
            return None;
        }
        Err(e) => panic!("{e}"),
    };
    let profile = tempfile::tempdir().unwrap();
    match connect(&driver, profile.path()).await {
        Ok(c) => Some((driver, c, profile)),
        Err(e) if !required() => {
            println!("SKIPPED browser test: {e}");
            None
        }
        Err(e) => panic!("{e}"),
    }
}
