//! Issue 9: no form value can wedge the installation. Every form the demo portfolio shows an
//! administrador is posted with extreme values (the largest integers, a 1 MB text, NUL bytes, dates
//! far in the past and the future), one field at a time and all fields at once; afterwards the
//! projector is at the head of the log, nothing is quarantined, and every page still answers 200 or
//! a 4xx.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use arriendo_events::actor::Role;
use auth_support::Web;
use common::Engine;
use scraper::{ElementRef, Html, Selector};

/// Pages crawled from the dashboard, at most.
const MAX_PAGES: usize = 400;

/// A form as the page shows it: where it posts and its fields with their default values.
#[derive(Clone, Debug)]
struct PageForm {
    /// The page that shows the form: it is fetched again before every post, so hidden fields such as
    /// the version the user saw are current and each variant is judged on its own.
    page: String,
    action: String,
    fields: Vec<Field>,
}

#[derive(Clone, Debug)]
struct Field {
    name: String,
    value: String,
    kind: String,
}

impl Field {
    fn editable(&self) -> bool {
        self.name != "csrf_token" && self.kind != "hidden" && self.kind != "submit"
    }
}

fn one_mb() -> String {
    "A".repeat(1024 * 1024)
}

/// What a careless or hostile user could type in a field of this kind.
fn extremes_for(field: &Field) -> Vec<String> {
    let mut values = vec![
        "9223372036854775807".to_string(),
        "18446744073709551615".to_string(),
        "100000000".to_string(),
        "-9223372036854775808".to_string(),
        "a\u{0}b".to_string(),
        "\u{1b}[31m".to_string(),
        "9999-12-31".to_string(),
        "0001-01-01".to_string(),
    ];
    if field.kind == "date" {
        values.push("+262143-12-31".to_string());
    } else {
        values.push("1e400".to_string());
        values.push("99.999.999.999.999.999.999.999.999,99".to_string());
    }
    values
}

/// Forms that end the session or change the tester's own credentials, and the backups (slow, and
/// covered by their own tests).
fn skipped(action: &str) -> bool {
    ["/logout", "/login", "/cuenta", "/respaldos"]
        .iter()
        .any(|prefix| action.starts_with(prefix))
        || action.ends_with("/contrasena")
        || action.ends_with("/sesiones")
}

/// After this many failures the installation is wedged: the rest would only repeat it.
const ENOUGH_FAILURES: usize = 20;

/// Forms that remove or disable what later forms need are posted last.
fn destructive(action: &str) -> bool {
    [
        "eliminar",
        "desactivar",
        "anular",
        "terminar",
        "cancelar",
        "rechazar",
    ]
    .iter()
    .any(|word| action.contains(word))
}

/// The shape of a path: ids replaced, so one form per kind is exercised.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.len() >= 32 && segment.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn attr(element: &ElementRef, name: &str) -> String {
    element.value().attr(name).unwrap_or_default().to_string()
}

fn forms_of(page: &str, html: &str) -> Vec<PageForm> {
    let document = Html::parse_document(html);
    let form_selector = Selector::parse("form[method=post]").unwrap();
    let input = Selector::parse("input, select, textarea").unwrap();
    let option = Selector::parse("option").unwrap();
    let mut forms = Vec::new();
    for form in document.select(&form_selector) {
        let mut fields = Vec::new();
        for element in form.select(&input) {
            let name = attr(&element, "name");
            if name.is_empty() {
                continue;
            }
            let tag = element.value().name();
            let kind = if tag == "input" {
                let kind = attr(&element, "type");
                if kind.is_empty() { "text".into() } else { kind }
            } else {
                tag.to_string()
            };
            let value = match tag {
                "select" => {
                    let options: Vec<ElementRef> = element.select(&option).collect();
                    options
                        .iter()
                        .find(|o| o.value().attr("selected").is_some())
                        .or_else(|| options.iter().find(|o| !attr(o, "value").is_empty()))
                        .map(|o| attr(o, "value"))
                        .unwrap_or_default()
                }
                "textarea" => element.text().collect(),
                _ if kind == "checkbox" || kind == "radio" => {
                    if element.value().attr("checked").is_none() {
                        continue;
                    }
                    attr(&element, "value")
                }
                _ => attr(&element, "value"),
            };
            fields.push(Field { name, value, kind });
        }
        forms.push(PageForm {
            page: page.to_string(),
            action: attr(&form, "action"),
            fields,
        });
    }
    forms
}

fn links_of(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let anchor = Selector::parse("a[href]").unwrap();
    document
        .select(&anchor)
        .map(|a| attr(&a, "href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| !href.starts_with("/logout") && !href.starts_with("/respaldos/archivos"))
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// Every page reachable from the dashboard (up to [`MAX_PAGES`]) with its status, and the forms
/// found on the pages that answered 200, one per shape of action.
async fn crawl(browser: &auth_support::Browser) -> (BTreeMap<String, u16>, Vec<PageForm>) {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut statuses = BTreeMap::new();
    let mut forms: BTreeMap<String, PageForm> = BTreeMap::new();
    while let Some(path) = queue.pop_front() {
        if statuses.len() >= MAX_PAGES || !seen.insert(path.clone()) {
            continue;
        }
        let response = browser.get(&path).await;
        let status = response.status().as_u16();
        let is_html = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/html"));
        statuses.insert(path.clone(), status);
        if status != 200 || !is_html {
            continue;
        }
        let html = response.text().await.unwrap();
        for form in forms_of(&path, &html) {
            if !form.action.starts_with('/') || skipped(&form.action) {
                continue;
            }
            forms.entry(key(&form)).or_insert(form);
        }
        for link in links_of(&html) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    let mut forms: Vec<PageForm> = forms.into_values().collect();
    forms.sort_by_key(|form| destructive(&form.action));
    (statuses, forms)
}

fn key(form: &PageForm) -> String {
    let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
    format!("{} {}", shape(&form.action), names.join(","))
}

/// The form as its page shows it now, if it still does.
async fn fresh(browser: &auth_support::Browser, form: &PageForm) -> Option<PageForm> {
    let response = browser.get(&form.page).await;
    if response.status() != 200 {
        return None;
    }
    let html = response.text().await.unwrap();
    let wanted = key(form);
    forms_of(&form.page, &html)
        .into_iter()
        .find(|candidate| key(candidate) == wanted)
}

fn with_value(form: &PageForm, field: Option<&str>, value: &str) -> Vec<(String, String)> {
    form.fields
        .iter()
        .map(|f| {
            let replaced = match field {
                Some(name) => f.name == name,
                None => f.editable(),
            };
            let value = if replaced { value } else { f.value.as_str() };
            (f.name.clone(), value.to_string())
        })
        .collect()
}

async fn extreme_values_in_every_form_wedge_nothing(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana-admin", Role::Administrador).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    let browser = web.logged_in("ana-admin").await;

    let (before, forms) = crawl(&browser).await;
    assert!(before.len() > 50, "the crawl reached the portfolio's pages");
    assert!(
        forms.len() >= 10,
        "the crawl found the forms: {}",
        forms.len()
    );
    for form in &forms {
        eprintln!("form {} on {}", shape(&form.action), form.page);
    }

    let mut server_errors = Vec::new();
    let mut posts = 0;
    for form in &forms {
        let mut variants: Vec<(Option<String>, String)> = Vec::new();
        for field in form.fields.iter().filter(|f| f.editable()) {
            for value in extremes_for(field) {
                variants.push((Some(field.name.clone()), value));
            }
            if matches!(field.kind.as_str(), "text" | "textarea" | "number") {
                variants.push((Some(field.name.clone()), one_mb()));
            }
        }
        for value in ["18446744073709551615", "a\u{0}b", "9999-12-31"] {
            variants.push((None, value.to_string()));
        }
        for (field, value) in variants {
            let Some(current) = fresh(&browser, form).await else {
                continue;
            };
            let fields = with_value(&current, field.as_deref(), &value);
            let response = browser
                .client
                .post(browser.url(&form.action))
                .form(&fields)
                .timeout(std::time::Duration::from_secs(30))
                .send()
                .await;
            posts += 1;
            let failure = match response {
                Ok(response) if response.status().is_server_error() => {
                    response.status().to_string()
                }
                Ok(_) => continue,
                Err(err) => format!("no answer ({err})"),
            };
            let changed: Vec<String> = fields
                .iter()
                .filter(|(name, value)| {
                    current
                        .fields
                        .iter()
                        .any(|f| &f.name == name && &f.value != value)
                })
                .map(|(name, value)| {
                    format!("{name}={}", value.chars().take(24).collect::<String>())
                })
                .collect();
            server_errors.push(format!("{failure} {} [{}]", form.action, changed.join(" ")));
            if server_errors.len() >= ENOUGH_FAILURES {
                break;
            }
        }
        if server_errors.len() >= ENOUGH_FAILURES {
            break;
        }
    }
    assert!(
        server_errors.is_empty(),
        "{} of {posts} posts answered a server error or no answer; the first ones:\n{}",
        server_errors.len(),
        server_errors[..server_errors.len().min(30)].join("\n")
    );

    assert!(posts > 200, "posted {posts} variants");
    web.app.projector.catch_up().await.unwrap();
    let status = web.app.projector.status().await.unwrap();
    assert_eq!(status.lag(), 0, "the projector is at the head: {status:?}");

    let (after, _) = crawl(&browser).await;
    let broken: Vec<String> = after
        .iter()
        .filter(|(_, status)| !(**status == 200 || (400..500).contains(*status) || **status == 303))
        .map(|(path, status)| format!("{status} {path}"))
        .collect();
    assert!(
        broken.is_empty(),
        "pages broken after the posts:\n{}",
        broken.join("\n")
    );
}
both_engines!(
    extreme_values_in_every_form_wedge_nothing,
    super::extreme_values_in_every_form_wedge_nothing
);
