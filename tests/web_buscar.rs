//! Issue 16, item 5: the global search. The header of every signed-in page has one box that sends
//! GET `/buscar?q=…`; the page finds contracts, terceros, locales and pólizas by number, name, NIT
//! (with or without dots and dash) and local, accent- and case-insensitive on both engines, grouped
//! by kind with a count each. Two views of one fact: each group's count is the total of that kind's
//! own list with the same search, reached through the group's «Ver todos» link.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{
    ContratoCommand, DateRange, PaymentModality, PolicyKind, PolizaData, PolizaState, RequiredBy,
    Role,
};
use auth_support::{Browser, Web};
use common::Engine;
use scraper::{Html, Selector};
use uuid::Uuid;
use web_fixtures::*;

async fn text(who: &Browser, path: &str) -> String {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.unwrap()
}

/// One group of `/buscar` as the page shows it.
#[derive(Debug)]
struct Shown {
    heading: String,
    count: String,
    links: Vec<String>,
    all: Option<String>,
}

fn select(html: &Html, css: &str) -> Vec<String> {
    let s = Selector::parse(css).unwrap();
    html.select(&s)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn groups(page: &str) -> Vec<Shown> {
    let html = Html::parse_document(page);
    let group = Selector::parse("main section.search-group").unwrap();
    let heading = Selector::parse("h2").unwrap();
    let count = Selector::parse(".search-count").unwrap();
    let link = Selector::parse(".search-results a").unwrap();
    let all = Selector::parse(".search-more a").unwrap();
    html.select(&group)
        .map(|g| {
            let count: String = g.select(&count).next().unwrap().text().collect();
            let heading: String = g.select(&heading).next().unwrap().text().collect();
            Shown {
                heading: heading.replace(&count, "").trim().to_string(),
                count: count.trim_matches(|c| c == '(' || c == ')').to_string(),
                links: g
                    .select(&link)
                    .map(|a| a.value().attr("href").unwrap().to_string())
                    .collect(),
                all: g
                    .select(&all)
                    .next()
                    .map(|a| a.value().attr("href").unwrap().to_string()),
            }
        })
        .collect()
}

fn group<'a>(shown: &'a [Shown], heading: &str) -> &'a Shown {
    shown.iter().find(|g| g.heading == heading).unwrap()
}

async fn register_poliza(web: &Web, contract: Uuid, number: &str) {
    let today = arriendo::app::today();
    run(
        &web.app,
        contract,
        ContratoCommand::RegisterPoliza {
            actor: admin(),
            id: Uuid::now_v7(),
            poliza: PolizaData {
                kind: PolicyKind::Rce,
                number: number.into(),
                insurer: "Seguros Bolívar".into(),
                insured_value: money(600_000_000),
                rce_sublimits: None,
                cumplimiento_cover: None,
                validity: DateRange::new(today, today + chrono::Duration::days(365)).unwrap(),
                state: PolizaState::AporteInicial,
                required_by: RequiredBy::Contract,
                colchon_months: 0,
            },
        },
    )
    .await;
}

async fn finds_every_kind_ignoring_accents_case_and_nit_punctuation(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Auditor).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456-8", "Almacenes Éxito Peña S.A.S.").await;
    let plaza = local(&web.app, "Plazoleta Café Ñandú").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let id = contract(
        &web.app,
        terms("CT-GLOBAL-1", tercero, Some(plaza), modality, today, 30),
    )
    .await;
    register_poliza(&web, id, "RCE-4411").await;
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;

    // The box is in the header of the pages, and sends what was typed to /buscar.
    let panel = text(&gus, "/contratos").await;
    let header = &panel[panel.find("<header").unwrap()..panel.find("</header>").unwrap()];
    assert!(header.contains("action=\"/buscar\""), "{header}");

    // Accents and case: «exito» finds «Éxito», «ÑANDU» finds «Ñandú»; a NIT with dots and dash or
    // as bare digits finds the tercero, its contract and its póliza.
    for q in ["exito", "ÉXITO", "900.123.456-8", "9001234568"] {
        let shown = groups(&text(&gus, &format!("/buscar?q={q}")).await);
        let kinds: Vec<&str> = shown.iter().map(|g| g.heading.as_str()).collect();
        assert_eq!(
            kinds,
            ["Contratos", "Terceros", "Locales", "Pólizas"],
            "q={q}"
        );
        let contracts = group(&shown, "Contratos");
        assert_eq!(contracts.count, "1 contrato", "q={q}");
        assert_eq!(contracts.links, [format!("/contratos/{id}")], "q={q}");
        assert_eq!(group(&shown, "Terceros").count, "1 tercero", "q={q}");
        assert_eq!(
            group(&shown, "Terceros").links,
            [format!("/terceros/{tercero}")]
        );
        assert_eq!(group(&shown, "Locales").count, "0 locales", "q={q}");
        assert_eq!(group(&shown, "Pólizas").count, "1 póliza", "q={q}");
    }
    // The local by its name, and its contract with it.
    let shown = groups(&text(&gus, "/buscar?q=cafe+NANDU").await);
    assert_eq!(
        group(&shown, "Locales").links,
        [format!("/locales/{plaza}")]
    );
    assert_eq!(group(&shown, "Contratos").count, "1 contrato");
    assert_eq!(group(&shown, "Terceros").count, "0 terceros");
    // The contract by its number, the póliza by its own.
    let shown = groups(&text(&gus, "/buscar?q=ct-global").await);
    assert_eq!(group(&shown, "Contratos").count, "1 contrato");
    let shown = groups(&text(&gus, "/buscar?q=rce-4411").await);
    assert_eq!(group(&shown, "Pólizas").count, "1 póliza");
    assert_eq!(group(&shown, "Contratos").count, "0 contratos");
    let policy = &group(&shown, "Pólizas").links[0];
    assert_eq!(gus.get(policy).await.status().as_u16(), 200, "{policy}");
    // Nothing found: every group says 0, and the page says nothing matches.
    let nothing = text(&gus, "/buscar?q=exitos").await;
    assert!(nothing.contains("Nada coincide"));
    assert!(groups(&nothing).iter().all(|g| g.count.starts_with("0 ")));

    // An empty search is the page with the box and no results; LIKE's wildcards are literal, and
    // a very long search is no error.
    for q in ["", "+++", "%25", "_", "%5C", "%25%25_", &"é".repeat(1_000)] {
        let page = text(&gus, &format!("/buscar?q={q}")).await;
        assert!(page.contains("action=\"/buscar\""), "q={q}");
        assert!(!page.contains("CT-GLOBAL-1"), "q={q}");
    }
    assert!(groups(&text(&gus, "/buscar").await).is_empty());
    // A NUL byte is refused like on every page (tests/edges.rs sweeps every route), never a 500.
    let nul = gus.get("/buscar?q=a%00b").await.status();
    assert!(nul.is_client_error(), "{nul}");
}
both_engines!(
    finds_every_kind,
    super::finds_every_kind_ignoring_accents_case_and_nit_punctuation
);

/// The count of a list page: its subtitle («12 contratos», «3 pólizas»).
fn list_count(page: &str) -> String {
    let html = Html::parse_document(page);
    select(&html, "main .page-subtitle").remove(0)
}

async fn each_count_is_the_total_of_its_list(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;
    let mut followed = 0;
    for q in ["s.a.s", "SAS", "colombia", "centro", "zz-nada"] {
        let shown = groups(&text(&gus, &format!("/buscar?q={q}")).await);
        assert_eq!(shown.len(), 4, "q={q}");
        for g in &shown {
            assert!(
                g.links.len() <= 10,
                "q={q} {}: {}",
                g.heading,
                g.links.len()
            );
            let list = match &g.all {
                Some(all) => {
                    followed += 1;
                    assert_eq!(g.links.len(), 10, "q={q} {}", g.heading);
                    all.clone()
                }
                None => {
                    let kind = match g.heading.as_str() {
                        "Contratos" => "/contratos",
                        "Terceros" => "/terceros",
                        "Locales" => "/locales",
                        _ => "/polizas",
                    };
                    format!("{kind}?q={}", q.replace(' ', "+"))
                }
            };
            let listed = list_count(&text(&gus, &list).await);
            assert_eq!(g.count, listed, "q={q} {} vs {list}", g.heading);
            if g.all.is_none() {
                assert_eq!(
                    g.links.len().to_string(),
                    g.count.split(' ').next().unwrap()
                );
            }
        }
    }
    assert!(followed >= 2, "the demo has more than 10 of some kinds");
}
both_engines!(
    counts_equal_the_lists,
    super::each_count_is_the_total_of_its_list
);
