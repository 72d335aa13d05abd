//! Póliza status (colchón applied) and compliance with the requirement of the document that
//! required it (the contract, an Otro Sí or a renewal).

use arriendo_events::{
    Contrato, DateRange, Money, PolicyKind, PolicyRequirement, Poliza, PolizaData, PolizaState,
    RenewalStatus, RequiredBy, add_months, format_date,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::source::{Source, Sourced};
use crate::vigente::end_date_at;

/// A póliza is "por vencer" when its effective expiry (colchón applied) is at most this many
/// days away.
pub const POR_VENCER_DAYS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolizaStatus {
    /// Effective expiry more than 60 days away.
    Vigente,
    /// Effective expiry within 60 days (today included).
    PorVencer,
    /// Effective expiry before today.
    Vencida,
    Cancelada,
}

impl PolizaStatus {
    pub fn label(self) -> &'static str {
        match self {
            PolizaStatus::Vigente => "Vigente",
            PolizaStatus::PorVencer => "Por vencer",
            PolizaStatus::Vencida => "Vencida",
            PolizaStatus::Cancelada => "Cancelada",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            PolizaStatus::Vigente => "vigente",
            PolizaStatus::PorVencer => "por-vencer",
            PolizaStatus::Vencida => "vencida",
            PolizaStatus::Cancelada => "cancelada",
        }
    }
}

/// Days from `today` to the effective expiry (validity end minus the colchón); negative once past.
pub fn days_to_effective_expiry(poliza: &PolizaData, today: NaiveDate) -> i64 {
    crate::checked::days_between(today, poliza.effective_expiry())
}

/// Vigente / por vencer / vencida with the colchón applied; cancelled ones are `Cancelada`.
pub fn poliza_status(poliza: &Poliza, today: NaiveDate) -> PolizaStatus {
    if poliza.cancelled.is_some() {
        return PolizaStatus::Cancelada;
    }
    match days_to_effective_expiry(&poliza.data, today) {
        days if days < 0 => PolizaStatus::Vencida,
        days if days <= POR_VENCER_DAYS => PolizaStatus::PorVencer,
        _ => PolizaStatus::Vigente,
    }
}

/// What a document requires: its policy requirements and the contract end they must cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRequirements {
    pub document: Source,
    pub requirements: Vec<PolicyRequirement>,
    /// The end date of the contract under that document (the cover is counted from it).
    pub contract_end: NaiveDate,
    /// When the document takes effect: its pólizas are due from then (the contract's start,
    /// an Otro Sí's effective date, a renewal's first day).
    pub due_from: NaiveDate,
}

impl DocumentRequirements {
    pub fn find(&self, kind: &PolicyKind) -> Option<&PolicyRequirement> {
        self.requirements.iter().find(|r| &r.kind == kind)
    }
}

/// The requirement in force from a document: the contract's own requirements and end date;
/// for an approved Otro Sí, the requirements and end date in force on its effective date;
/// for an approved renewal, the requirements in force when it takes effect and its new end.
/// `None` when the document does not exist or is not approved.
pub fn requirements_of(
    contrato: &Contrato,
    required_by: RequiredBy,
) -> Option<DocumentRequirements> {
    let terms = contrato.terms.as_ref()?;
    let document = Source::required_by(required_by);
    match required_by {
        RequiredBy::Contract => Some(DocumentRequirements {
            document,
            requirements: terms.required_policies.clone(),
            contract_end: terms.end_date,
            due_from: terms.start_date,
        }),
        RequiredBy::OtroSi(number) => {
            let o = contrato
                .find_otro_si(number)
                .filter(|o| o.in_force_on(o.effective_from))?;
            let date = o.effective_from;
            Some(DocumentRequirements {
                document,
                requirements: contrato.required_policies_in_force(date)?,
                contract_end: end_date_at(contrato, date)?.value,
                due_from: date,
            })
        }
        RequiredBy::Renovacion(number) => {
            let r = contrato
                .find_renewal(number)
                .filter(|r| r.status == RenewalStatus::Aprobada)?;
            Some(DocumentRequirements {
                document,
                requirements: contrato.required_policies_in_force(r.effective_from())?,
                contract_end: r.new_end,
                due_from: r.effective_from(),
            })
        }
    }
}

/// The date a póliza must cover: the contract end plus the months of cover.
pub fn required_until(requirement: &PolicyRequirement, contract_end: NaiveDate) -> NaiveDate {
    add_months(
        contract_end,
        i32::try_from(requirement.months_of_cover).unwrap_or(i32::MAX),
    )
}

/// Why `poliza` does not meet `requirement` (Spanish); empty when it complies: it must be of
/// the required kind, its effective expiry (colchón applied) must reach the contract end plus
/// the months of cover, and the insured value and every required sub-limit must reach the minimum.
pub fn unmet_reasons(
    requirement: &PolicyRequirement,
    poliza: &PolizaData,
    contract_end: NaiveDate,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if poliza.kind != requirement.kind {
        reasons.push(format!(
            "la póliza es de tipo {} y se exige {}",
            poliza.kind, requirement.kind
        ));
    }
    let until = required_until(requirement, contract_end);
    if poliza.effective_expiry() < until {
        reasons.push(format!(
            "no cubre hasta la fecha final exigida {}",
            format_date(until)
        ));
    }
    if poliza.insured_value < requirement.minimum_insured {
        reasons.push(format!(
            "el valor asegurado {} es menor que el mínimo exigido {}",
            poliza.insured_value, requirement.minimum_insured
        ));
    }
    let mut compare =
        |label: &str, required: Option<Money>, covered: Option<Money>| match (required, covered) {
            (Some(required), None) => reasons.push(format!(
                "no incluye el sublímite de {label} (exigido {required})"
            )),
            (Some(required), Some(covered)) if covered < required => reasons.push(format!(
                "el sublímite de {label} {covered} es menor que el exigido {required}"
            )),
            _ => {}
        };
    if let Some(required) = &requirement.rce_sublimits {
        let covered = poliza.rce_sublimits.unwrap_or_default();
        for ((label, req), (_, cov)) in required.entries().into_iter().zip(covered.entries()) {
            compare(label, req, cov);
        }
    }
    if let Some(required) = &requirement.cumplimiento_cover {
        let covered = poliza.cumplimiento_cover.unwrap_or_default();
        for ((label, req), (_, cov)) in required.entries().into_iter().zip(covered.entries()) {
            compare(label, req, cov);
        }
    }
    reasons
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComplianceStatus {
    Cumple,
    NoCumple,
    /// The document it was delivered for does not require a póliza of this kind.
    NoExigida,
}

impl ComplianceStatus {
    pub fn label(self) -> &'static str {
        match self {
            ComplianceStatus::Cumple => "Cumple",
            ComplianceStatus::NoCumple => "No cumple",
            ComplianceStatus::NoExigida => "No exigida",
        }
    }
}

/// A póliza checked against the requirement of the document it was delivered for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    pub status: ComplianceStatus,
    /// Spanish reasons; empty when it complies.
    pub reasons: Vec<String>,
    /// The document that required it.
    pub document: Source,
    pub requirement: Option<PolicyRequirement>,
    /// The date it must cover (contract end under that document + months of cover).
    pub required_until: Option<NaiveDate>,
}

impl Compliance {
    pub fn complies(&self) -> bool {
        self.status == ComplianceStatus::Cumple
    }
}

/// Checks a delivered póliza against the requirement in force from its document.
pub fn compliance(contrato: &Contrato, poliza: &Poliza) -> Compliance {
    let document = Source::required_by(poliza.data.required_by);
    let Some(required) = requirements_of(contrato, poliza.data.required_by) else {
        return Compliance {
            status: ComplianceStatus::NoCumple,
            reasons: vec![format!(
                "el documento {} no existe o no está aprobado",
                document.short()
            )],
            document,
            requirement: None,
            required_until: None,
        };
    };
    let Some(requirement) = required.find(&poliza.data.kind) else {
        let whom = match &document {
            Source::Contrato => "el contrato".to_string(),
            other => format!("el {}", other.short()),
        };
        return Compliance {
            status: ComplianceStatus::NoExigida,
            reasons: vec![format!(
                "{whom} no exige una póliza de tipo {}",
                poliza.data.kind
            )],
            document,
            requirement: None,
            required_until: None,
        };
    };
    let mut reasons = Vec::new();
    if let Some(c) = &poliza.cancelled {
        reasons.push(format!(
            "la póliza fue cancelada el {}",
            format_date(c.date)
        ));
    }
    reasons.extend(unmet_reasons(
        requirement,
        &poliza.data,
        required.contract_end,
    ));
    Compliance {
        status: if reasons.is_empty() {
            ComplianceStatus::Cumple
        } else {
            ComplianceStatus::NoCumple
        },
        reasons,
        document,
        required_until: Some(required_until(requirement, required.contract_end)),
        requirement: Some(requirement.clone()),
    }
}

/// One row of a contract's pólizas page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolizaView {
    pub id: Uuid,
    pub kind: PolicyKind,
    pub number: String,
    pub insurer: String,
    pub insured_value: Money,
    pub validity: DateRange,
    pub state: PolizaState,
    pub colchon_months: u32,
    /// Validity end minus the colchón.
    pub effective_expiry: NaiveDate,
    /// Days from today to the effective expiry (negative once past).
    pub days_left: i64,
    pub status: PolizaStatus,
    pub compliance: Compliance,
}

pub fn poliza_view(contrato: &Contrato, poliza: &Poliza, today: NaiveDate) -> PolizaView {
    PolizaView {
        id: poliza.id,
        kind: poliza.data.kind.clone(),
        number: poliza.data.number.clone(),
        insurer: poliza.data.insurer.clone(),
        insured_value: poliza.data.insured_value,
        validity: poliza.data.validity,
        state: poliza.data.state,
        colchon_months: poliza.data.colchon_months,
        effective_expiry: poliza.data.effective_expiry(),
        days_left: days_to_effective_expiry(&poliza.data, today),
        status: poliza_status(poliza, today),
        compliance: compliance(contrato, poliza),
    }
}

/// Every póliza of the contract, in the order they were registered.
pub fn poliza_views(contrato: &Contrato, today: NaiveDate) -> Vec<PolizaView> {
    contrato
        .polizas
        .iter()
        .map(|p| poliza_view(contrato, p, today))
        .collect()
}

/// The document whose policy requirements apply on `today`: the latest (by effective date) of
/// the contract, an approved Otro Sí in force that changed the required policies, and an
/// approved renewal in effect. A renewal asks for the pólizas again for its new period.
pub fn requiring_document(contrato: &Contrato, today: NaiveDate) -> Option<RequiredBy> {
    let terms = contrato.terms.as_ref()?;
    let mut best = (terms.start_date, 0u8, RequiredBy::Contract);
    for o in contrato.otro_si_in_force(today) {
        if o.changes.required_policies.is_some() && (o.effective_from, 1) >= (best.0, best.1) {
            best = (o.effective_from, 1, RequiredBy::OtroSi(o.number));
        }
    }
    for r in &contrato.renovaciones {
        if r.status == RenewalStatus::Aprobada
            && r.effective_from() <= today
            && (r.effective_from(), 2) >= (best.0, best.1)
        {
            best = (r.effective_from(), 2, RequiredBy::Renovacion(r.number));
        }
    }
    Some(best.2)
}

/// A required póliza with no complying póliza delivered for the document that required it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPolicy {
    pub kind: PolicyKind,
    pub minimum_insured: Money,
    /// When it is due: the day the document that requires it takes effect.
    pub due: NaiveDate,
    /// The date it must cover.
    pub required_until: Sourced<NaiveDate>,
    /// Why each delivered póliza of that kind for the document does not count (empty when none
    /// was delivered).
    pub reasons: Vec<String>,
}

impl MissingPolicy {
    pub fn document(&self) -> &Source {
        &self.required_until.source
    }
}

/// Required pólizas of the document in force on `today` with no complying póliza delivered for it.
pub fn missing_policies(contrato: &Contrato, today: NaiveDate) -> Vec<MissingPolicy> {
    let Some(required) =
        requiring_document(contrato, today).and_then(|doc| requirements_of(contrato, doc))
    else {
        return vec![];
    };
    required
        .requirements
        .iter()
        .filter_map(|requirement| {
            let delivered: Vec<&Poliza> = contrato
                .polizas
                .iter()
                .filter(|p| {
                    Source::required_by(p.data.required_by) == required.document
                        && p.data.kind == requirement.kind
                })
                .collect();
            let mut reasons = Vec::new();
            for p in delivered {
                let mut unmet = Vec::new();
                if let Some(c) = &p.cancelled {
                    unmet.push(format!("fue cancelada el {}", format_date(c.date)));
                }
                unmet.extend(unmet_reasons(requirement, &p.data, required.contract_end));
                if unmet.is_empty() {
                    return None;
                }
                reasons.push(format!("póliza {}: {}", p.data.number, unmet.join("; ")));
            }
            Some(MissingPolicy {
                kind: requirement.kind.clone(),
                minimum_insured: requirement.minimum_insured,
                due: required.due_from,
                required_until: Sourced::new(
                    required_until(requirement, required.contract_end),
                    required.document.clone(),
                ),
                reasons,
            })
        })
        .collect()
}
