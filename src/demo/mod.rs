//! A realistic demo portfolio: tens of tenants and premises, ~60 contracts of every modality, with
//! amendments, renewals, policies, sales reports and adjustments, dated relative to today so that every
//! alert kind of the dashboard fires. Every command of the domain is exercised at least once.
//!
//! [`load_portfolio`] builds the same kind of portfolio at any size with the old system's shape
//! ([`Shape::Portfolio`], see `portfolio.rs`), from a seed: the same seed and day give the same events.

use std::sync::Mutex;

use chrono::{Duration, NaiveDate};
use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use uuid::Uuid;

use arriendo_events::{
    Actor, Area, ContratoCommand, DomainError, Email, IndexKind, IndiceCommand, LocalCommand,
    LocalData, Money, Nit, Percentage, Role, TerceroCommand, TerceroData, TerceroKind,
};

use crate::app::App;

mod catalogos;
mod contracts;
mod decisiones;
mod enrich;
mod enrich_otrosi;
mod enrich_polizas;
mod names;
mod papeles;
mod portfolio;

pub use portfolio::{PortfolioSummary, load_portfolio};

use crate::store::{CommandError, Metadata};
use contracts::contract_terms;
use enrich::enrich;
use names::*;

/// What went wrong while loading the demo (a bug in the demo script itself, or the store).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo step {step} was refused: {source}")]
    Refused { step: String, source: DomainError },
    #[error("demo step {step} failed: {reason}")]
    Store { step: String, reason: String },
    #[error("invalid demo value: {0}")]
    Value(#[from] DomainError),
}

/// Counts of what was loaded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub terceros: usize,
    pub locales: usize,
    pub contratos: usize,
}

/// Contracts in the demo portfolio.
pub const CONTRACTS: usize = 60;

pub(super) fn money(pesos: i64) -> Result<Money, DomainError> {
    Money::from_pesos(pesos)
}

pub(super) fn pct(text: &str) -> Result<Percentage, DomainError> {
    Percentage::parse(text)
}

pub(super) fn day(date: NaiveDate, days: i64) -> NaiveDate {
    date + Duration::days(days)
}

/// Which portfolio the loader builds: the hand-made demo (every modality in thirds, a few reports)
/// or the old system's shape at scale (its modality mix, ~2 pólizas and ~1 Otro Sí a contract,
/// monthly sales reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Demo,
    Portfolio,
}

pub(super) struct Loader<'a> {
    pub(super) app: &'a App,
    pub(super) admin: Actor,
    pub(super) shape: Shape,
    /// Every id the portfolio creates comes from here, so a seed decides them all.
    ids: Mutex<StdRng>,
}

impl Loader<'_> {
    fn meta(&self) -> Metadata {
        Metadata::system("demo")
    }

    /// A fresh random (version 4) id drawn from the loader's seeded generator.
    pub(super) fn id(&self) -> Uuid {
        let bytes: [u8; 16] = match self.ids.lock() {
            Ok(mut rng) => rng.random(),
            // A panic elsewhere while drawing: the generator itself is still usable.
            Err(poisoned) => poisoned.into_inner().random(),
        };
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    fn check(step: String, result: Result<(), CommandError<DomainError>>) -> Result<(), DemoError> {
        match result {
            Ok(()) => Ok(()),
            Err(CommandError::Refused(source)) => Err(DemoError::Refused { step, source }),
            Err(other) => Err(DemoError::Store {
                step,
                reason: other.to_string(),
            }),
        }
    }

    pub(super) async fn contrato(
        &self,
        id: Uuid,
        step: &str,
        command: ContratoCommand,
    ) -> Result<(), DemoError> {
        let id = id.to_string();
        // An edit carries the version of what it replaces: read it as a form would.
        let command = if command.expected_version().is_some() {
            match self.app.commands.load_contrato(&id).await {
                Ok(current) => command.prepared_from(&current.unwrap_or_default()),
                Err(e) => return Self::check(format!("{step} ({id})"), Err(e)),
            }
        } else {
            command
        };
        let result = self.app.commands.contrato(&id, command, self.meta()).await;
        Self::check(format!("{step} ({id})"), result)
    }
}

/// Loads the demo portfolio relative to `today`.
pub async fn load(app: &App, today: NaiveDate) -> Result<DemoSummary, DemoError> {
    load_sized(app, today, CONTRACTS).await
}

/// The same portfolio with `contracts` contracts (benchmarks use thousands).
pub async fn load_sized(
    app: &App,
    today: NaiveDate,
    contracts: usize,
) -> Result<DemoSummary, DemoError> {
    let options = Options {
        contracts,
        seed: rand::random(),
        shape: Shape::Demo,
    };
    load_with(app, today, &options, &ProgressBar::hidden()).await
}

/// What to build: how many contracts, from which seed, in which shape.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub contracts: usize,
    pub seed: u64,
    pub shape: Shape,
}

/// Loads a portfolio; `progress` advances by one per contract.
pub async fn load_with(
    app: &App,
    today: NaiveDate,
    options: &Options,
    progress: &ProgressBar,
) -> Result<DemoSummary, DemoError> {
    let contracts = options.contracts;
    let loader = Loader {
        app,
        admin: Actor::new("demo", Role::Administrador),
        shape: options.shape,
        ids: Mutex::new(StdRng::seed_from_u64(options.seed)),
    };
    let admin = loader.admin.clone();
    papeles::company(&loader).await?;

    for (kind, values) in [
        (IndexKind::Ipc, IPC),
        (IndexKind::SalarioMinimo, SALARIO_MINIMO),
    ] {
        for (year, value) in values {
            let command = IndiceCommand::RecordIndexValue {
                actor: admin.clone(),
                kind,
                year: *year,
                value: pct(value)?,
            };
            let result = app
                .commands
                .indice(kind.stream_id(), command, loader.meta())
                .await;
            Loader::check(format!("index {year}"), result)?;
        }
    }

    let names = portfolio::Names::for_shape(options.shape, contracts);
    let mut tenants = Vec::new();
    for i in 0..names.terceros() {
        let (name, kind) = names.tercero(i);
        let id = loader.id();
        let base = portfolio::nit_base(i);
        let nit = Nit::parse(&format!(
            "{base}-{}",
            arriendo_events::check_digit_of(&base.to_string())
        ))?;
        let slug: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(12)
            .collect::<String>()
            .to_lowercase();
        let data = TerceroData {
            nit,
            razon_social: name.clone(),
            kind,
            legal_representative: Some(format!("Representante {}", i + 1)),
            supervisor_name: Some(format!("Supervisor {}", i + 1)),
            supervisor_email: Some(Email::parse(&format!("contratos@{slug}.com.co"))?),
        };
        let result = app
            .commands
            .tercero(
                &id.to_string(),
                TerceroCommand::RegisterTercero {
                    actor: admin.clone(),
                    data: data.clone(),
                },
                loader.meta(),
            )
            .await;
        Loader::check(format!("tercero {name}"), result)?;
        if i == 0 {
            let updated = TerceroData {
                legal_representative: Some("María Fernanda Gómez".into()),
                ..data
            };
            let result = app
                .commands
                .tercero(
                    &id.to_string(),
                    TerceroCommand::UpdateTercero {
                        actor: admin.clone(),
                        data: updated,
                        // Registered just above: one event.
                        expected_version: 1,
                    },
                    loader.meta(),
                )
                .await;
            Loader::check("update tercero".into(), result)?;
        }
        tenants.push((id, kind));
    }

    let mut premises = Vec::new();
    for i in 0..names.locales() {
        let name = names.local(i);
        let id = loader.id();
        let data = LocalData {
            name: name.clone(),
            location: format!("Centro Comercial Andino, piso {}", 1 + (i / 10) % 4),
            area_m2: Area::new(Decimal::from(40 + (i as i64 * 13) % 260))?,
        };
        let result = app
            .commands
            .local(
                &id.to_string(),
                LocalCommand::RegisterLocal {
                    actor: admin.clone(),
                    data: data.clone(),
                },
                loader.meta(),
            )
            .await;
        Loader::check(format!("local {name}"), result)?;
        if i == 0 {
            let updated = LocalData {
                area_m2: Area::new(Decimal::new(8550, 2))?,
                ..data
            };
            let result = app
                .commands
                .local(
                    &id.to_string(),
                    LocalCommand::UpdateLocal {
                        actor: admin.clone(),
                        data: updated,
                        // Registered just above: one event.
                        expected_version: 1,
                    },
                    loader.meta(),
                )
                .await;
            Loader::check("update local".into(), result)?;
        }
        premises.push(id);
    }

    let client_tenants: Vec<Uuid> = tenants
        .iter()
        .filter(|(_, k)| *k == TerceroKind::Arrendatario)
        .map(|(id, _)| *id)
        .collect();
    let suppliers: Vec<Uuid> = tenants
        .iter()
        .filter(|(_, k)| *k == TerceroKind::Proveedor)
        .map(|(id, _)| *id)
        .collect();
    let catalog = catalogos::seed(&loader).await?;
    let mut ids = Vec::with_capacity(contracts);
    for i in 0..contracts {
        let id = loader.id();
        let mut terms = contract_terms(
            i,
            today,
            options.shape,
            &client_tenants,
            &suppliers,
            &premises,
        )?;
        terms.type_id = catalog.type_for(i, terms.kind);
        loader
            .contrato(
                id,
                "create",
                ContratoCommand::CreateContract {
                    actor: admin.clone(),
                    terms: terms.clone(),
                },
            )
            .await?;
        catalog.record(&loader, i, id, &terms).await?;
        enrich(&loader, i, id, &terms, today).await?;
        if i < 3 {
            papeles::documents(&loader, id, &terms.number).await?;
        }
        progress.inc(1);
        ids.push(id);
    }
    decisiones::record(&loader, &ids, today).await?;
    digests(app).await?;
    Ok(DemoSummary {
        terceros: tenants.len(),
        locales: premises.len(),
        contratos: contracts,
    })
}

/// Two alert digests: pólizas críticas every weekday morning (only critical ones), and vencimientos
/// weekly on Mondays, to the demo company's addresses.
async fn digests(app: &App) -> Result<(), DemoError> {
    use crate::digest::{recipients, settings};
    let failed = |e: String| DemoError::Store {
        step: "alert digests".into(),
        reason: e,
    };
    let now = chrono::Utc::now();
    for (kind, frequency, days, critical, emails) in [
        (
            "polizas-criticas",
            "semanal",
            vec!["0", "1", "2", "3", "4"],
            true,
            vec![
                "seguros@arriendo-demo.com.co",
                "juridica@arriendo-demo.com.co",
            ],
        ),
        (
            "vencimiento",
            "semanal",
            vec!["0"],
            false,
            vec!["gerencia@arriendo-demo.com.co"],
        ),
    ] {
        let input = settings::SettingsInput {
            kind: kind.into(),
            enabled: true,
            frequency: frequency.into(),
            weekdays: days.into_iter().map(String::from).collect(),
            time: "07:30".into(),
            only_critical: critical,
            subject: String::new(),
        };
        let (kind, change) = settings::parse(&input).map_err(|e| failed(format!("{e:?}")))?;
        settings::save(&app.db, kind, &change, "demo", now)
            .await
            .map_err(|e| failed(e.to_string()))?;
        for email in emails {
            let new = recipients::NewRecipient {
                kind,
                email: email.into(),
                name: String::new(),
                username: None,
            };
            match recipients::add(&app.db, &new, "demo", now).await {
                Ok(()) | Err(recipients::AddError::Invalid(_)) => {}
                Err(recipients::AddError::Failed(e)) => return Err(failed(e.to_string())),
            }
        }
    }
    Ok(())
}
