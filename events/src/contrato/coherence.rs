//! Rules between the fields of a contract (and between contracts) that a form must refuse before
//! anything is written: a duration that disagrees with start and end, a signing date after the
//! start, a tercero of the wrong class, two leases of one local at the same time.
//!
//! They are not part of [`super::ContractTerms::validate`] on purpose: contracts recorded before
//! these rules existed (imports, the demo portfolio) must still load and be edited; the forms
//! refuse new contradictions, and every check is pure so the forms and their tests share it.

use chrono::{Days, NaiveDate};
use thiserror::Error;

use super::ContractKind;
use crate::{TerceroKind, add_months, format_date};

/// The end of a term of `months` months from `start`: the day before the same day `months` later
/// (01/12/2026 + 12 months ends 30/11/2027).
pub fn end_from_duration(start: NaiveDate, months: u32) -> NaiveDate {
    let same_day = add_months(start, i32::try_from(months).unwrap_or(i32::MAX));
    same_day.checked_sub_days(Days::new(1)).unwrap_or(same_day)
}

/// Whether `end` is what `months` months from `start` give. Both written conventions are
/// accepted: up to the day before (30/11/2027) and up to the same day (01/12/2027).
pub fn duration_agrees(start: NaiveDate, months: u32, end: NaiveDate) -> bool {
    let expected = end_from_duration(start, months);
    end == expected || expected.succ_opt() == Some(end)
}

/// Whether two inclusive date ranges share at least one day.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

impl ContractKind {
    /// The class of tercero on the other side: an arrendatario for a client contract (we lease
    /// our premises), a proveedor for a supplier contract (we buy a service).
    pub fn counterparty(self) -> TerceroKind {
        match self {
            ContractKind::Cliente => TerceroKind::Arrendatario,
            ContractKind::Proveedor => TerceroKind::Proveedor,
        }
    }
}

/// Another contract whose term shares days with the one being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub number: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The first of `others` (number and inclusive term) whose term shares a day with `term`.
pub fn first_overlap<'a>(
    term: (NaiveDate, NaiveDate),
    others: impl IntoIterator<Item = (&'a str, (NaiveDate, NaiveDate))>,
) -> Option<Overlap> {
    others
        .into_iter()
        .filter(|(_, other)| overlaps(term, *other))
        .min_by_key(|(_, other)| other.0)
        .map(|(number, (from, to))| Overlap {
            number: number.to_string(),
            from,
            to,
        })
}

/// A contradiction between fields of a contract, in the words the user reads beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Contradiction {
    #[error(
        "la fecha de firma ({}) no puede ser posterior a la fecha de inicio ({})",
        format_date(*signing),
        format_date(*start)
    )]
    SignedAfterStart {
        signing: NaiveDate,
        start: NaiveDate,
    },
    #[error(
        "{months} meses desde el {} terminan el {}, no el {}: corrija la duración o la fecha de terminación",
        format_date(*start),
        format_date(*expected_end),
        format_date(*end)
    )]
    DurationDisagrees {
        start: NaiveDate,
        months: u32,
        end: NaiveDate,
        expected_end: NaiveDate,
    },
    #[error("{}", tercero_phrase(*kind, *tercero))]
    WrongTerceroKind {
        kind: ContractKind,
        tercero: TerceroKind,
    },
    #[error(
        "el local ya está arrendado en el contrato {} del {} al {}",
        overlap.number,
        format_date(overlap.from),
        format_date(overlap.to)
    )]
    DoubleLeasing { overlap: Overlap },
}

fn tercero_phrase(kind: ContractKind, tercero: TerceroKind) -> String {
    let is = match tercero {
        TerceroKind::Arrendatario => "un arrendatario",
        TerceroKind::Proveedor => "un proveedor",
    };
    let wants = match kind {
        ContractKind::Cliente => "un contrato de cliente necesita un arrendatario",
        ContractKind::Proveedor => "un contrato de proveedor necesita un proveedor",
    };
    format!("el tercero elegido es {is}: {wants}")
}

impl Contradiction {
    /// The form field the message goes beside.
    pub fn field(&self) -> &'static str {
        match self {
            Contradiction::SignedAfterStart { .. } => "fecha_firma",
            Contradiction::DurationDisagrees { .. } => "duracion_meses",
            Contradiction::WrongTerceroKind { .. } => "tercero",
            Contradiction::DoubleLeasing { .. } => "local",
        }
    }
}

/// The dates of a contract as typed: every contradiction among them.
pub fn date_contradictions(
    signing: Option<NaiveDate>,
    start: Option<NaiveDate>,
    months: Option<u32>,
    end: Option<NaiveDate>,
) -> Vec<Contradiction> {
    let mut out = Vec::new();
    if let (Some(signing), Some(start)) = (signing, start)
        && signing > start
    {
        out.push(Contradiction::SignedAfterStart { signing, start });
    }
    // A duration out of bounds gets the bound's message instead: one message per field.
    if let (Some(start), Some(months), Some(end)) = (start, months, end)
        && months > 0
        && months <= crate::bounds::MAX_MONTHS
        && end > start
        && !duration_agrees(start, months, end)
    {
        out.push(Contradiction::DurationDisagrees {
            start,
            months,
            end,
            expected_end: end_from_duration(start, months),
        });
    }
    out
}

/// The tercero's class against the contract's kind.
pub fn tercero_contradiction(kind: ContractKind, tercero: TerceroKind) -> Option<Contradiction> {
    (kind.counterparty() != tercero).then_some(Contradiction::WrongTerceroKind { kind, tercero })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn twelve_months_from_the_first_of_december_end_on_the_last_of_november() {
        assert_eq!(end_from_duration(d(2026, 12, 1), 12), d(2027, 11, 30));
        assert_eq!(end_from_duration(d(2025, 1, 1), 24), d(2026, 12, 31));
        // A 31st start: the month-end is clamped before stepping back a day.
        assert_eq!(end_from_duration(d(2026, 1, 31), 1), d(2026, 2, 27));
        assert!(duration_agrees(d(2026, 12, 1), 12, d(2027, 11, 30)));
        assert!(duration_agrees(d(2026, 12, 1), 12, d(2027, 12, 1)));
        assert!(!duration_agrees(d(2026, 12, 1), 12, d(2027, 12, 31)));
        assert!(!duration_agrees(d(2026, 12, 1), 6, d(2027, 11, 30)));
    }

    #[test]
    fn signing_after_start_and_a_duration_that_disagrees_are_both_reported() {
        let found = date_contradictions(
            Some(d(2026, 12, 15)),
            Some(d(2026, 12, 1)),
            Some(12),
            Some(d(2027, 12, 31)),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].field(), "fecha_firma");
        assert_eq!(
            found[0].to_string(),
            "la fecha de firma (15/12/2026) no puede ser posterior a la fecha de inicio (01/12/2026)"
        );
        assert_eq!(found[1].field(), "duracion_meses");
        assert!(
            found[1].to_string().starts_with(
                "12 meses desde el 01/12/2026 terminan el 30/11/2027, no el 31/12/2027"
            )
        );
        // Signed the day it starts, 12 months to 30/11/2027: nothing to say.
        assert!(
            date_contradictions(
                Some(d(2026, 12, 1)),
                Some(d(2026, 12, 1)),
                Some(12),
                Some(d(2027, 11, 30))
            )
            .is_empty()
        );
        // An end before the start is another rule's message, not a duration mismatch.
        assert!(
            date_contradictions(None, Some(d(2026, 12, 1)), Some(12), Some(d(2026, 1, 1)))
                .is_empty()
        );
    }

    #[test]
    fn a_client_contract_needs_an_arrendatario_and_a_supplier_one_a_proveedor() {
        let wrong = tercero_contradiction(ContractKind::Cliente, TerceroKind::Proveedor);
        assert_eq!(
            wrong.map(|c| c.to_string()).unwrap_or_default(),
            "el tercero elegido es un proveedor: un contrato de cliente necesita un arrendatario"
        );
        assert!(
            tercero_contradiction(ContractKind::Proveedor, TerceroKind::Arrendatario).is_some()
        );
        assert!(tercero_contradiction(ContractKind::Cliente, TerceroKind::Arrendatario).is_none());
        assert!(tercero_contradiction(ContractKind::Proveedor, TerceroKind::Proveedor).is_none());
    }

    #[test]
    fn two_leases_of_one_local_may_not_share_a_day() {
        let ct1 = (d(2026, 1, 1), d(2026, 12, 31));
        assert!(
            overlaps((d(2026, 12, 31), d(2027, 12, 30)), ct1),
            "one shared day"
        );
        assert!(
            !overlaps((d(2027, 1, 1), d(2027, 12, 31)), ct1),
            "the day after"
        );
        assert!(overlaps((d(2025, 1, 1), d(2028, 1, 1)), ct1), "around it");
        let others = [("CT-2", (d(2028, 1, 1), d(2028, 12, 31))), ("CT-1", ct1)];
        let found = first_overlap((d(2026, 12, 1), d(2028, 6, 30)), others);
        assert_eq!(
            found.clone().map(|o| o.number),
            Some("CT-1".to_string()),
            "the earliest one first"
        );
        let message = Contradiction::DoubleLeasing {
            overlap: found.unwrap_or_else(|| unreachable!()),
        };
        assert_eq!(
            message.to_string(),
            "el local ya está arrendado en el contrato CT-1 del 01/01/2026 al 31/12/2026"
        );
        assert_eq!(message.field(), "local");
        assert_eq!(
            first_overlap((d(2027, 1, 1), d(2027, 12, 31)), others),
            None
        );
    }
}
