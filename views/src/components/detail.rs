//! Detail pages: a definition list whose values can name the document that set them, and a
//! timeline of history entries.

use chrono::NaiveDateTime;
use maud::{Markup, Render, html};

use crate::format;

/// One row of a detail list.
#[derive(Debug, Clone)]
pub struct Detail<'a> {
    pub label: &'a str,
    pub value: Markup,
    /// The document that set this value when it is not the base contract: `OS-2`, `RA-1`.
    pub source: Option<&'a str>,
}

impl<'a> Detail<'a> {
    /// A row with any renderable value (`&str`, `String`, or `Markup` for links and badges).
    pub fn new(label: &'a str, value: impl Render) -> Detail<'a> {
        Detail {
            label,
            value: value.render(),
            source: None,
        }
    }
    /// Names the document that set the value (nothing is shown for `None`).
    pub fn source(mut self, source: Option<&'a str>) -> Detail<'a> {
        self.source = source;
        self
    }
}

/// The tag beside a value changed by an amendment or renewal: `modificado por OS-2`.
pub fn source_tag(document: &str) -> Markup {
    html! { span.source-tag { "modificado por " (document) } }
}

/// A `<dl>` of label/value rows, two columns on wide screens, stacked on a phone.
/// An empty value shows `—`.
pub fn detail_list(rows: &[Detail<'_>]) -> Markup {
    html! {
        dl.details {
            @for row in rows {
                div.detail-row {
                    dt { (row.label) }
                    dd {
                        @if row.value.0.is_empty() { span.muted { "—" } } @else { (row.value) }
                        @if let Some(src) = row.source { " " (source_tag(src)) }
                    }
                }
            }
        }
    }
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// When it happened, already in America/Bogota.
    pub when: NaiveDateTime,
    /// Who did it (username), or `Sistema`.
    pub who: String,
    /// What happened, as a sentence: `Aprobó el Otro Sí OS-2 (canon $ 5.300.000).`
    pub sentence: String,
    /// Where the event opens with what it changed (the auditor's event page).
    pub href: Option<String>,
}

/// A vertical timeline, in the order given (give newest first).
pub fn timeline(entries: &[TimelineEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            (super::empty_state("Todavía no hay historial."))
        } @else {
            ol.timeline {
                @for e in entries {
                    li.timeline-entry {
                        span.timeline-dot aria-hidden="true" {}
                        div.timeline-body {
                            p.timeline-sentence {
                                (e.sentence)
                                @if let Some(href) = &e.href { " " a.small href=(href) { "Ver cambios" } }
                            }
                            p.timeline-meta {
                                time datetime=(format::datetime_attr(e.when)) { (format::date_time(e.when)) }
                                " · " (e.who)
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn detail_list_with_sources() {
        let link = html! { a href="/terceros/3" { "Café Andino S.A.S." } };
        let html = detail_list(&[
            Detail::new("Canon", "$ 5.300.000").source(Some("OS-2")),
            Detail::new("Arrendatario", link),
            Detail::new("Notas", ""),
        ])
        .into_string();
        assert!(html.contains("<dt>Canon</dt><dd>$ 5.300.000 <span class=\"source-tag\">modificado por OS-2</span></dd>"));
        assert!(html.contains("<a href=\"/terceros/3\">Café Andino S.A.S.</a>"));
        assert!(html.contains("<dt>Notas</dt><dd><span class=\"muted\">—</span></dd>"));
        assert_eq!(html.matches("modificado por").count(), 1);
    }

    #[test]
    fn timeline_lists_entries() {
        let when = NaiveDate::from_ymd_opt(2025, 3, 4)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let html = timeline(&[
            TimelineEntry {
                when,
                who: "admin".into(),
                sentence: "Aprobó el Otro Sí OS-2.".into(),
                href: Some("/auditoria/eventos/7".into()),
            },
            TimelineEntry {
                when,
                who: "mlopez".into(),
                sentence: "Creó el contrato.".into(),
                href: None,
            },
        ])
        .into_string();
        assert_eq!(html.matches("<li class=\"timeline-entry\">").count(), 2);
        assert!(
            html.contains("<time datetime=\"2025-03-04T09:30\">04/03/2025 09:30</time> · admin")
        );
        assert!(html.contains("Aprobó el Otro Sí OS-2."));
        assert!(
            timeline(&[])
                .into_string()
                .contains("Todavía no hay historial.")
        );
    }
}
