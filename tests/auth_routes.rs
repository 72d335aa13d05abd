//! Every route of the router × every role: anonymous visitors are sent to the login page, roles get
//! exactly what their access rule allows, auditors get 403 on every write, and every POST refuses a
//! request without the CSRF token. The route list is the router's own table (`arriendo::http::routes`).
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::http::{Access, routes};
use arriendo_events::actor::Role;
use auth_support::{Browser, Web, location};
use common::Engine;
use reqwest::{Method, StatusCode};

/// POST routes that auditors may use: they only touch the user's own session or account. A new POST
/// open to every role must be added here on purpose.
const SELF_SERVICE_POSTS: &[&str] = &[
    "/login",
    "/logout",
    "/cuenta/contrasena",
    // Replaces only the user's own calendar feed secret.
    "/calendario/enlace",
];

fn concrete(path: &str) -> String {
    // Parameters get a value that names nothing, so allowed requests reach the handler and change
    // nothing.
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "nadie-existe"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn send(browser: &Browser, method: &Method, path: &str) -> reqwest::Response {
    if method == Method::GET {
        browser.get(path).await
    } else {
        browser.post(path, &[]).await
    }
}

async fn every_route_for_every_role(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana-admin", Role::Administrador).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("aud-auditor", Role::Auditor).await;
    let table = routes();
    assert!(table.len() >= 14, "the table has the account routes");

    for route in &table {
        if route.method == Method::POST
            && matches!(route.access, Access::Public | Access::Authenticated)
        {
            assert!(
                SELF_SERVICE_POSTS.contains(&route.path),
                "POST {} is open to auditors: make it Access::Write or Access::Admin, or list it \
                 as self-service",
                route.path
            );
        }
    }

    let mut checked = 0;
    for route in &table {
        let path = concrete(route.path);
        // Anonymous.
        let anonymous = web.browser();
        let response = send(&anonymous, &route.method, &path).await;
        let status = response.status();
        if route.access == Access::Public {
            assert!(
                !location(&response).starts_with("/login?") && status != StatusCode::FORBIDDEN
                    || route.method == Method::POST,
                "{} {path} is public, anonymous got {status}",
                route.method
            );
        } else {
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "anonymous {} {path}",
                route.method
            );
            assert!(
                location(&response).starts_with("/login"),
                "anonymous {} {path} went to {}",
                route.method,
                location(&response)
            );
        }
        checked += 1;

        for (user, role) in [
            ("aud-auditor", Role::Auditor),
            ("gus-gestor", Role::Gestor),
            ("ana-admin", Role::Administrador),
        ] {
            // A fresh session per request: a POST such as /logout may end it.
            let browser = web.logged_in(user).await;
            let response = send(&browser, &route.method, &path).await;
            let status = response.status();
            let to = location(&response);
            // The start of the body names the failure when a handler errs.
            let body = response.text().await.unwrap_or_default();
            let excerpt: String = body.chars().take(400).collect();
            match route.access.check(Some(role)) {
                Ok(()) => {
                    assert_ne!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{user} {} {path}",
                        route.method
                    );
                    assert!(
                        !status.is_server_error() && status != StatusCode::METHOD_NOT_ALLOWED,
                        "{user} {} {path}: {status}: {excerpt}",
                        route.method
                    );
                    if route.path != "/logout" {
                        assert!(
                            !to.starts_with("/login"),
                            "{user} {} {path} was sent to {to}",
                            route.method
                        );
                    }
                }
                Err(_) => {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{user} {} {path}",
                        route.method
                    );
                    if role == Role::Auditor {
                        assert!(route.access == Access::Write || route.access == Access::Admin);
                    }
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, table.len() * 4);
}
both_engines!(
    every_route_for_every_role,
    super::every_route_for_every_role
);

async fn every_post_refuses_a_missing_or_wrong_csrf_token(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let admin = web.logged_in("ana-admin").await;
    for route in routes().iter().filter(|r| r.method == Method::POST) {
        let path = concrete(route.path);
        let missing = admin.post_raw(&path, &[]).await;
        assert_eq!(
            missing.status(),
            StatusCode::FORBIDDEN,
            "POST {path} without token"
        );
        let wrong = admin.post_raw(&path, &[("csrf_token", "0000")]).await;
        assert_eq!(
            wrong.status(),
            StatusCode::FORBIDDEN,
            "POST {path} wrong token"
        );
    }
    // Still logged in: none of the refused POSTs (logout included) did anything.
    assert_eq!(admin.get("/").await.status(), StatusCode::OK);
}
both_engines!(
    every_post_refuses_a_missing_or_wrong_csrf_token,
    super::every_post_refuses_a_missing_or_wrong_csrf_token
);

async fn unknown_paths_reveal_nothing_to_anonymous_visitors(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let anonymous = web.browser();
    let response = anonymous.get("/no/existe").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=%2Fno%2Fexiste");
    let gestor = web.logged_in("gus-gestor").await;
    let response = gestor.get("/no/existe").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Página no encontrada")
    );
}
both_engines!(
    unknown_paths_reveal_nothing_to_anonymous_visitors,
    super::unknown_paths_reveal_nothing_to_anonymous_visitors
);
