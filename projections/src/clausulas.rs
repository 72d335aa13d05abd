//! A contract's clause checklist against the clauses mandatory for it, the «Cláusulas obligatorias
//! faltantes» alert, and what each recorded checklist added and removed.

use arriendo_events::{Catalogos, Clause, Contrato};
use chrono::NaiveDate;
use uuid::Uuid;

use crate::alerts::{Alert, AlertKind, Severity, raises_alerts};
use crate::checked::days_between;
use crate::source::Source;

/// The checklist of one contract as the audit page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseStatus<'a> {
    pub clause: &'a Clause,
    pub present: bool,
    pub mandatory: bool,
}

/// Every clause the page lists: the active ones, and inactive ones the contract still has, in order.
pub fn checklist<'a>(catalog: &'a Catalogos, contrato: &Contrato) -> Vec<ClauseStatus<'a>> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    let mandatory: Vec<Uuid> = catalog
        .mandatory_for(terms.kind, terms.type_id)
        .iter()
        .map(|c| c.id)
        .collect();
    catalog
        .clauses_in_order()
        .into_iter()
        .map(|clause| ClauseStatus {
            clause,
            present: contrato.clauses.contains(&clause.id),
            mandatory: mandatory.contains(&clause.id),
        })
        .filter(|s| s.clause.data.active || s.present)
        .collect()
}

/// The active mandatory clauses the contract's checklist lacks, in order.
pub fn missing<'a>(catalog: &'a Catalogos, contrato: &Contrato) -> Vec<&'a Clause> {
    let Some(terms) = contrato.terms.as_ref() else {
        return vec![];
    };
    catalog
        .mandatory_for(terms.kind, terms.type_id)
        .into_iter()
        .filter(|c| !contrato.clauses.contains(&c.id))
        .collect()
}

/// «Cláusulas obligatorias faltantes» (warning): a contract in force on `today` (started, not past
/// its end, not terminated or deleted) whose checklist lacks mandatory clauses. The trigger date is
/// the start of the contract: the clauses were missing since it was signed.
pub fn missing_clauses_alert(
    contract_id: Uuid,
    contrato: &Contrato,
    catalog: &Catalogos,
    today: NaiveDate,
) -> Option<Alert> {
    let terms = contrato.terms.as_ref()?;
    let in_force = crate::vigente::vigente(contrato, today).is_some_and(|v| v.in_force);
    if !raises_alerts(contrato, today) || !in_force {
        return None;
    }
    let missing = missing(catalog, contrato);
    if missing.is_empty() {
        return None;
    }
    let titles: Vec<&str> = missing.iter().map(|c| c.data.title.as_str()).collect();
    let count = if missing.len() == 1 {
        "falta 1 cláusula obligatoria".to_string()
    } else {
        format!("faltan {} cláusulas obligatorias", missing.len())
    };
    Some(
        Alert {
            kind: AlertKind::ClausulasFaltantes,
            severity: Severity::Info,
            contract_id: Some(contract_id),
            contract_number: Some(terms.number.clone()),
            contract_kind: Some(terms.kind),
            trigger_date: terms.start_date,
            days_left: days_between(today, terms.start_date),
            source: Source::Contrato,
            message: format!(
                "Al contrato {} le {count}: {}",
                terms.number,
                titles.join(", ")
            ),
            subject: crate::alerts::CONTRACT_SUBJECT.to_string(),
            owner: None,
            action: Some(crate::alerts::AlertAction {
                label: "Completar la lista de cláusulas".to_string(),
                href: format!("/contratos/{contract_id}/clausulas"),
            }),
            handled: None,
        }
        .decided(contrato, today),
    )
}

/// What one recorded checklist changed against the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistChange {
    pub added: Vec<Uuid>,
    pub removed: Vec<Uuid>,
}

/// For each checklist in recording order, what it added and removed (the first adds all it has).
pub fn checklist_changes(lists: &[Vec<Uuid>]) -> Vec<ChecklistChange> {
    let mut before: &[Uuid] = &[];
    lists
        .iter()
        .map(|now| {
            let change = ChecklistChange {
                added: now
                    .iter()
                    .filter(|id| !before.contains(id))
                    .copied()
                    .collect(),
                removed: before
                    .iter()
                    .filter(|id| !now.contains(id))
                    .copied()
                    .collect(),
            };
            before = now;
            change
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use arriendo_events::{CatalogosEvent, ClauseData, ClauseScope, ContratoEvent, TypeCatalog};

    use super::*;
    use crate::testing::terms;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn catalog() -> Catalogos {
        let mut c = Catalogos::default();
        let clause = |n: u128, title: &str, active| CatalogosEvent::ClauseRegistered {
            id: Uuid::from_u128(n),
            clause: ClauseData {
                title: title.into(),
                text: String::new(),
                category: String::new(),
                order: u32::try_from(n).unwrap(),
                active,
            },
        };
        for event in [
            CatalogosEvent::TypeRegistered {
                id: Uuid::from_u128(1),
                catalog: TypeCatalog::Contrato,
                name: "BODEGAS".into(),
            },
            clause(10, "Objeto", true),
            clause(11, "Canon", true),
            clause(12, "Propiedad intelectual", false),
            CatalogosEvent::MandatoryClauseAdded {
                clause_id: Uuid::from_u128(10),
                scope: ClauseScope::AllClient,
            },
            CatalogosEvent::MandatoryClauseAdded {
                clause_id: Uuid::from_u128(11),
                scope: ClauseScope::ContractType(Uuid::from_u128(1)),
            },
            CatalogosEvent::MandatoryClauseAdded {
                clause_id: Uuid::from_u128(12),
                scope: ClauseScope::AllClient,
            },
        ] {
            c.apply_event(event);
        }
        c
    }

    fn contract(type_id: Option<Uuid>, clauses: Vec<Uuid>) -> Contrato {
        let mut c = Contrato::default();
        c.apply_event(ContratoEvent::ContractCreated(
            arriendo_events::ContractTerms { type_id, ..terms() },
        ));
        c.apply_event(ContratoEvent::ClauseChecklistRecorded {
            clause_ids: clauses,
            by: "gus".into(),
        });
        c
    }

    #[test]
    fn missing_mandatory_clauses_raise_a_warning_while_the_contract_is_in_force() {
        let catalog = catalog();
        let start = terms().start_date;
        let today = start + chrono::Days::new(10);
        let bodega = contract(Some(Uuid::from_u128(1)), vec![]);
        let alert = missing_clauses_alert(Uuid::nil(), &bodega, &catalog, today).unwrap();
        assert_eq!(alert.severity, Severity::Info);
        assert_eq!(alert.trigger_date, start);
        assert!(
            alert
                .message
                .ends_with("le faltan 2 cláusulas obligatorias: Objeto, Canon"),
            "{}",
            alert.message
        );
        let other = contract(None, vec![]);
        let alert = missing_clauses_alert(Uuid::nil(), &other, &catalog, today).unwrap();
        assert!(
            alert
                .message
                .ends_with("le falta 1 cláusula obligatoria: Objeto"),
            "{}",
            alert.message
        );
        let complete = contract(None, vec![Uuid::from_u128(10)]);
        assert_eq!(
            missing_clauses_alert(Uuid::nil(), &complete, &catalog, today),
            None
        );
        // Before it starts, nothing is due yet.
        assert_eq!(
            missing_clauses_alert(Uuid::nil(), &other, &catalog, d(2000, 1, 1)),
            None
        );
        // The inactive clause is listed only while the contract has it.
        assert_eq!(checklist(&catalog, &other).len(), 2);
        let with_inactive = contract(None, vec![Uuid::from_u128(12)]);
        assert_eq!(checklist(&catalog, &with_inactive).len(), 3);
    }

    #[test]
    fn each_checklist_says_what_it_added_and_removed() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(
            checklist_changes(&[vec![a, b], vec![b, c]]),
            vec![
                ChecklistChange {
                    added: vec![a, b],
                    removed: vec![]
                },
                ChecklistChange {
                    added: vec![c],
                    removed: vec![a]
                },
            ]
        );
    }
}
