//! Data tables: a responsive wrapper, sortable headers that keep the query string, and pagination.
//!
//! Query parameters: [`SORT_PARAM`] (`orden`), [`DIR_PARAM`] (`dir` = `asc`|`desc`) and
//! [`PAGE_PARAM`] (`pagina`, from 1). Links are relative (`?q=x&pagina=2`), so they stay on the page.

use maud::{Markup, PreEscaped, html};

use crate::format;
use crate::query::QueryString;

/// The query parameter with the sort column key.
pub const SORT_PARAM: &str = "orden";
/// The query parameter with the sort direction.
pub const DIR_PARAM: &str = "dir";
/// The query parameter with the page number (1-based).
pub const PAGE_PARAM: &str = "pagina";

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

impl SortDir {
    /// `asc` or `desc`.
    pub fn param(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }

    /// The other direction.
    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }

    fn aria(self) -> &'static str {
        match self {
            SortDir::Asc => "ascending",
            SortDir::Desc => "descending",
        }
    }
}

/// The current sort of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// A column key (one of the `allowed` ones given to [`Sort::from_query`]).
    pub key: String,
    pub dir: SortDir,
}

impl Sort {
    /// Reads `orden` and `dir` from a raw query string. A key not in `allowed` falls back to
    /// `default`, so the key can safely pick an SQL `ORDER BY` from a fixed list.
    pub fn from_query(query: &str, allowed: &[&str], default: (&str, SortDir)) -> Sort {
        let q = QueryString::parse(query);
        match q.get(SORT_PARAM).filter(|k| allowed.contains(k)) {
            Some(key) => Sort {
                key: key.to_string(),
                dir: match q.get(DIR_PARAM) {
                    Some("desc") => SortDir::Desc,
                    _ => SortDir::Asc,
                },
            },
            None => Sort {
                key: default.0.to_string(),
                dir: default.1,
            },
        }
    }
}

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column<'a> {
    pub label: &'a str,
    /// The sort key, when the column can be sorted.
    pub sort_key: Option<&'a str>,
    /// Numbers and money align right.
    pub numeric: bool,
}

impl<'a> Column<'a> {
    /// A plain column.
    pub const fn new(label: &'a str) -> Column<'a> {
        Column {
            label,
            sort_key: None,
            numeric: false,
        }
    }
    /// Makes it sortable by `key`.
    pub const fn sortable(mut self, key: &'a str) -> Column<'a> {
        self.sort_key = Some(key);
        self
    }
    /// Aligns it right.
    pub const fn numeric(mut self) -> Column<'a> {
        self.numeric = true;
        self
    }
}

/// The `<thead>` of a data table. Sortable columns link to the same page with the same query,
/// the new sort and no page number; the current one shows its direction and `aria-sort`.
pub fn table_head(columns: &[Column<'_>], sort: Option<&Sort>, query: &str) -> Markup {
    let q = QueryString::parse(query).without(PAGE_PARAM);
    html! {
        thead {
            tr {
                @for col in columns {
                    @let current = match (col.sort_key, sort) {
                        (Some(k), Some(s)) if s.key == k => Some(s.dir),
                        _ => None,
                    };
                    th scope="col" class=[col.numeric.then_some("num")]
                        aria-sort=[current.map(SortDir::aria)] {
                        @if let Some(key) = col.sort_key {
                            @let next = current.map(SortDir::flip).unwrap_or(SortDir::Asc);
                            @let href = q.with(SORT_PARAM, key).with(DIR_PARAM, next.param()).href();
                            a.sort-link href=(href) {
                                (col.label)
                                span.sort-icon aria-hidden="true" {
                                    @match current {
                                        Some(SortDir::Asc) => "▲",
                                        Some(SortDir::Desc) => "▼",
                                        None => "↕",
                                    }
                                }
                            }
                        } @else {
                            (col.label)
                        }
                    }
                }
            }
        }
    }
}

/// A table inside a keyboard-focusable region that scrolls sideways when a wide table does not fit
/// (never up and down: the page scrolls), with a caption for screen readers. `head` is usually
/// [`table_head`]; `body` is the `<tbody>`. Every body cell gets the `data-label` of its column
/// (see [`label_cells`]): on a phone the rows become stacked cards that name each value.
pub fn table_wrap(caption: &str, head: Markup, body: Markup) -> Markup {
    let labels = header_labels(&head.0);
    let body = PreEscaped(label_cells(&body.0, &labels));
    html! {
        div.table-wrap role="region" aria-label=(caption) tabindex="0" {
            table.data-table {
                caption.visually-hidden { (caption) }
                (head)
                (body)
            }
        }
    }
}

/// Where the next cell start tag (`<td` or `<th`, followed by a space or `>`) is in `html`.
fn next_cell(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<t") {
        let at = from + i;
        let rest = &html[at..];
        if (rest.starts_with("<td") || rest.starts_with("<th"))
            && matches!(rest.as_bytes().get(3), Some(b' ' | b'>'))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The text of each header cell of the last row of `head` (rendered HTML: tags dropped, the sort
/// arrows left out, entities kept as they are, which is how an attribute wants them).
fn header_labels(head: &str) -> Vec<String> {
    let last_row = head.rfind("<tr").map_or(head, |i| &head[i..]);
    let mut labels = Vec::new();
    let mut rest = last_row;
    while let Some(start) = next_cell(rest) {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let inner_end = after
            .find("</th>")
            .or_else(|| after.find("</td>"))
            .unwrap_or(after.len());
        let inner = &after[(open_end + 1).min(inner_end)..inner_end];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                '▲' | '▼' | '↕' => {}
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let span = colspan(&after[..open_end]);
        labels.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        for _ in 1..span {
            labels.push(String::new());
        }
        rest = &after[inner_end..];
    }
    labels
}

/// The `colspan` of a start tag (1 when absent).
fn colspan(tag: &str) -> usize {
    tag.find("colspan=\"")
        .and_then(|i| {
            let v = &tag[i + 9..];
            v[..v.find('"')?].parse().ok()
        })
        .unwrap_or(1)
}

/// `body` (rendered `<tbody>` HTML) with `data-label="…"` on each cell of each row, from `labels`
/// by column. A cell that already has one keeps it; a cell that spans columns (an empty-state row)
/// gets none.
pub fn label_cells(body: &str, labels: &[String]) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    let mut column = 0;
    let mut rest = body;
    loop {
        let row = rest
            .find("<tr")
            .filter(|i| matches!(rest.as_bytes().get(i + 3), Some(b' ' | b'>')));
        let cell = next_cell(rest);
        let at = match (row, cell) {
            (Some(r), Some(c)) if r < c => {
                column = 0;
                out.push_str(&rest[..r + 3]);
                rest = &rest[r + 3..];
                continue;
            }
            (Some(r), None) => {
                out.push_str(&rest[..r + 3]);
                rest = &rest[r + 3..];
                continue;
            }
            (_, Some(c)) => c,
            (None, None) => break,
        };
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        let span = colspan(tag);
        out.push_str(&rest[..at + 3]);
        let label = labels.get(column).filter(|l| !l.is_empty());
        if let Some(label) = label.filter(|_| span == 1 && !tag.contains("data-label=")) {
            out.push_str(" data-label=\"");
            out.push_str(label);
            out.push('"');
        }
        column += span;
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// How many pages `total` items fill (at least 1).
pub fn page_count(total: u64, per_page: u64) -> u64 {
    if per_page == 0 {
        return 1;
    }
    total.div_ceil(per_page).max(1)
}

/// The page number in a raw query string (`pagina`), 1 when absent or invalid.
pub fn page_from_query(query: &str) -> u64 {
    QueryString::parse(query)
        .get(PAGE_PARAM)
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(MAX_PAGE)
}

/// The highest page number a list accepts. Larger numbers (`?pagina=18446744073709551615`) made
/// `OFFSET` overflow the databases' 64-bit integers (a 500); past the last page a list is empty
/// anyway, and a million pages of rows is far beyond any portfolio.
pub const MAX_PAGE: u64 = 1_000_000;

/// The pages to show: first, last, and two around the current one; `None` is an ellipsis.
fn page_window(page: u64, pages: u64) -> Vec<Option<u64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || (p + 2 >= page && p <= page + 2) {
            if last != 0 && p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        }
    }
    out
}

/// "Mostrando 21–40 de 135" and page links that keep the rest of `base_query`.
/// Renders nothing when `total` is 0; only the summary when everything fits in one page.
pub fn pagination(page: u64, per_page: u64, total: u64, base_query: &str) -> Markup {
    if total == 0 {
        return html! {};
    }
    let pages = page_count(total, per_page);
    let page = page.clamp(1, pages);
    let first = (page - 1) * per_page + 1;
    let last = (page * per_page).min(total);
    let q = QueryString::parse(base_query);
    let link = |p: u64| {
        if p == 1 {
            q.without(PAGE_PARAM).href()
        } else {
            q.with(PAGE_PARAM, &p.to_string()).href()
        }
    };
    html! {
        div.pagination-bar {
            p.pagination-summary {
                "Mostrando " (format::thousands(first)) "–" (format::thousands(last))
                " de " (format::thousands(total))
            }
            @if pages > 1 {
                nav.pagination aria-label="Paginación" {
                    ul {
                        li {
                            @if page > 1 {
                                a.page-link rel="prev" href=(link(page - 1)) { "‹ Anterior" }
                            } @else {
                                span.page-link.is-disabled aria-disabled="true" { "‹ Anterior" }
                            }
                        }
                        @for item in page_window(page, pages) {
                            li {
                                @match item {
                                    Some(p) if p == page => {
                                        span.page-link.is-current aria-current="page" {
                                            span.visually-hidden { "Página " } (format::thousands(p))
                                        }
                                    }
                                    Some(p) => {
                                        a.page-link href=(link(p)) {
                                            span.visually-hidden { "Página " } (format::thousands(p))
                                        }
                                    }
                                    None => { span.page-gap aria-hidden="true" { "…" } }
                                }
                            }
                        }
                        li {
                            @if page < pages {
                                a.page-link rel="next" href=(link(page + 1)) { "Siguiente ›" }
                            } @else {
                                span.page-link.is-disabled aria-disabled="true" { "Siguiente ›" }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
