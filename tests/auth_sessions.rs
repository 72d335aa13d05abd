//! Lockout, CSRF, cookies, session fixation, idle and absolute expiry, logout, ended sessions, on both
//! engines (sessions, users and lockouts live in the database).
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::auth::{ensure_initial_admin, lockout};
use arriendo_events::actor::Role;
use auth_support::{PASSWORD, Web, get_with_cookie, location};
use chrono::Duration;
use common::Engine;
use reqwest::StatusCode;

async fn outcomes(web: &Web) -> Vec<String> {
    let mut all: Vec<String> = lockout::recent_attempts(&web.app.db, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{}:{}", a.username, a.outcome))
        .collect();
    all.reverse();
    all
}

async fn lockout_rules(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();

    for attempt in 1..=4 {
        let response = browser.login("ana", "contraseña-equivocada").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "failure {attempt}"
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Usuario o contraseña incorrectos.")
        );
    }
    let fifth = browser.login("ana", "contraseña-equivocada").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = fifth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3590..=3600).contains(&retry), "Retry-After {retry}");
    assert!(
        fifth
            .text()
            .await
            .unwrap()
            .contains("Acceso bloqueado temporalmente")
    );

    // The sixth, with the right password, is refused too.
    let sixth = browser.login("ana", PASSWORD).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(sixth.headers().contains_key("retry-after"));
    assert_eq!(
        lockout::list_locked(&web.app.db, web.clock.now())
            .await
            .unwrap()
            .len(),
        1
    );

    // The lock expires after an hour.
    web.clock.advance(Duration::minutes(61));
    assert_eq!(
        browser.login("ana", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    // A success resets the counter: 4 failures, a success, 4 failures do not lock.
    let other = web.browser();
    for _ in 0..4 {
        assert_eq!(
            other.login("ana", "mala-mala-mala").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        other.login("ana", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let third = web.browser();
    for _ in 0..4 {
        assert_eq!(
            third.login("ana", "mala-mala-mala").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        third.login("ana", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );

    // Every attempt is recorded, with its outcome.
    let log = outcomes(&web).await;
    assert_eq!(log.len(), 4 + 1 + 1 + 1 + 4 + 1 + 4 + 1);
    assert_eq!(log[4], "ana:failure");
    assert_eq!(log[5], "ana:locked");
    assert_eq!(log[6], "ana:success");
    let attempts = lockout::recent_attempts(&web.app.db, 1).await.unwrap();
    assert_eq!(attempts[0].ip, "127.0.0.1");
}
both_engines!(lockout_locks_expires_and_resets, super::lockout_rules);

async fn unknown_user_answers_like_a_wrong_password(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();
    // Warm up (the dummy hash is computed once).
    browser.login("nadie", "x-x-x-x-x-x-x").await;
    lockout::lift(&web.app.db, None, None, "test", web.clock.now())
        .await
        .unwrap();

    let known = browser.login("ana", "contraseña-equivocada").await;
    let known_status = known.status();
    let known_body = known.text().await.unwrap().replace("ana", "USER");

    let unknown = browser.login("zoe", "contraseña-equivocada").await;
    let unknown_status = unknown.status();
    let unknown_body = unknown.text().await.unwrap().replace("zoe", "USER");

    assert_eq!(known_status, unknown_status);
    let strip = |s: &str| {
        let marker = "name=\"csrf_token\" value=\"";
        s.split(marker)
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part.to_string()
                } else {
                    part[64..].to_string()
                }
            })
            .collect::<String>()
    };
    assert_eq!(strip(&known_body), strip(&unknown_body));
    // That both ran exactly one argon2 verification (so neither answers faster) is asserted on the
    // backend itself, without timing: `auth::backend::tests::every_attempt_runs_exactly_one_verification`.
    // And an unknown user is locked after 5 failures like anyone else.
    for _ in 0..4 {
        browser.login("zoe", "contraseña-equivocada").await;
    }
    assert_eq!(
        browser.login("zoe", "contraseña-equivocada").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}
both_engines!(
    unknown_user,
    super::unknown_user_answers_like_a_wrong_password
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lockout_is_per_ip_behind_a_trusted_proxy() {
    let web = Web::start_with(Engine::Sqlite, |s| s.trusted_proxies = 1).await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();
    let login_from = |ip: &'static str, password: &'static str| {
        let browser = &browser;
        async move {
            let token = browser.token().await;
            browser
                .client
                .post(browser.url("/login"))
                .header("x-forwarded-for", format!("{ip}, 10.0.0.9"))
                .form(&[
                    ("username", "ana"),
                    ("password", password),
                    ("csrf_token", &token),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // With one trusted proxy the client is the right-most address.
    for _ in 0..5 {
        login_from("203.0.113.1", "mala-mala-mala").await;
    }
    assert_eq!(
        login_from("203.0.113.1", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let locked = lockout::list_locked(&web.app.db, web.clock.now())
        .await
        .unwrap();
    assert_eq!(locked[0].ip, "10.0.0.9");
    // Lifting the lock lets the user in.
    lockout::lift(
        &web.app.db,
        Some("ana"),
        Some("10.0.0.9"),
        "test",
        web.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        login_from("203.0.113.1", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

async fn cookies_fixation_and_logout(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();

    // The login page starts no session: its CSRF token travels in a cookie of its own.
    let page = browser.get("/login").await;
    let set_cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("arriendo_ingreso="), "{set_cookie}");
    assert!(browser.session_cookie().is_none());
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    for header in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
    ] {
        assert!(page.headers().contains_key(header), "{header}");
    }
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'self'")
    );
    assert!(!page.headers().contains_key("strict-transport-security"));

    // The login starts the session, with the session cookie's attributes.
    let response = browser.login("ana", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let set_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("arriendo_sesion="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    let before = browser.session_cookie().unwrap();

    // A login over an existing session issues a new session id; the old one is not kept.
    let response = browser.login("ana", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after = browser.session_cookie().unwrap();
    assert_ne!(before, after);
    assert_eq!(browser.get("/").await.status(), StatusCode::OK);
    let fixated = get_with_cookie(&web.base, "/", &before).await;
    assert_eq!(fixated.status(), StatusCode::SEE_OTHER);
    assert!(location(&fixated).starts_with("/login"));

    // Logout destroys the session server-side: replaying its cookie gets nothing.
    let response = browser.post("/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login");
    assert_eq!(browser.get("/").await.status(), StatusCode::SEE_OTHER);
    let replayed = get_with_cookie(&web.base, "/", &after).await;
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert!(location(&replayed).starts_with("/login"));

    // `next` is followed when local, ignored otherwise.
    let response = browser
        .post(
            "/login",
            &[
                ("username", "ana"),
                ("password", PASSWORD),
                ("next", "/usuarios?x=1"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/usuarios?x=1");
    let again = web.browser();
    let response = again
        .post(
            "/login",
            &[
                ("username", "ana"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
}
both_engines!(cookies_fixation_logout, super::cookies_fixation_and_logout);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn https_cookies_are_secure_with_the_host_prefix_and_hsts_is_sent() {
    let web = Web::start_with(Engine::Sqlite, |s| {
        s.public_url = Some(url::Url::parse("https://arriendo.example.co").unwrap());
    })
    .await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();
    let page = browser.get("/login").await;
    let set_cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set_cookie.starts_with("__Host-arriendo_ingreso="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    // The session cookie the login sets (the client would not send a Secure cookie over this
    // plain-HTTP test connection, so the login cookie goes by hand).
    let login_cookie = set_cookie.split(';').next().unwrap().to_string();
    let token = login_cookie.split_once('=').unwrap().1.to_string();
    let response = browser
        .client
        .post(browser.url("/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("username", "ana"),
            ("password", PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set_cookie.starts_with("__Host-arriendo_sesion="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/"), "{set_cookie}");
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    assert!(
        page.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
}

async fn idle_and_absolute_expiry(engine: Engine) {
    let web = Web::start_with(engine, |s| s.absolute_timeout = Duration::hours(2)).await;
    web.add_user("ana", Role::Gestor).await;

    // Idle: an hour and a minute without requests ends the session.
    let idle = web.logged_in("ana").await;
    web.clock.advance(Duration::minutes(61));
    let response = idle.get("/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?motivo=expirada");
    assert_eq!(idle.get("/").await.status(), StatusCode::SEE_OTHER);

    // Activity keeps it alive, but not beyond the absolute limit.
    let busy = web.logged_in("ana").await;
    for _ in 0..2 {
        web.clock.advance(Duration::minutes(50));
        assert_eq!(busy.get("/").await.status(), StatusCode::OK);
    }
    web.clock.advance(Duration::minutes(25));
    let response = busy.get("/").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "125 minutes > 2 h absolute"
    );
    assert!(location(&response).contains("motivo=expirada"));
}
both_engines!(expiry, super::idle_and_absolute_expiry);

async fn account_changes_end_sessions(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("admin", Role::Administrador).await;
    web.add_user("ana", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let admin = web.logged_in("admin").await;

    // An administrador ends another user's sessions.
    let ana = web.logged_in("ana").await;
    assert_eq!(ana.get("/").await.status(), StatusCode::OK);
    let response = admin
        .post("/usuarios/ana/sesiones", &[("confirmar", "si")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(ana.get("/").await.status(), StatusCode::SEE_OTHER);

    // Changing one's password keeps this session and ends the others.
    let first = web.logged_in("ana").await;
    let second = web.logged_in("ana").await;
    let new_password = "otra-clave-bien-larga";
    let response = first
        .post(
            "/cuenta/contrasena",
            &[
                ("actual", PASSWORD),
                ("nueva", new_password),
                ("confirmacion", new_password),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.get("/").await.status(), StatusCode::OK);
    assert_eq!(second.get("/").await.status(), StatusCode::SEE_OTHER);
    let short = first
        .post(
            "/cuenta/contrasena",
            &[
                ("actual", new_password),
                ("nueva", "corta"),
                ("confirmacion", "corta"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("al menos 12 caracteres")
    );

    // Deactivation asks first: the first click only says what will happen.
    let asked = admin.post("/usuarios/ana/desactivar", &[]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.unwrap();
    assert!(page.contains("Sí, desactivar a ana"), "{page}");
    assert!(page.contains("name=\"confirmar\" value=\"si\""));
    assert_eq!(
        first.get("/").await.status(),
        StatusCode::OK,
        "nothing changed yet"
    );

    // Confirmed, it ends the user's sessions and refuses their login.
    let response = admin
        .post("/usuarios/ana/desactivar", &[("confirmar", "si")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        web.browser().login("ana", new_password).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // An auditor's write is refused and changes nothing; with a wrong token, even the admin's is.
    let auditor = web.logged_in("aud").await;
    let refused = auditor
        .post(
            "/usuarios",
            &[("usuario", "intruso"), ("rol", "administrador")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let forged = admin
        .post_raw(
            "/usuarios",
            &[
                ("usuario", "intruso"),
                ("rol", "administrador"),
                ("csrf_token", "x"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let token = admin.token().await;
    let cross_site = admin
        .client
        .post(admin.url("/usuarios"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("usuario", "intruso"),
            ("rol", "administrador"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let foreign_origin = admin
        .client
        .post(admin.url("/usuarios"))
        .header("origin", "http://evil.example")
        .form(&[
            ("usuario", "intruso"),
            ("rol", "administrador"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), StatusCode::FORBIDDEN);
    assert!(
        arriendo::auth::users::find(&web.app.db, "intruso")
            .await
            .unwrap()
            .is_none()
    );

    // The administrador creates a user: a temporary password shown once, and it works.
    let created = admin
        .post(
            "/usuarios",
            &[("usuario", "Nuevo.Gestor"), ("rol", "gestor")],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let html = created.text().await.unwrap();
    let marker = "<code class=\"secret\">";
    let start = html.find(marker).unwrap() + marker.len();
    let temporary = &html[start..start + html[start..].find('<').unwrap()];
    assert_eq!(
        web.browser()
            .login("nuevo.gestor", temporary)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // The administrador cannot deactivate themself (at least one administrador stays).
    admin
        .post("/usuarios/admin/desactivar", &[("confirmar", "si")])
        .await;
    assert!(
        arriendo::auth::users::find(&web.app.db, "admin")
            .await
            .unwrap()
            .unwrap()
            .active
    );

    // Every change is an event of the `usuario` aggregate, with who did it.
    let history: Vec<(String, String)> = arriendo::on_pool!(web.app.db.clone(), pool => {
        sqlx::query_as("SELECT event_type, actor FROM rm_history WHERE aggregate_type = 'usuario' AND aggregate_id = 'ana' ORDER BY position")
            .fetch_all(&pool)
            .await
            .unwrap()
    });
    let types: Vec<&str> = history.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "UserCreated",
            "SessionsEnded",
            "PasswordChanged",
            "UserDeactivated"
        ]
    );
    assert_eq!(history[1].1, "admin");
    assert_eq!(history[2].1, "ana");
}
both_engines!(account_changes, super::account_changes_end_sessions);

async fn first_start_creates_one_administrador(engine: Engine) {
    let web = Web::start(engine).await;
    let (user, password) = ensure_initial_admin(&web.app).await.unwrap().unwrap();
    assert_eq!(user, "admin");
    assert!(password.len() >= 16);
    assert!(ensure_initial_admin(&web.app).await.unwrap().is_none());
    assert_eq!(
        web.browser().login(&user, &password).await.status(),
        StatusCode::SEE_OTHER
    );
}
both_engines!(first_start, super::first_start_creates_one_administrador);
