//! Issue 15: logins under a burst, on both engines. Forty simultaneous wrong guesses for one user get
//! exactly as many password checks as the lockout allows (5), the right password afterwards is
//! refused, and one address sweeping many usernames is refused after its own limit.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::auth::lockout;
use arriendo_events::actor::Role;
use auth_support::{PASSWORD, Web, login_as};
use common::Engine;
use reqwest::StatusCode;

async fn outcome_counts(web: &Web, username: &str) -> (usize, usize, usize) {
    let attempts = lockout::recent_attempts(&web.app.db, 10_000).await.unwrap();
    let of = |outcome: &str| {
        attempts
            .iter()
            .filter(|a| a.username == username && a.outcome == outcome)
            .count()
    };
    (of("failure"), of("locked"), of("success"))
}

async fn a_burst_of_guesses_gets_five_checks_and_the_right_password_is_refused(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();
    let token = browser.token().await;
    let mut burst = Vec::new();
    for i in 0..40 {
        let client = browser.client.clone();
        let url = browser.url("/login");
        let token = token.clone();
        burst.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[
                    ("username", "ana"),
                    ("password", format!("adivinanza-{i}").as_str()),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut refused = 0;
    for task in burst {
        let status = task.await.unwrap();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused >= 35, "{refused} of 40 refused");
    // The right password after the burst: locked.
    assert_eq!(
        login_as(&browser, &token, "ana", PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let (failures, locked, successes) = outcome_counts(&web, "ana").await;
    assert_eq!(failures, 5, "password checks counted");
    assert_eq!(locked, 36);
    assert_eq!(successes, 0);
    assert_eq!(
        lockout::list_locked(&web.app.db, web.clock.now())
            .await
            .unwrap()
            .len(),
        1
    );
}
both_engines!(
    login_burst,
    super::a_burst_of_guesses_gets_five_checks_and_the_right_password_is_refused
);

async fn one_address_sweeping_usernames_is_refused_after_its_limit(engine: Engine) {
    let web = Web::start_with(engine, |s| {
        s.ip_failures = 6;
        s.trusted_proxies = 1;
    })
    .await;
    web.add_user("ana", Role::Gestor).await;
    let browser = web.browser();
    let token = browser.token().await;
    let sweeper = Some("203.0.113.7");
    for i in 0..6 {
        let user = format!("usuario-{i}");
        assert_eq!(
            login_as(&browser, &token, &user, "adivinanza", sweeper).await,
            StatusCode::UNAUTHORIZED,
            "{user}"
        );
    }
    // The seventh username from the same address: refused without a check, like any other.
    assert_eq!(
        login_as(&browser, &token, "usuario-6", "adivinanza", sweeper).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_as(&browser, &token, "ana", PASSWORD, sweeper).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let (failures, locked, _) = outcome_counts(&web, "usuario-6").await;
    assert_eq!((failures, locked), (0, 1));
    // Another address is not affected.
    assert_eq!(
        login_as(&browser, &token, "ana", PASSWORD, Some("198.51.100.2")).await,
        StatusCode::SEE_OTHER
    );
    // The limit is per address, and the window ends.
    web.clock.advance(chrono::Duration::minutes(61));
    let again = web.browser();
    let token = again.token().await;
    assert_eq!(
        login_as(&again, &token, "ana", PASSWORD, sweeper).await,
        StatusCode::SEE_OTHER
    );
}
both_engines!(
    login_ip_sweep,
    super::one_address_sweeping_usernames_is_refused_after_its_limit
);
