//! Read side of Arriendo: read models as pure functions of the folded aggregate state and a
//! `today` date (America/Bogota calendar date, passed in so tests pin it). No I/O here.
//!
//! - [`fold`]: aggregate state from its events.
//! - [`source`]: [`Source`] / [`Sourced`], the document behind each value.
//! - [`vigente`]: the contract in force on a date ("vista vigente").
//! - [`alerts`]: every row of the alerts table of `domain.md`.
//! - [`calendar`]: the critical dates of each contract in a date range (same dates as the alerts).
//! - [`critical_dates`]: the date rules the alerts and the calendar share.
//! - [`polizas`]: póliza status (colchón applied) and compliance with its requirement.
//! - [`schedule`]: the month-by-month canon schedule.
//! - [`comparison`]: the terms an Otro Sí is compared against.
//! - [`billing`]: facturación por ventas (variable puro, híbrido).
//! - [`history`]: a Spanish sentence for every event.
//! - [`clausulas`]: a contract's clause checklist against the mandatory ones, and its changes.
//! - [`dashboard`]: counts and the 12-month chart.
//! - [`plausibility`]: values far from what is on file (the form asks first).
//! - [`occupancy`]: the days a contract holds its local (double leasing).

// Every date and money operation is checked or saturating: an event stored before the bounds of
// `arriendo_events::bounds` existed must give a wrong-looking value, never a panic (issue 9).
// Tests compute freely.
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod alerts;
pub mod billing;
pub mod calendar;
pub mod checked;
pub mod clausulas;
pub mod comparison;
pub mod critical_dates;
pub mod dashboard;
pub mod diff;
pub mod fold;
pub mod history;
pub mod occupancy;
pub mod plausibility;
pub mod polizas;
pub mod schedule;
pub mod source;
pub mod vigente;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use alerts::{Alert, AlertAction, AlertKind, BackupState, Severity};
pub use fold::{fold_contrato, fold_indice, fold_local, fold_tercero};
pub use source::{Source, Sourced};
pub use vigente::{ContratoVigente, vigente};
