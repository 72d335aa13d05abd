//! The print stylesheet (issue 16 item 7): the contract page, the billing and the lists print without
//! navigation or controls, with whole tables (no clipping, the header repeated on each sheet, rows
//! never cut) and page breaks between the contract's long sections; the phone's stacked cards never
//! reach the paper.

use arriendo_views::assets::APP_CSS;

/// The body of every `@media <query> { … }` block whose query contains `query`, concatenated.
fn media(query: &str) -> String {
    let mut out = String::new();
    let mut rest = APP_CSS;
    while let Some(at) = rest.find("@media") {
        let after = &rest[at..];
        let open = after.find('{').unwrap_or(0);
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after.char_indices().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        if after[..open].contains(query) {
            out.push_str(&after[open + 1..end]);
        }
        rest = &after[end..];
    }
    out
}

/// The declarations of the first rule in `css` whose selector list names `selector`.
fn rule<'a>(css: &'a str, selector: &str) -> &'a str {
    let mut from = 0;
    while let Some(i) = css[from..].find(selector) {
        let at = from + i;
        let tail = &css[at + selector.len()..];
        if tail.starts_with([' ', ',', '{', '\n']) {
            let open = at + tail.find('{').unwrap_or(0) + selector.len();
            let close = open + css[open..].find('}').unwrap_or(0);
            return &css[open + 1..close];
        }
        from = at + selector.len();
    }
    panic!("no print rule for {selector}");
}

#[test]
fn paper_has_no_navigation_nor_controls() {
    let print = media("print");
    for selector in [
        ".site-header",
        ".nav-desktop",
        ".nav-mobile",
        ".breadcrumbs",
        ".site-footer",
        ".filters",
        ".pagination",
        ".btn",
        "form.form",
        "details:has(> form)",
        ".alert-entry-actions",
    ] {
        assert!(
            rule(&print, selector).contains("display: none"),
            "{selector}"
        );
    }
}

#[test]
fn tables_print_whole() {
    let print = media("print");
    assert!(rule(&print, ".table-wrap").contains("overflow: visible"));
    assert!(rule(&print, ".data-table thead").contains("table-header-group"));
    assert!(rule(&print, ".data-table tr").contains("break-inside: avoid"));
    assert!(rule(&print, ".data-table .nowrap").contains("white-space: normal"));
}

/// A closed `<details>` hides its content on paper too (found by printing the contract page to PDF
/// in tests/browser_jornada.rs): the rent schedule and the charts' figures print open.
#[test]
fn data_folded_on_screen_prints_open() {
    let print = media("print");
    assert!(
        rule(&print, "details.chart-data::details-content").contains("content-visibility: visible")
    );
}

#[test]
fn long_sections_start_a_sheet_and_titles_stay_with_their_content() {
    let print = media("print");
    assert!(rule(&print, ".print-page-break").contains("break-before: page"));
    assert!(rule(&print, ".card-title").contains("break-after: avoid"));
}

#[test]
fn stacked_cards_are_for_phone_screens_only() {
    assert!(media("screen and (max-width: 600px)").contains("content: attr(data-label)"));
    assert!(!media("print").contains("attr(data-label)"));
}
