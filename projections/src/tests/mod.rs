//! The rules of `domain.md`, told with concrete dates and amounts. Today is pinned to 01/03/2026.

mod alerts;
mod billing;
mod calendar;
mod dashboard;
mod history;
mod polizas;
mod properties;
mod schedule;
mod stored_extremes;
mod vigente;
