//! Issue 15's edges, on both engines: anonymous visitors store no session and send only small
//! bodies; no query string or form field makes a 500 and every refusal is the Spanish page; a
//! select's unknown value is a field error. (The login burst and per-IP limits: `auth_burst.rs`.)
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_support;

use arriendo::http::{Access, routes};
use arriendo_events::actor::Role;
use auth_support::{PASSWORD, Web, login_as};
use common::Engine;
use reqwest::{Method, StatusCode};
use web_support::{contract_fields, pairs, tercero_y_local};

// ---------------------------------------------------------------------------------------------------
// Anonymous requests cost nothing

async fn session_rows(web: &Web) -> i64 {
    arriendo::on_pool!(&web.app.db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tower_sessions")
            .fetch_one(pool)
            .await
            .unwrap()
    })
}

fn is_spanish_page(content_type: &str, body: &str) -> bool {
    content_type.starts_with("text/html") && body.contains("lang=\"es-CO\"")
}

async fn spanish(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.text().await.unwrap();
    assert!(
        is_spanish_page(&content_type, &body),
        "{status} {content_type}: {}",
        body.chars().take(300).collect::<String>()
    );
    (status, body)
}

/// Sends `POST /login` with a chunked body of `size` bytes over a raw connection (the client library
/// always declares lengths); returns the response's status line.
async fn chunked_login(base: &str, token: &str, size: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nCookie: arriendo_ingreso={token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let first = format!("csrf_token={token}&username=ana&password=");
    let mut chunks = vec![first.into_bytes()];
    chunks.extend(std::iter::repeat_n(vec![b'a'; 1024], size / 1024));
    for chunk in chunks {
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        // The server may answer and close before reading everything.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn anonymous_visitors_store_no_session_and_send_small_bodies(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Gestor).await;
    let anonymous = web.browser();
    for path in [
        "/login",
        "/login?next=%2Fcontratos",
        "/contratos",
        "/no/existe",
    ] {
        anonymous.get(path).await;
    }
    let token = anonymous.token().await;
    assert_eq!(
        login_as(&anonymous, &token, "ana", "equivocada-del-todo", None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        session_rows(&web).await,
        0,
        "no session for anonymous visitors"
    );
    assert!(anonymous.session_cookie().is_none());

    // A login body over 8 KiB is refused before it is read, with the Spanish page.
    let big = "x".repeat(9 * 1024);
    let response = anonymous
        .client
        .post(anonymous.url("/login"))
        .form(&[
            ("username", "ana"),
            ("password", big.as_str()),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = spanish(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("Solicitud demasiado grande"));
    // Also without a token (nothing of it is buffered), and then nothing was stored either.
    let response = anonymous
        .client
        .post(anonymous.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username=ana&password={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(spanish(response).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // Without a declared length (chunked), reading stops at the limit too.
    assert!(
        chunked_login(&web.base, &token, 64 * 1024)
            .await
            .starts_with("HTTP/1.1 413"),
    );
    assert_eq!(session_rows(&web).await, 0);

    // The login works, and only then is a session stored.
    assert_eq!(
        login_as(&anonymous, &token, "ana", PASSWORD, None).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(session_rows(&web).await, 1);

    // Forms: the largest legitimate contract form passes, a bigger body gets 413.
    let (tercero, local) = tercero_y_local(&web.app).await;
    let mut fields = contract_fields(arriendo::app::today(), "CT-GRANDE", &tercero, &local);
    let long = "á".repeat(10_000);
    for name in ["objeto", "clausula_penal", "interes_mora"] {
        fields.retain(|(k, _)| k != name);
        fields.push((name.to_string(), long.clone()));
    }
    let response = anonymous.post("/contratos", &pairs(&fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the largest form");
    let huge = "x".repeat(300 * 1024);
    let response = anonymous
        .post("/terceros", &[("razon_social", huge.as_str())])
        .await;
    let (status, _) = spanish(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
both_engines!(
    anonymous_costs_nothing,
    super::anonymous_visitors_store_no_session_and_send_small_bodies
);

// ---------------------------------------------------------------------------------------------------
// No 500 from a query string or a form field

/// Query strings no page should answer with a 5xx, and whether each must be refused.
const HOSTILE_QUERIES: &[(&str, bool)] = &[
    ("pagina=18446744073709551615", false),
    ("pagina=-1&orden=zzz&dir=zzz", false),
    ("q=a%00b", true),
    ("contrato=a%00b", true),
    ("q=%FF%FE", true),
    // LIKE's wildcards and escape in a search (the lists, /buscar): literal, never an SQL error.
    ("q=%25_%5C%27", false),
    ("tipo=%C3%28", true),
    ("pagina=1&pagina=2", false),
    ("q=a&q=b&contrato=x&contrato=y&estado=zzz", false),
    ("fecha=2025-13-45&comparar=zzz", false),
];

fn concrete(path: &str, contract: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{id}" if path.starts_with("/contratos/") => contract,
            s if s.starts_with('{') => "nadie-existe",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_get_route_survives_hostile_query_strings(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let admin = web.logged_in("ana").await;
    let fields = contract_fields(arriendo::app::today(), "CT-Q-1", &tercero, &local);
    let created = admin.post("/contratos", &pairs(&fields)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let contract = auth_support::location(&created)
        .trim_start_matches("/contratos/")
        .to_string();

    let mut checked = 0;
    let swept: Vec<&str> = routes().iter().map(|r| r.path).collect();
    assert!(swept.contains(&"/buscar"), "the global search is swept too");
    for route in routes().iter().filter(|r| r.method == Method::GET) {
        let path = concrete(route.path, &contract);
        for (query, refused) in HOSTILE_QUERIES {
            let response = admin.get(&format!("{path}?{query}")).await;
            let status = response.status();
            assert!(!status.is_server_error(), "GET {path}?{query}: {status}");
            if *refused {
                let (status, body) = spanish(response).await;
                assert!(
                    status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
                    "GET {path}?{query}: {status}"
                );
                assert!(body.contains("Datos no válidos") || body.contains("Solicitud no válida"));
            } else if status.is_client_error() {
                spanish(response).await;
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // Path parameters are text from the address too.
    for route in routes().iter().filter(|r| r.path.contains('{')) {
        for hostile in ["a%00b", "%FF%FE", "18446744073709551615"] {
            let path: String = route
                .path
                .split('/')
                .map(|s| if s.starts_with('{') { hostile } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let response = if route.method == Method::GET {
                admin.get(&path).await
            } else {
                admin.post(&path, &[]).await
            };
            let status = response.status();
            assert!(
                !status.is_server_error(),
                "{} {path}: {status}",
                route.method
            );
            if status.is_client_error() {
                spanish(response).await;
            }
        }
    }
    // The page numbers past any list are an empty page, not an error.
    for path in [
        "/contratos",
        "/alertas",
        "/polizas",
        "/terceros",
        "/locales",
    ] {
        let response = admin
            .get(&format!("{path}?pagina=18446744073709551615"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}
both_engines!(
    hostile_query_strings,
    super::every_get_route_survives_hostile_query_strings
);

/// The forms of a page: action and field names (everything but the token and buttons).
fn forms_of(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let document = scraper::Html::parse_document(html);
    let form_selector = scraper::Selector::parse("form[method=post]").unwrap();
    let field_selector = scraper::Selector::parse("input, textarea, select").unwrap();
    document
        .select(&form_selector)
        .filter_map(|form| {
            let action = form.value().attr("action")?.to_string();
            let fields = form
                .select(&field_selector)
                .filter_map(|f| {
                    let name = f.value().attr("name")?;
                    let kind = f.value().attr("type").unwrap_or("text");
                    (name != "csrf_token" && kind != "submit").then(|| {
                        (
                            name.to_string(),
                            f.value().attr("value").unwrap_or("").to_string(),
                        )
                    })
                })
                .collect();
            Some((action, fields))
        })
        .collect()
}

async fn a_nul_in_any_form_field_is_a_spanish_422(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let admin = web.logged_in("ana").await;
    let fields = contract_fields(arriendo::app::today(), "CT-NUL-1", &tercero, &local);
    let created = admin.post("/contratos", &pairs(&fields)).await;
    let contract = auth_support::location(&created);

    // Every field of every form these pages show, one at a time.
    let pages = [
        "/contratos/nuevo".to_string(),
        contract.clone(),
        format!("{contract}/editar"),
        format!("{contract}/otrosi/nuevo"),
        format!("{contract}/polizas/nueva"),
        "/terceros/nuevo".to_string(),
        format!("/terceros/{tercero}/editar"),
        "/locales/nuevo".to_string(),
        "/indices".to_string(),
        "/usuarios".to_string(),
        "/usuarios/accesos".to_string(),
        "/cuenta/contrasena".to_string(),
    ];
    let mut posted = 0;
    for page in &pages {
        let html = admin.get(page).await.text().await.unwrap();
        for (action, fields) in forms_of(&html) {
            if action == "/logout" {
                continue;
            }
            for (name, _) in &fields {
                let mut sent: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                for pair in sent.iter_mut().filter(|(k, _)| k == name) {
                    pair.1 = "a\u{0}b";
                }
                let response = admin.post(&action, &sent).await;
                let (status, body) = spanish(response).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action} {name}");
                assert!(body.contains(&format!("«{name}»")), "{action} {name}");
                posted += 1;
            }
        }
    }
    assert!(posted > 60, "posted {posted}");
    // And every POST route of the table, whatever its fields.
    for route in routes().iter().filter(|r| r.method == Method::POST) {
        let path = concrete(route.path, "nadie-existe");
        let browser = if route.access == Access::Public {
            web.browser()
        } else {
            web.logged_in("ana").await
        };
        let response = browser.post(&path, &[("campo", "a\u{0}b")]).await;
        let (status, _) = spanish(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "POST {path}");
    }
    // Other refusals by the extractors are the Spanish page too: a JSON body, a duplicated field.
    let response = admin
        .client
        .post(admin.url("/cuenta/contrasena"))
        .header("x-csrf-token", admin.token().await)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        spanish(response).await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let response = admin
        .post("/cuenta/contrasena", &[("actual", "a"), ("actual", "b")])
        .await;
    let (status, _) = spanish(response).await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(admin.get("/").await.status(), StatusCode::OK);
}
both_engines!(
    nul_in_forms,
    super::a_nul_in_any_form_field_is_a_spanish_422
);

// ---------------------------------------------------------------------------------------------------
// Unknown choices refused

async fn an_unknown_choice_in_a_select_is_a_field_error(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let gestor = web.logged_in("gus").await;
    let base = contract_fields(arriendo::app::today(), "CT-SEL-1", &tercero, &local);
    for (field, value) in [
        ("ajuste_fecha", "zzz"),
        ("ajuste_indice", "zzz"),
        ("clase", "zzz"),
        ("modalidad", "zzz"),
        ("tercero", "zzz"),
        ("local", "zzz"),
    ] {
        let mut fields = base.clone();
        fields.retain(|(k, _)| k != field);
        fields.push((field.to_string(), value.to_string()));
        let response = gestor.post("/contratos", &pairs(&fields)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("campo-{field}-error")),
            "{field}={value}"
        );
    }
    // Nothing was saved, and the valid form still saves.
    let response = gestor.post("/contratos", &pairs(&base)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let contract = auth_support::location(&response);

    // Otro Sí: an unknown modality used to be read as "híbrido".
    let today = arriendo::app::today();
    let response = gestor
        .post(
            &format!("{contract}/otrosi"),
            &[
                ("vigencia_desde", web_support::iso(today).as_str()),
                ("descripcion", "Cambio de modalidad"),
                ("modalidad", "zzz"),
                ("minimo", "10.000.000"),
                ("porcentaje", "5"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("campo-modalidad-error")
    );
    let response = gestor
        .post(
            &format!("{contract}/otrosi"),
            &[
                ("vigencia_desde", web_support::iso(today).as_str()),
                ("descripcion", "Cambio de ajuste"),
                ("ajuste_fecha", "zzz"),
                ("ajuste_indice", "ipc"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("campo-ajuste_fecha-error")
    );
}
both_engines!(
    unknown_choices,
    super::an_unknown_choice_in_a_select_is_a_field_error
);
