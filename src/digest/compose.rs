//! A digest as an email: subject, a text part and an HTML part, both listing the new alerts (not in
//! the last digest of the kind) and those still open, each with an absolute link to its page.

use std::collections::HashSet;

use arriendo_events::format_date;
use arriendo_projections::alerts::days_phrase;
use arriendo_projections::{AlertKind, Severity};
use chrono::NaiveDate;
use maud::{Markup, html};

/// One alert as a digest lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestAlert {
    pub kind: AlertKind,
    pub severity: Severity,
    /// `None` for the Respaldo alert.
    pub contract_id: Option<String>,
    pub contract_number: Option<String>,
    pub trigger_date: NaiveDate,
    pub days_left: i64,
    /// The document that set the date (`OS-2`, `Contrato`…).
    pub source: String,
    pub message: String,
}

impl DigestAlert {
    /// What identifies the alert from one digest to the next: its kind, contract, date and
    /// document (the message changes every day with the days left).
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.kind.slug(),
            self.contract_id.as_deref().unwrap_or(""),
            self.trigger_date,
            self.source
        )
    }

    /// The page that shows it.
    pub fn link(&self, base_url: &str) -> String {
        match &self.contract_id {
            Some(id) => format!("{base_url}/contratos/{id}"),
            None => format!("{base_url}/respaldos"),
        }
    }
}

/// A composed digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub alert_count: usize,
}

/// The default subject: «[Arriendo] Preaviso: 3 alertas (1 nueva)».
pub fn default_subject(kind: AlertKind, total: usize, new: usize) -> String {
    let alerts = if total == 1 { "alerta" } else { "alertas" };
    let news = if new == 1 { "nueva" } else { "nuevas" };
    format!(
        "[Arriendo] {}: {total} {alerts} ({new} {news})",
        kind.label()
    )
}

/// What a digest is about and where it links: the alert kind, the subject chosen (if any), the
/// company that sends it (its name heads the message, once recorded) and the public address.
pub struct Heading<'a> {
    pub kind: AlertKind,
    pub subject: Option<&'a str>,
    pub company: Option<&'a str>,
    pub base_url: &'a str,
}

/// Builds the digest; `alerts` in the order to show (most severe first), `previous` the keys the
/// last digest of the kind listed.
pub fn compose(h: &Heading<'_>, alerts: &[DigestAlert], previous: &HashSet<String>) -> Digest {
    let kind = h.kind;
    let (new, open): (Vec<&DigestAlert>, Vec<&DigestAlert>) =
        alerts.iter().partition(|a| !previous.contains(&a.key()));
    let subject = h
        .subject
        .map(str::to_string)
        .unwrap_or_else(|| default_subject(kind, alerts.len(), new.len()));
    Digest {
        text: text_part(h, &new, &open),
        html: html_part(h, &subject, &new, &open).into_string(),
        subject,
        alert_count: alerts.len(),
    }
}

fn line(a: &DigestAlert, base_url: &str) -> String {
    format!(
        "- [{}] {}\n  Fecha: {} ({}), según {}\n  {}\n",
        a.severity.label(),
        a.message,
        format_date(a.trigger_date),
        days_phrase(a.days_left),
        a.source,
        a.link(base_url)
    )
}

fn text_part(h: &Heading<'_>, new: &[&DigestAlert], open: &[&DigestAlert]) -> String {
    let (kind, base_url) = (h.kind, h.base_url);
    let mut out = String::new();
    if let Some(company) = h.company {
        out.push_str(&format!("{company}\n"));
    }
    out.push_str(&format!("Alertas de «{}» en Arriendo.\n\n", kind.label()));
    for (title, list) in [("Nuevas", new), ("Siguen abiertas", open)] {
        out.push_str(&format!("{title} ({}):\n", list.len()));
        if list.is_empty() {
            out.push_str("  (ninguna)\n");
        }
        for a in list {
            out.push_str(&line(a, base_url));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Panel de alertas: {base_url}/alertas?tipo={}\n\
         Configure estos correos en {base_url}/alertas/correo\n",
        kind.slug()
    ));
    out
}

fn rows(list: &[&DigestAlert], base_url: &str) -> Markup {
    html! {
        @if list.is_empty() {
            p { "Ninguna." }
        } @else {
            table cellpadding="6" style="border-collapse:collapse" {
                thead { tr { th { "Severidad" } th { "Contrato" } th { "Alerta" } th { "Fecha" } th { "Según" } } }
                tbody {
                    @for a in list {
                        tr {
                            td { (a.severity.label()) }
                            td { a href=(a.link(base_url)) { (a.contract_number.as_deref().unwrap_or("Respaldo")) } }
                            td { (a.message) }
                            td { (format_date(a.trigger_date)) " (" (days_phrase(a.days_left)) ")" }
                            td { (a.source) }
                        }
                    }
                }
            }
        }
    }
}

fn html_part(
    h: &Heading<'_>,
    subject: &str,
    new: &[&DigestAlert],
    open: &[&DigestAlert],
) -> Markup {
    let (kind, base_url) = (h.kind, h.base_url);
    html! {
        (maud::DOCTYPE)
        html lang="es" {
            head { meta charset="utf-8"; title { (subject) } }
            body {
                @if let Some(company) = h.company { p { strong { (company) } } }
                h1 { "Alertas de «" (kind.label()) "»" }
                h2 { "Nuevas (" (new.len()) ")" }
                (rows(new, base_url))
                h2 { "Siguen abiertas (" (open.len()) ")" }
                (rows(open, base_url))
                p {
                    a href={ (base_url) "/alertas?tipo=" (kind.slug()) } { "Ver el panel de alertas" }
                    " · "
                    a href={ (base_url) "/alertas/correo" } { "Configurar estos correos" }
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn alert(number: &str, date: &str) -> DigestAlert {
        DigestAlert {
            kind: AlertKind::Preaviso,
            severity: Severity::Danger,
            contract_id: Some(format!("id-{number}")),
            contract_number: Some(number.into()),
            trigger_date: date.parse().unwrap(),
            days_left: 3,
            source: "OS-1".into(),
            message: format!("El contrato {number} <vence>"),
        }
    }

    #[test]
    fn splits_new_from_open_and_links_absolutely() {
        let a = alert("C-1", "2026-12-04");
        let b = alert("C-2", "2026-12-10");
        let previous: HashSet<String> = [a.key()].into();
        let d = compose(
            &Heading {
                kind: AlertKind::Preaviso,
                subject: None,
                company: Some("Centro <Andino>"),
                base_url: "https://arriendo.example",
            },
            &[a, b],
            &previous,
        );
        assert!(d.text.starts_with("Centro <Andino>\n"));
        assert!(d.html.contains("<strong>Centro &lt;Andino&gt;</strong>"));
        assert_eq!(d.subject, "[Arriendo] Preaviso: 2 alertas (1 nueva)");
        let new_at = d.text.find("Nuevas (1)").unwrap();
        let open_at = d.text.find("Siguen abiertas (1)").unwrap();
        let c2 = d.text.find("C-2 <vence>").unwrap();
        assert!(new_at < c2 && c2 < open_at, "{}", d.text);
        assert!(d.text.contains("https://arriendo.example/contratos/id-C-1"));
        assert!(
            d.html
                .contains("href=\"https://arriendo.example/contratos/id-C-2\"")
        );
        assert!(d.html.contains("C-2 &lt;vence&gt;"), "escaped: {}", d.html);
    }
}
