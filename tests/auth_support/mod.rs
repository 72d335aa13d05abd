//! A real server on port 0 with an injectable clock, and a browser-like client (cookies, no redirects).
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use arriendo::App;
use arriendo::auth::{AuthSettings, Clock, users};
use arriendo::startup::Server;
use arriendo::store::Metadata;
use arriendo_events::actor::Role;
use reqwest::StatusCode;
use reqwest::cookie::{CookieStore, Jar};

use crate::common::{Engine, TestStore};

pub const PASSWORD: &str = "clave-de-prueba-larga";

pub struct Web {
    pub base: String,
    pub app: App,
    pub clock: Clock,
    pub store: TestStore,
}

pub struct Browser {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Web {
    pub async fn start(engine: Engine) -> Web {
        Self::start_with(engine, |_| {}).await
    }

    pub async fn start_with(engine: Engine, tweak: impl FnOnce(&mut AuthSettings)) -> Web {
        Self::start_with_app(engine, |app| tweak(&mut app.auth)).await
    }

    /// A server whose App is adjusted first (its backup settings, its auth settings…).
    pub async fn start_with_app(engine: Engine, tweak: impl FnOnce(&mut App)) -> Web {
        let store = TestStore::new(engine).await;
        let mut app = store.app.clone();
        let clock = Clock::manual(chrono::Utc::now());
        app.auth = AuthSettings {
            clock: clock.clone(),
            ..AuthSettings::default()
        };
        tweak(&mut app);
        let server = Server::bind(app.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = format!("http://{}", server.address());
        tokio::spawn(server.run());
        Web {
            base,
            app,
            clock,
            store,
        }
    }

    pub async fn add_user(&self, name: &str, role: Role) {
        users::create(
            &self.app,
            name,
            role,
            PASSWORD.to_string(),
            Metadata::system("test"),
        )
        .await
        .unwrap();
    }

    pub fn browser(&self) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            base: self.base.clone(),
        }
    }

    /// A browser logged in as `name` (with [`PASSWORD`]).
    pub async fn logged_in(&self, name: &str) -> Browser {
        let browser = self.browser();
        let response = browser.login(name, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "login of {name}");
        browser
    }
}

/// The value of `name="csrf_token"` in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a csrf_token field") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// The session's CSRF token, read from a page with a form.
    pub async fn token(&self) -> String {
        let page = self.get("/login").await;
        if page.status() == StatusCode::OK {
            return csrf_in(&page.text().await.unwrap());
        }
        csrf_in(&self.get("/cuenta/contrasena").await.text().await.unwrap())
    }

    /// POSTs a form with the session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.token().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// POSTs a form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, name: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("username", name), ("password", password)])
            .await
    }

    /// The session cookie this browser holds (`name=value`), if any.
    pub fn session_cookie(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .unwrap()
            .split("; ")
            .find(|c| c.contains("arriendo_sesion="))
            .map(str::to_string)
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// GET with an explicit cookie header and no cookie store (replaying a stolen or old cookie).
pub async fn get_with_cookie(base: &str, path: &str, cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// The hidden `version` field of an edit form: the version of what the form shows, which the save
/// must send back.
pub fn form_version(html: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let at = html.find(marker).expect("the form has a version field") + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

/// Posts a login with the browser's login token, from `forwarded` when given (one trusted proxy).
pub async fn login_as(
    browser: &Browser,
    token: &str,
    user: &str,
    password: &str,
    forwarded: Option<&str>,
) -> StatusCode {
    let mut request = browser.client.post(browser.url("/login")).form(&[
        ("username", user),
        ("password", password),
        ("csrf_token", token),
    ]);
    if let Some(ip) = forwarded {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap().status()
}
