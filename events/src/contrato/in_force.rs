//! The terms in force on a date, as far as the aggregate's own rules need them.
//! Base terms, then every approved Otro Sí in force (by effective date, then number) and every
//! canon adjustment (by effective date) applied in order: for each field the latest one wins.

use chrono::NaiveDate;

use super::aggregate::Contrato;
use super::otro_si::OtroSi;
use super::policies::PolicyRequirement;
use super::renewal::RenewalStatus;
use super::terms::{AdjustmentDate, AdjustmentRule, PaymentModality};

impl Contrato {
    /// Approved Otro Sí in force on `date`, in the order they apply.
    pub fn otro_si_in_force(&self, date: NaiveDate) -> Vec<&OtroSi> {
        let mut in_force: Vec<&OtroSi> = self
            .otro_si
            .iter()
            .filter(|o| o.in_force_on(date))
            .collect();
        in_force.sort_by_key(|o| (o.effective_from, o.number));
        in_force
    }

    /// The modality (with canon, minimum and percentage) in force on `date`, adjustments included.
    pub fn modality_in_force(&self, date: NaiveDate) -> Option<PaymentModality> {
        let terms = self.terms.as_ref()?;
        // (date, order within the day, change)
        let mut steps: Vec<(NaiveDate, u8, Step<'_>)> = self
            .otro_si_in_force(date)
            .into_iter()
            .map(|o| (o.effective_from, 0, Step::OtroSi(o)))
            .collect();
        steps.extend(
            self.ajustes
                .iter()
                .filter(|a| a.effective_date <= date)
                .map(|a| (a.effective_date, 1, Step::Adjustment(a.new_canon))),
        );
        steps.sort_by_key(|(d, order, _)| (*d, *order));
        Some(
            steps
                .into_iter()
                .fold(terms.modality, |modality, (_, _, step)| match step {
                    Step::OtroSi(o) => o.changes.apply_to_modality(modality),
                    Step::Adjustment(canon) => modality.with_fixed_amount(canon),
                }),
        )
    }

    /// The end date in force on `date`: the latest approved renewal's (effective by then), else
    /// the latest approved Otro Sí's that changed it, else the contract's own.
    pub fn end_date_in_force(&self, date: NaiveDate) -> Option<NaiveDate> {
        let terms = self.terms.as_ref()?;
        let renewal = self
            .renovaciones
            .iter()
            .filter(|r| r.status == RenewalStatus::Aprobada && r.effective_from() <= date)
            .max_by_key(|r| r.number)
            .map(|r| r.new_end);
        let amended = self
            .otro_si_in_force(date)
            .into_iter()
            .rev()
            .find_map(|o| o.changes.end_date);
        Some(renewal.or(amended).unwrap_or(terms.end_date))
    }

    /// The end date once every approved document applies, whatever its effective date.
    pub fn latest_end_date(&self) -> Option<NaiveDate> {
        self.end_date_in_force(NaiveDate::MAX)
    }

    /// The duration a renewal extends by: the initial duration unless an approved Otro Sí changed it.
    pub fn duration_months_in_force(&self, date: NaiveDate) -> Option<u32> {
        let terms = self.terms.as_ref()?;
        let amended = self
            .otro_si_in_force(date)
            .into_iter()
            .rev()
            .find_map(|o| o.changes.duration_months);
        Some(amended.unwrap_or(terms.initial_duration_months))
    }

    /// The yearly adjustment rule in force on `date` (index and date may be changed separately).
    pub fn adjustment_rule_in_force(&self, date: NaiveDate) -> Option<AdjustmentRule> {
        let terms = self.terms.as_ref()?;
        let mut rule = terms.adjustment;
        for o in self.otro_si_in_force(date) {
            if let Some(index) = o.changes.adjustment_index {
                let on = rule.map_or(AdjustmentDate::Anniversary, |r| r.on);
                rule = Some(AdjustmentRule { index, on });
            }
            if let Some(on) = o.changes.adjustment_on {
                rule = rule.map(|r| AdjustmentRule { on, ..r });
            }
        }
        rule
    }

    /// The required policies in force on `date`.
    pub fn required_policies_in_force(&self, date: NaiveDate) -> Option<Vec<PolicyRequirement>> {
        let terms = self.terms.as_ref()?;
        let amended = self
            .otro_si_in_force(date)
            .into_iter()
            .rev()
            .find_map(|o| o.changes.required_policies.clone());
        Some(amended.unwrap_or_else(|| terms.required_policies.clone()))
    }
}

enum Step<'a> {
    OtroSi(&'a OtroSi),
    Adjustment(crate::Money),
}
