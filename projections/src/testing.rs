//! Test helpers: contracts told as stories of commands, decided by the write side.

use arriendo_events::*;
use chrono::NaiveDate;
use uuid::Uuid;

/// The date every test pins as today.
pub fn today() -> NaiveDate {
    d(2026, 3, 1)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn pesos(n: i64) -> Money {
    Money::from_pesos(n).unwrap()
}

pub fn pct(text: &str) -> Percentage {
    Percentage::parse(text).unwrap()
}

pub fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).unwrap()
}

pub fn id() -> Uuid {
    Uuid::from_u128(42)
}

fn admin() -> Actor {
    Actor::new("ana.admin", Role::Administrador)
}

pub fn gestor() -> Actor {
    Actor::new("gus.gestor", Role::Gestor)
}

/// CT-001: cliente, fixed canon $ 10.000.000 from 01/01/2025 to 31/12/2026 (24 months),
/// no prórroga automática, preaviso and early-termination notice 60 days,
/// adjusted yearly on the anniversary by IPC + 2 points, no required pólizas.
pub fn terms() -> ContractTerms {
    ContractTerms {
        number: "CT-001".into(),
        kind: ContractKind::Cliente,
        purpose: "Local comercial para venta de ropa".into(),
        tercero_id: Uuid::from_u128(1),
        local_id: Some(Uuid::from_u128(2)),
        signing_date: d(2024, 12, 15),
        start_date: d(2025, 1, 1),
        initial_duration_months: 24,
        end_date: d(2026, 12, 31),
        automatic_extension: false,
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

/// Ending `end`, otherwise [`terms`].
pub fn ending(end: NaiveDate) -> ContractTerms {
    ContractTerms {
        end_date: end,
        ..terms()
    }
}

pub fn hybrid(minimum: i64, percentage: &str) -> ContractTerms {
    ContractTerms {
        modality: PaymentModality::Hibrido {
            minimum: pesos(minimum),
            percentage: pct(percentage),
        },
        sales_report_due_day: Some(10),
        ..terms()
    }
}

pub fn variable(percentage: &str) -> ContractTerms {
    ContractTerms {
        modality: PaymentModality::VariablePuro {
            percentage: pct(percentage),
        },
        sales_report_due_day: Some(10),
        adjustment: None,
        ..terms()
    }
}

pub fn requirement(kind: PolicyKind, minimum: i64, months_of_cover: u32) -> PolicyRequirement {
    PolicyRequirement {
        kind,
        minimum_insured: pesos(minimum),
        months_of_cover,
        rce_sublimits: None,
        cumplimiento_cover: None,
    }
}

/// An RCE póliza number "RCE 123-45" of Seguros Bolívar, valid from 01/01/2025 to `to`.
pub fn rce(value: i64, to: NaiveDate, colchon_months: u32, required_by: RequiredBy) -> PolizaData {
    PolizaData {
        kind: PolicyKind::Rce,
        number: "RCE 123-45".into(),
        insurer: "Seguros Bolívar".into(),
        insured_value: pesos(value),
        rce_sublimits: None,
        cumplimiento_cover: None,
        validity: DateRange::new(d(2025, 1, 1), to).unwrap(),
        state: PolizaState::AporteInicial,
        required_by,
        colchon_months,
    }
}

/// A contract and the events the write side decided for it.
pub struct Story {
    pub state: Contrato,
    pub events: Vec<ContratoEvent>,
}

impl Story {
    pub fn of(terms: ContractTerms) -> Story {
        Story {
            state: Contrato::default(),
            events: vec![],
        }
        .ok(ContratoCommand::CreateContract {
            actor: gestor(),
            terms,
        })
    }

    /// The command is accepted and its events applied.
    pub fn ok(mut self, command: ContratoCommand) -> Story {
        let events = self
            .state
            .decide(command)
            .unwrap_or_else(|e| panic!("refused: {e}"));
        for e in events {
            self.state.apply_event(e.clone());
            self.events.push(e);
        }
        self
    }

    /// Drafts, submits and approves an Otro Sí effective from `from`.
    pub fn otro_si(self, from: NaiveDate, changes: OtroSiChanges) -> Story {
        let number = OtroSiNumber(
            self.state
                .otro_si
                .iter()
                .map(|o| o.number.0)
                .max()
                .unwrap_or(0)
                + 1,
        );
        self.draft(from, changes)
            .ok(ContratoCommand::SubmitOtroSi {
                actor: gestor(),
                number,
            })
            .ok(ContratoCommand::ApproveOtroSi {
                actor: admin(),
                number,
            })
    }

    /// An Otro Sí left in borrador.
    pub fn draft(self, from: NaiveDate, changes: OtroSiChanges) -> Story {
        self.ok(ContratoCommand::DraftOtroSi {
            actor: gestor(),
            effective_from: from,
            effective_to: None,
            changes,
            description: "Otro Sí".into(),
        })
    }

    /// Proposes the next renewal; approves it when `approve`.
    pub fn renewal(self, approve: bool) -> Story {
        let number = self.state.next_renewal_number();
        let story = self.ok(ContratoCommand::ProposeRenewal { actor: gestor() });
        if approve {
            story.ok(ContratoCommand::ApproveRenewal {
                actor: admin(),
                number,
            })
        } else {
            story
        }
    }

    /// Registers póliza `n` (the second and later get the suffix `/n` in their number).
    pub fn poliza(self, n: u128, mut poliza: PolizaData) -> Story {
        if n > 1 {
            poliza.number = format!("{}/{n}", poliza.number);
        }
        self.ok(ContratoCommand::RegisterPoliza {
            actor: gestor(),
            id: Uuid::from_u128(n),
            poliza,
        })
    }

    pub fn cancel_poliza(self, n: u128, date: NaiveDate) -> Story {
        self.ok(ContratoCommand::CancelPoliza {
            actor: gestor(),
            id: Uuid::from_u128(n),
            date,
            reason: "Reemplazada".into(),
        })
    }

    pub fn adjusted(self, year: i32, index_value: &str, date: NaiveDate) -> Story {
        self.ok(ContratoCommand::RecordCanonAdjustment {
            actor: gestor(),
            year,
            index_value: pct(index_value),
            effective_date: date,
        })
    }

    pub fn report(self, period: YearMonth, deadline: Option<NaiveDate>) -> Story {
        self.ok(ContratoCommand::RegisterSalesReport {
            actor: gestor(),
            period,
            deadline,
        })
    }

    pub fn delivered(self, period: YearMonth, gross: i64, returns: i64) -> Story {
        let command = ContratoCommand::MarkSalesReportDelivered {
            actor: gestor(),
            period,
            date: period.next().day(5),
            gross_sales: pesos(gross),
            returns: pesos(returns),
            expected_version: 0,
        }
        .prepared_from(&self.state);
        self.ok(command)
    }

    pub fn terminated(self, date: NaiveDate) -> Story {
        self.ok(ContratoCommand::TerminateContract {
            actor: admin(),
            date,
            reason: "Mutuo acuerdo".into(),
        })
    }
}

pub fn canon(n: i64) -> OtroSiChanges {
    OtroSiChanges {
        canon: Some(pesos(n)),
        ..OtroSiChanges::default()
    }
}

pub fn new_end(end: NaiveDate) -> OtroSiChanges {
    OtroSiChanges {
        end_date: Some(end),
        ..OtroSiChanges::default()
    }
}
