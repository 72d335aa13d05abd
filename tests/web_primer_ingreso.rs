//! Issue 16 item 6: a password someone else set (the first start's, an administrador's temporary
//! one) must be changed at the first login: every page leads to `/cuenta/contrasena` until then.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo::auth::ensure_initial_admin;
use arriendo_events::Role;
use auth_support::{Browser, Web, location};
use common::Engine;

/// A page or a form answers 303 to the password page.
async fn sent_to_change(who: &Browser, path: &str) {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 303, "{path}");
    assert_eq!(location(&response), "/cuenta/contrasena", "{path}");
}

async fn choose(who: &Browser, current: &str, new: &str) -> reqwest::Response {
    who.post(
        "/cuenta/contrasena",
        &[("actual", current), ("nueva", new), ("confirmacion", new)],
    )
    .await
}

fn temporary_in(html: &str) -> String {
    let marker = "<code class=\"secret\">";
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

async fn temporary_passwords_are_changed_first(engine: Engine) {
    let web = Web::start(engine).await;
    let (admin, printed) = ensure_initial_admin(&web.app).await.unwrap().unwrap();
    let first = web.browser();
    assert_eq!(first.login(&admin, &printed).await.status().as_u16(), 303);
    for path in ["/", "/contratos", "/bandeja", "/usuarios", "/alertas"] {
        sent_to_change(&first, path).await;
    }
    let post = first
        .post("/usuarios", &[("usuario", "nina"), ("rol", "gestor")])
        .await;
    assert_eq!(post.status().as_u16(), 303);
    assert_eq!(location(&post), "/cuenta/contrasena");
    assert!(
        arriendo::auth::users::find(&web.app.db, "nina")
            .await
            .unwrap()
            .is_none(),
        "nothing done before the change"
    );
    let form = first.get("/cuenta/contrasena").await;
    assert_eq!(form.status().as_u16(), 200);
    assert!(
        form.text()
            .await
            .unwrap()
            .contains("Su contraseña es temporal")
    );
    // The same password again is not a change.
    let same = choose(&first, &printed, &printed).await;
    assert_eq!(same.status().as_u16(), 422);
    let mine = "una-clave-propia-larga";
    let changed = choose(&first, &printed, mine).await;
    assert_eq!(changed.status().as_u16(), 303);
    assert_eq!(location(&changed), "/");
    assert_eq!(first.get("/").await.status().as_u16(), 200);
    assert!(
        !first
            .get("/cuenta/contrasena")
            .await
            .text()
            .await
            .unwrap()
            .contains("Su contraseña es temporal")
    );

    // A user the administrador creates, and one whose password the administrador resets.
    let created = first
        .post("/usuarios", &[("usuario", "nina"), ("rol", "gestor")])
        .await;
    let temporary = temporary_in(&created.text().await.unwrap());
    let nina = web.browser();
    assert_eq!(nina.login("nina", &temporary).await.status().as_u16(), 303);
    sent_to_change(&nina, "/contratos").await;
    assert_eq!(
        choose(&nina, &temporary, "la-clave-de-nina-1")
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(nina.get("/contratos").await.status().as_u16(), 200);

    web.add_user("leo", Role::Gestor).await;
    let leo = web.logged_in("leo").await;
    assert_eq!(
        leo.get("/").await.status().as_u16(),
        200,
        "own password: no detour"
    );
    let reset = first
        .post("/usuarios/leo/contrasena", &[("confirmar", "si")])
        .await;
    let temporary = temporary_in(&reset.text().await.unwrap());
    let leo = web.browser();
    assert_eq!(leo.login("leo", &temporary).await.status().as_u16(), 303);
    sent_to_change(&leo, "/").await;
    let logout = leo.post("/logout", &[]).await;
    assert_eq!(logout.status().as_u16(), 303, "logging out stays open");
}
both_engines!(first_login, super::temporary_passwords_are_changed_first);
