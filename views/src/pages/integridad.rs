//! Integridad del registro (administradores y auditores): whether the chain of event digests is intact
//! and up to where, the first break if there is one, and the seals of the latest backups.

use maud::{Markup, html};

use crate::components::{
    Column, Tone, badge, card, empty_state, page_header, table_head, table_wrap,
};
use crate::layout::{PageContext, page};

/// One backup's seal, already in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SealRow {
    /// `backup_20250127_070000`.
    pub name: String,
    /// `27/01/2025 02:00` (Bogotá).
    pub when: String,
    pub position: i64,
    pub events: i64,
    /// 64 hex digits.
    pub digest: String,
    /// Whether the chain holds this digest at this position today.
    pub matches: bool,
}

/// The page's data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegridadPage {
    pub intact: bool,
    /// The state in one sentence: «Cadena íntegra hasta la posición N …» or «Cadena rota en la …».
    pub summary: String,
    /// The last position checked intact, and the digest there.
    pub intact_upto: i64,
    pub intact_digest: Option<String>,
    /// Events not sealed yet (appended after the last sealing).
    pub pending: i64,
    pub elapsed_ms: u64,
    pub seals: Vec<SealRow>,
}

fn seals_table(rows: &[SealRow]) -> Markup {
    let cols = [
        Column::new("Respaldo"),
        Column::new("Fecha"),
        Column::new("Posición").numeric(),
        Column::new("Eventos").numeric(),
        Column::new("Huella (SHA-256)"),
        Column::new("Estado"),
    ];
    html! {
        (table_wrap("Sellos de los respaldos", table_head(&cols, None, ""), html! {
            tbody {
                @for r in rows {
                    tr {
                        th scope="row" { code { (r.name) } }
                        td.nowrap { (r.when) }
                        td.num { (r.position) }
                        td.num { (r.events) }
                        td.small { code.digest { (r.digest) } }
                        td {
                            @if r.matches { (badge(Tone::Ok, "Coincide")) }
                            @else { (badge(Tone::Danger, "No coincide")) }
                        }
                    }
                }
            }
        }))
    }
}

/// Whether the page's user may open this page (administradores and auditores: the route's
/// `Access::Audit`), so other pages link to it only for them.
pub fn may_see(ctx: &PageContext) -> bool {
    ctx.user
        .as_ref()
        .is_some_and(|u| u.is_admin || u.role_label == "Auditor")
}

pub fn integridad_page(ctx: &PageContext, p: &IntegridadPage) -> Markup {
    page(
        ctx,
        "Integridad del registro",
        html! {
            (page_header("Integridad del registro", Some("Cada evento lleva una huella SHA-256 encadenada con la del anterior"), html! {}))
            (card(None, html! {
                p {
                    @if p.intact { (badge(Tone::Ok, "Íntegra")) } @else { (badge(Tone::Danger, "Rota")) }
                    " "
                    strong.chain-state { (p.summary) }
                }
                @if p.intact_upto > 0 {
                    @if let Some(digest) = &p.intact_digest {
                        p.small {
                            "Huella en la posición " (p.intact_upto) ": " code.digest { (digest) }
                        }
                    }
                }
                @if p.pending > 0 {
                    p.muted { (crate::format::count_noun(p.pending as u64, "evento reciente", "eventos recientes")) " aún sin sellar: se sellan en segundos." }
                }
                p.muted.small {
                    "Verificado ahora, en " (p.elapsed_ms) " ms. La misma comprobación: "
                    code { "arriendo audit verify" } "."
                }
            }))
            @if p.seals.is_empty() {
                (card(Some("Sellos de los respaldos"), empty_state("Aún no hay respaldos sellados: el próximo respaldo sellará la cadena.")))
            } @else {
                (card(None, seals_table(&p.seals)))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> IntegridadPage {
        IntegridadPage {
            intact: true,
            summary: "Cadena íntegra hasta la posición 42 (42 eventos), sellada en el respaldo del 27/01/2025 02:00 (backup_20250127_070000, posición 40).".into(),
            intact_upto: 42,
            intact_digest: Some("ab".repeat(32)),
            pending: 0,
            elapsed_ms: 3,
            seals: vec![SealRow {
                name: "backup_20250127_070000".into(),
                when: "27/01/2025 02:00".into(),
                position: 40,
                events: 40,
                digest: "cd".repeat(32),
                matches: true,
            }],
        }
    }

    #[test]
    fn shows_the_state_the_head_digest_and_the_seals() {
        let html = integridad_page(&PageContext::default(), &data()).into_string();
        assert!(html.contains("Integridad del registro"));
        assert!(html.contains("Cadena íntegra hasta la posición 42"));
        assert!(html.contains(&"ab".repeat(32)));
        assert!(html.contains("backup_20250127_070000"));
        assert!(html.contains(&"cd".repeat(32)));
        assert!(html.contains("Coincide"));
        assert!(!html.contains("sin sellar"));
    }

    #[test]
    fn a_broken_chain_and_a_seal_that_no_longer_matches_are_shown_in_red() {
        let mut p = data();
        p.intact = false;
        p.summary = "Cadena rota en la posición 7: falta el evento contrato c1 n.º 2".into();
        p.seals[0].matches = false;
        p.pending = 2;
        let html = integridad_page(&PageContext::default(), &p).into_string();
        assert!(html.contains("badge-danger\">Rota"));
        assert!(html.contains("Cadena rota en la posición 7"));
        assert!(html.contains("No coincide"));
        assert!(html.contains("2 eventos recientes aún sin sellar"));
    }

    #[test]
    fn says_so_when_no_backup_sealed_the_chain_yet() {
        let mut p = data();
        p.seals.clear();
        let html = integridad_page(&PageContext::default(), &p).into_string();
        assert!(html.contains("Aún no hay respaldos sellados"));
    }
}
