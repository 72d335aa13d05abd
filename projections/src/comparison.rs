//! What an Otro Sí is compared against: the terms in force on its own start date, without it. OS-2
//! from 01/03/2027 is compared with what OS-1 set from 01/02/2027, not with the terms of today.

use arriendo_events::{Contrato, OtroSiNumber};
use chrono::NaiveDate;

use crate::vigente::{ContratoVigente, vigente};

/// The terms in force on `date` with every approved document but Otro Sí `number` (which may not
/// exist yet: a new draft).
pub fn terms_without(
    contrato: &Contrato,
    number: Option<OtroSiNumber>,
    date: NaiveDate,
) -> Option<ContratoVigente> {
    match number {
        Some(n) if contrato.otro_si.iter().any(|o| o.number == n) => {
            let mut c = contrato.clone();
            c.otro_si.retain(|o| o.number != n);
            vigente(&c, date)
        }
        _ => vigente(contrato, date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use arriendo_events::{ContractTerms, Money, OtroSiChanges};

    fn canon(n: i64) -> OtroSiChanges {
        OtroSiChanges {
            minimum: Some(pesos(n)),
            ..OtroSiChanges::default()
        }
    }

    #[test]
    fn os2_is_compared_with_what_os1_set_from_its_own_date() {
        // Híbrido with a $12.500.000 minimum from 01/12/2026; OS-1 sets $14.000.000 from
        // 01/02/2027; OS-2 (a draft) sets $20.000.000 from 01/03/2027.
        let story = Story::of(ContractTerms {
            start_date: d(2026, 12, 1),
            signing_date: d(2026, 11, 20),
            end_date: d(2029, 11, 30),
            initial_duration_months: 36,
            ..hybrid(12_500_000, "8")
        })
        .otro_si(d(2027, 2, 1), canon(14_000_000))
        .draft(d(2027, 3, 1), canon(20_000_000));
        let c = &story.state;
        let before = terms_without(c, Some(OtroSiNumber(2)), d(2027, 3, 1));
        assert_eq!(
            before.and_then(|v| v.minimum).map(|m| m.value.pesos()),
            Some(14_000_000)
        );
        // Today (01/12/2026) the minimum is still the contract's.
        let today = vigente(c, d(2026, 12, 1)).and_then(|v| v.minimum);
        assert_eq!(today.map(|m| m.value), Money::from_pesos(12_500_000).ok());

        // Once OS-2 is approved it is still compared with OS-1, not with itself.
        let approved = Story::of(ContractTerms {
            start_date: d(2026, 12, 1),
            signing_date: d(2026, 11, 20),
            end_date: d(2029, 11, 30),
            initial_duration_months: 36,
            ..hybrid(12_500_000, "8")
        })
        .otro_si(d(2027, 2, 1), canon(14_000_000))
        .otro_si(d(2027, 3, 1), canon(20_000_000));
        let before = terms_without(&approved.state, Some(OtroSiNumber(2)), d(2027, 3, 1));
        assert_eq!(
            before.and_then(|v| v.minimum).map(|m| m.value.pesos()),
            Some(14_000_000)
        );
    }
}
