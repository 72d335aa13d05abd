//! The global search (`/buscar`, the box in the header): contracts, terceros, locales and pólizas
//! that match what was typed, grouped by kind, each group with its count, its first rows and a link
//! to the kind's own list with the same search when there are more.

use maud::{Markup, html};

use crate::components::{Field, empty_state, page_header, text_field};
use crate::format;
use crate::layout::{PageContext, page};
use crate::query::QueryString;

/// Rows shown per group; the rest are in the kind's own list («Ver todos»).
pub const SHOWN: u64 = 10;

/// What a group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Contratos,
    Terceros,
    Locales,
    Polizas,
}

impl Kind {
    /// Every kind, in the order the page shows them.
    pub const ALL: [Kind; 4] = [
        Kind::Contratos,
        Kind::Terceros,
        Kind::Locales,
        Kind::Polizas,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Kind::Contratos => "Contratos",
            Kind::Terceros => "Terceros",
            Kind::Locales => "Locales",
            Kind::Polizas => "Pólizas",
        }
    }

    /// The count as the kind's list says it: «1 contrato», «3 contratos».
    pub fn count(self, total: u64) -> String {
        let (one, many) = match self {
            Kind::Contratos => ("contrato", "contratos"),
            Kind::Terceros => ("tercero", "terceros"),
            Kind::Locales => ("local", "locales"),
            Kind::Polizas => ("póliza", "pólizas"),
        };
        format::count_noun(total, one, many)
    }

    /// The kind's own list, which searches the same way.
    pub fn list_path(self) -> &'static str {
        match self {
            Kind::Contratos => "/contratos",
            Kind::Terceros => "/terceros",
            Kind::Locales => "/locales",
            Kind::Polizas => "/polizas",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Kind::Contratos => "contratos",
            Kind::Terceros => "terceros",
            Kind::Locales => "locales",
            Kind::Polizas => "polizas",
        }
    }
}

/// One thing found: its detail page, what names it and a line that tells it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub href: String,
    pub title: String,
    pub detail: String,
}

/// The things of one kind that match: the first [`SHOWN`] and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub kind: Kind,
    pub total: u64,
    pub rows: Vec<Found>,
}

fn group(q: &str, g: &Group) -> Markup {
    let id = format!("resultados-{}", g.kind.slug());
    let all = format!(
        "{}{}",
        g.kind.list_path(),
        QueryString::from_pairs([("q", q)]).href()
    );
    html! {
        section.card.search-group aria-labelledby=(id) {
            h2.card-title #(id) {
                (g.kind.heading()) " "
                span.search-count { "(" (g.kind.count(g.total)) ")" }
            }
            @if g.rows.is_empty() {
                p.muted { "Ninguno." }
            } @else {
                ul.search-results {
                    @for f in &g.rows {
                        li {
                            a href=(f.href) { (f.title) }
                            @if !f.detail.is_empty() { span.search-detail { (f.detail) } }
                        }
                    }
                }
            }
            @if g.total > u64::try_from(g.rows.len()).unwrap_or(u64::MAX) {
                p.search-more { a href=(all) { "Ver todos los " (g.kind.count(g.total)) } }
            }
        }
    }
}

/// The page: the box with what was typed and, when something was typed, one group per kind.
pub fn search_page(ctx: &PageContext, q: &str, groups: &[Group]) -> Markup {
    let total: u64 = groups.iter().map(|g| g.total).sum();
    let subtitle = if q.is_empty() {
        "Contratos, terceros, locales y pólizas por número, nombre, NIT o local.".to_string()
    } else {
        format::count_noun(total, "resultado", "resultados")
    };
    page(
        ctx,
        "Buscar",
        html! {
            (page_header("Buscar", Some(&subtitle), html! {}))
            form.filters method="get" action="/buscar" {
                (text_field(&Field::new("q", "Buscar").value(q).input_type("search")
                    .placeholder("Número, nombre, NIT o local")))
                div.form-actions { button.btn.btn-secondary type="submit" { "Buscar" } }
            }
            @if !q.is_empty() {
                @if total == 0 {
                    (empty_state("Nada coincide con esa búsqueda."))
                }
                div.search-groups {
                    @for g in groups { (group(q, g)) }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(n: usize) -> Vec<Found> {
        (0..n)
            .map(|i| Found {
                href: format!("/contratos/{i}"),
                title: format!("CT-{i}"),
                detail: "Éxito <S.A.>".into(),
            })
            .collect()
    }

    #[test]
    fn groups_say_their_count_and_link_to_the_list_when_there_are_more() {
        let groups = vec![
            Group {
                kind: Kind::Contratos,
                total: 12,
                rows: found(10),
            },
            Group {
                kind: Kind::Polizas,
                total: 1,
                rows: found(1),
            },
            Group {
                kind: Kind::Locales,
                total: 0,
                rows: vec![],
            },
        ];
        let html = search_page(&PageContext::default(), "café & co", &groups).into_string();
        assert!(html.contains("(12 contratos)"));
        assert!(html.contains("(1 póliza)"));
        assert!(html.contains("(0 locales)"));
        assert!(
            html.contains("href=\"/contratos?q=caf%C3%A9+%26+co\""),
            "{html}"
        );
        assert!(!html.contains("href=\"/polizas?q="));
        assert!(html.contains("Éxito &lt;S.A.&gt;"));
        assert!(html.contains("13 resultados"));
    }

    #[test]
    fn an_empty_search_shows_only_the_box() {
        let html = search_page(&PageContext::default(), "", &[]).into_string();
        assert!(html.contains("action=\"/buscar\""));
        assert!(!html.contains("search-group"));
        assert!(!html.contains("Nada coincide"));
    }
}
