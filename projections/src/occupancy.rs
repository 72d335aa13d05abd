//! Which days a contract occupies its local: from its start to the last end it will reach with
//! every approved Otro Sí and renewal, cut short by a termination; none once deleted. Forms use it
//! to refuse double leasing, also for an Otro Sí or a renewal that would move the end.

use arriendo_events::{Contrato, OtroSiNumber, OtroSiStatus, RenewalNumber, RenewalStatus};
use chrono::NaiveDate;

use crate::vigente::end_date_at;

/// The inclusive days the contract holds its local, or `None` when it holds none (deleted,
/// terminated before it started, not created).
pub fn lease_term(contrato: &Contrato) -> Option<(NaiveDate, NaiveDate)> {
    if contrato.deleted.is_some() {
        return None;
    }
    let start = contrato.terms.as_ref()?.start_date;
    let mut end = end_date_at(contrato, NaiveDate::MAX)?.value;
    if let Some(t) = &contrato.terminated {
        end = end.min(t.date.pred_opt().unwrap_or(t.date));
    }
    (end >= start).then_some((start, end))
}

/// The term the contract would hold once Otro Sí `number` is approved.
pub fn term_with_otro_si(
    contrato: &Contrato,
    number: OtroSiNumber,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut c = contrato.clone();
    for o in c.otro_si.iter_mut().filter(|o| o.number == number) {
        o.status = OtroSiStatus::Aprobado;
    }
    lease_term(&c)
}

/// The term the contract would hold once renewal `number` is approved.
pub fn term_with_renewal(
    contrato: &Contrato,
    number: RenewalNumber,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut c = contrato.clone();
    for r in c.renovaciones.iter_mut().filter(|r| r.number == number) {
        r.status = RenewalStatus::Aprobada;
    }
    lease_term(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use arriendo_events::{ContractTerms, OtroSiChanges, Termination};

    #[test]
    fn the_term_follows_approved_amendments_and_renewals_and_stops_at_termination() {
        // CT-001 runs 01/01/2025 – 31/12/2026.
        let story = Story::of(terms());
        assert_eq!(
            lease_term(&story.state),
            Some((d(2025, 1, 1), d(2026, 12, 31)))
        );

        // A draft moving the end to 31/12/2027 holds the local only once approved.
        let moved = OtroSiChanges {
            end_date: Some(d(2027, 12, 31)),
            ..OtroSiChanges::default()
        };
        let drafted = Story::of(terms()).draft(d(2026, 6, 1), moved.clone());
        assert_eq!(
            lease_term(&drafted.state),
            Some((d(2025, 1, 1), d(2026, 12, 31)))
        );
        assert_eq!(
            term_with_otro_si(&drafted.state, OtroSiNumber(1)),
            Some((d(2025, 1, 1), d(2027, 12, 31)))
        );
        let approved = Story::of(terms()).otro_si(d(2026, 6, 1), moved);
        assert_eq!(
            lease_term(&approved.state),
            Some((d(2025, 1, 1), d(2027, 12, 31)))
        );

        // A proposed renewal extends it by the 24 months once approved.
        let renewing = Story::of(ContractTerms {
            automatic_extension: true,
            ..terms()
        })
        .renewal(false);
        assert_eq!(
            term_with_renewal(&renewing.state, RenewalNumber(1)),
            Some((d(2025, 1, 1), d(2028, 12, 31)))
        );

        // Terminated on 01/03/2025: the local is free from that day; deleted: free altogether.
        let mut c = story.state;
        c.terminated = Some(Termination {
            date: d(2025, 3, 1),
            reason: "Mutuo acuerdo".into(),
            by: "gestor".into(),
        });
        assert_eq!(lease_term(&c), Some((d(2025, 1, 1), d(2025, 2, 28))));
        c.deleted = Some("Registrado por error".into());
        assert_eq!(lease_term(&c), None);
    }
}
