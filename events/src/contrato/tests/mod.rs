//! Contract rules, told like the domain brief.

mod adjustment;
mod alerts;
mod billing;
mod bounds;
mod catalog;
mod creation;
mod documents;
mod imported;
mod otro_si;
mod poliza;
mod renewal;
mod roles;
mod sales_report;
mod versions;

use chrono::NaiveDate;
use cqrs_es::Aggregate;

use super::*;
use crate::{Actor, DomainError, Money, Percentage, Role};

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn pesos(n: i64) -> Money {
    Money::from_pesos(n).unwrap()
}

pub(super) fn pct(text: &str) -> Percentage {
    Percentage::parse(text).unwrap()
}

pub(super) fn admin() -> Actor {
    Actor::new("ana.admin", Role::Administrador)
}

pub(super) fn gestor() -> Actor {
    Actor::new("gus.gestor", Role::Gestor)
}

pub(super) fn auditor() -> Actor {
    Actor::new("aud", Role::Auditor)
}

/// CT-001: fixed canon of $ 10.000.000, 2025-01-01 to 2025-12-31 (12 months), prórroga automática,
/// adjusted yearly on the anniversary by IPC + 2 points.
pub(super) fn terms() -> ContractTerms {
    ContractTerms {
        number: "CT-001".into(),
        kind: ContractKind::Cliente,
        purpose: "Local comercial para venta de ropa".into(),
        tercero_id: uuid::Uuid::from_u128(1),
        local_id: Some(uuid::Uuid::from_u128(2)),
        signing_date: d(2024, 12, 15),
        start_date: d(2025, 1, 1),
        initial_duration_months: 12,
        end_date: d(2025, 12, 31),
        automatic_extension: true,
        preaviso_days: 60,
        early_termination_notice_days: 60,
        modality: PaymentModality::Fijo {
            canon: pesos(10_000_000),
        },
        sales_report_due_day: None,
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc { points: pct("2") },
            on: AdjustmentDate::Anniversary,
        }),
        grace_period: None,
        required_policies: vec![],
        penalty_clause: "Tres cánones".into(),
        late_payment_interest: "Máxima legal".into(),
        signed_document_url: None,
        type_id: None,
    }
}

pub(super) fn hybrid_terms() -> ContractTerms {
    ContractTerms {
        modality: PaymentModality::Hibrido {
            minimum: pesos(5_000_000),
            percentage: pct("8"),
        },
        sales_report_due_day: Some(10),
        ..terms()
    }
}

/// A contract and the events recorded so far.
pub(super) struct Story {
    pub state: Contrato,
}

impl Story {
    pub fn of(terms: ContractTerms) -> Story {
        Story::new().ok(ContratoCommand::CreateContract {
            actor: gestor(),
            terms,
        })
    }

    pub fn new() -> Story {
        Story {
            state: Contrato::default(),
        }
    }

    /// The command is accepted: its events are applied.
    pub fn ok(mut self, command: ContratoCommand) -> Story {
        let events = self
            .when(command)
            .unwrap_or_else(|e| panic!("refused: {e}"));
        for event in events {
            self.state.apply(event);
        }
        self
    }

    pub fn when(&self, command: ContratoCommand) -> Result<Vec<ContratoEvent>, DomainError> {
        self.state.decide(command)
    }

    /// An edit sent from a form that showed the current state: it carries the version it replaces.
    pub fn ok_edit(self, command: ContratoCommand) -> Story {
        let command = command.prepared_from(&self.state);
        self.ok(command)
    }

    /// [`Story::when`] for an edit prepared from the current state.
    pub fn when_edit(&self, command: ContratoCommand) -> Result<Vec<ContratoEvent>, DomainError> {
        self.when(command.prepared_from(&self.state))
    }

    /// The command is refused: the Spanish message.
    pub fn refused(&self, command: ContratoCommand) -> String {
        crate::testing::refusal(self.when(command))
    }
}

pub(super) fn draft(changes: OtroSiChanges) -> ContratoCommand {
    ContratoCommand::DraftOtroSi {
        actor: gestor(),
        effective_from: d(2025, 6, 1),
        effective_to: None,
        changes,
        description: "Cambio de canon".into(),
    }
}

pub(super) fn canon_change(n: i64) -> OtroSiChanges {
    OtroSiChanges {
        canon: Some(pesos(n)),
        ..OtroSiChanges::default()
    }
}

pub(super) fn submit(n: u32) -> ContratoCommand {
    ContratoCommand::SubmitOtroSi {
        actor: gestor(),
        number: OtroSiNumber(n),
    }
}

pub(super) fn approve(n: u32) -> ContratoCommand {
    ContratoCommand::ApproveOtroSi {
        actor: admin(),
        number: OtroSiNumber(n),
    }
}
