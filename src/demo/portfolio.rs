//! The demo portfolio at any size with the old system's shape (issue 17): per 2,000 contracts, 975
//! fijo, 629 híbrido and 396 variable puro; 1,280 terceros and 1,600 locales; about two pólizas and
//! one Otro Sí a contract; monthly sales reports for the variable and híbrido ones; end dates spread
//! over the next three years so every alert kind fires. Built through the domain commands, like the
//! demo, from a seed: the same seed on the same day gives the same events.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};

use arriendo_events::{
    Actor, ContractTerms, ContratoCommand, Money, OtroSiChanges, OtroSiNumber, PaymentModality,
    Role, TerceroKind,
};
use uuid::Uuid;

use super::names::{PREMISES, SUPPLIERS, TENANTS};
use super::{DemoError, Loader, Options, Shape, day, load_with, pct};
use crate::app::App;

/// The old system's modality mix, per 2,000 contracts.
pub(super) const FIJO: usize = 975;
pub(super) const HIBRIDO: usize = 629;
pub(super) const MIX: usize = 2_000;
/// Terceros and locales per 2,000 contracts.
const TERCEROS: usize = 1_280;
const LOCALES: usize = 1_600;
/// One tercero in ten is a supplier, as one contract in ten is a supplier's.
const SUPPLIER_EVERY: usize = 10;

/// Which modality contract `i` of a portfolio has: 0 fijo, 1 híbrido, 2 variable puro. Every prefix
/// of the portfolio keeps the mix within a contract or two: contract `i` is fijo when
/// ⌊(i+1)·975/2000⌋ passes an integer, and the others are split between híbrido and variable puro in
/// the same way over their own count (629 of every 1,025).
pub(super) fn modality_of(i: usize) -> u8 {
    let fijos = |n: usize| n * FIJO / MIX;
    if fijos(i + 1) > fijos(i) {
        return 0;
    }
    let others = MIX - FIJO;
    let hibridos = |n: usize| n * HIBRIDO / others;
    let j = i - fijos(i);
    if hibridos(j + 1) > hibridos(j) { 1 } else { 2 }
}

/// The NIT (without check digit) of tercero `i`: the demo's first ones as they always were, then a
/// dense range that stays at nine digits for millions of terceros.
pub(super) fn nit_base(i: usize) -> u64 {
    let i = i as u64;
    if i < (TENANTS.len() + SUPPLIERS.len()) as u64 {
        900_100_000 + i * 7_919
    } else {
        800_000_000 + i * 37
    }
}

/// The terceros and locales of a portfolio.
pub(super) struct Names {
    tenants: usize,
    suppliers: usize,
    locales: usize,
}

impl Names {
    pub(super) fn for_shape(shape: Shape, contracts: usize) -> Names {
        match shape {
            Shape::Demo => Names {
                tenants: TENANTS.len(),
                suppliers: SUPPLIERS.len(),
                locales: PREMISES.len(),
            },
            Shape::Portfolio => {
                let terceros = (contracts * TERCEROS)
                    .div_ceil(MIX)
                    .max(TENANTS.len() + SUPPLIERS.len());
                let suppliers = (terceros / SUPPLIER_EVERY).max(SUPPLIERS.len());
                Names {
                    tenants: terceros - suppliers,
                    suppliers,
                    locales: (contracts * LOCALES).div_ceil(MIX).max(PREMISES.len()),
                }
            }
        }
    }

    pub(super) fn terceros(&self) -> usize {
        self.tenants + self.suppliers
    }

    pub(super) fn locales(&self) -> usize {
        self.locales
    }

    /// Tenants first, then suppliers; beyond the demo's names, branches of them.
    pub(super) fn tercero(&self, i: usize) -> (String, TerceroKind) {
        if i < self.tenants {
            (branch(TENANTS, i), TerceroKind::Arrendatario)
        } else {
            (branch(SUPPLIERS, i - self.tenants), TerceroKind::Proveedor)
        }
    }

    pub(super) fn local(&self, i: usize) -> String {
        match PREMISES.get(i) {
            Some(name) => (*name).to_string(),
            None => format!("Local {}-{:04}", ["A", "B", "C", "D"][i % 4], i),
        }
    }
}

fn branch(names: &[&str], i: usize) -> String {
    let name = names[i % names.len()];
    match i / names.len() {
        0 => name.to_string(),
        n => format!("{name} (sede {})", n + 1),
    }
}

/// What [`load_portfolio`] built, and how fast.
#[derive(Debug, Clone, Copy)]
pub struct PortfolioSummary {
    pub contracts: usize,
    pub terceros: usize,
    pub locales: usize,
    pub events: i64,
    pub elapsed: Duration,
}

impl PortfolioSummary {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    pub fn contracts_per_second(&self) -> f64 {
        self.contracts as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

async fn events(app: &App) -> Result<i64, DemoError> {
    let (count, _) =
        crate::store::event_log::head(&app.db)
            .await
            .map_err(|e| DemoError::Store {
                step: "count the events".into(),
                reason: e.to_string(),
            })?;
    Ok(count)
}

/// Builds a portfolio of `contracts` contracts with the old system's shape from `seed`, through the
/// domain commands, showing a progress bar when `show_progress` (on standard error).
pub async fn load_portfolio(
    app: &App,
    today: NaiveDate,
    contracts: usize,
    seed: u64,
    show_progress: bool,
) -> Result<PortfolioSummary, DemoError> {
    let progress = if show_progress {
        let bar = ProgressBar::new(contracts as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} contratos ({per_sec}, faltan {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let before = events(app).await?;
    let started = Instant::now();
    let options = Options {
        contracts,
        seed,
        shape: Shape::Portfolio,
    };
    let summary = load_with(app, today, &options, &progress).await?;
    let elapsed = started.elapsed();
    progress.finish_and_clear();
    let after = events(app).await?;
    Ok(PortfolioSummary {
        contracts: summary.contratos,
        terceros: summary.terceros,
        locales: summary.locales,
        events: after - before,
        elapsed,
    })
}

/// The Otro Sí of a portfolio contract the demo's own script leaves without one: approved two months
/// ago (or the day after it started), raising the canon or minimum, or the share of sales of a
/// variable puro.
pub(super) async fn otro_si(
    loader: &Loader<'_>,
    id: Uuid,
    terms: &ContractTerms,
    today: NaiveDate,
) -> Result<(), DemoError> {
    let gestor = Actor::new("gestora.demo", Role::Gestor);
    let changes = match &terms.modality {
        PaymentModality::VariablePuro { .. } => OtroSiChanges {
            percentage: Some(pct("9")?),
            ..Default::default()
        },
        modality => {
            let raise = Money::from_pesos(300_000)?;
            OtroSiChanges {
                canon: modality.fixed_amount().map(|m| m.saturating_add(raise)),
                ..Default::default()
            }
        }
    };
    let from = day(today, -60).max(day(terms.start_date, 1));
    let steps = [
        (
            "draft OS-1",
            ContratoCommand::DraftOtroSi {
                actor: gestor.clone(),
                effective_from: from,
                effective_to: None,
                changes,
                description: "Ajuste pactado de las condiciones económicas".into(),
            },
        ),
        (
            "submit OS-1",
            ContratoCommand::SubmitOtroSi {
                actor: gestor,
                number: OtroSiNumber(1),
            },
        ),
        (
            "approve OS-1",
            ContratoCommand::ApproveOtroSi {
                actor: loader.admin.clone(),
                number: OtroSiNumber(1),
            },
        ),
    ];
    for (step, command) in steps {
        loader.contrato(id, step, command).await?;
    }
    Ok(())
}
