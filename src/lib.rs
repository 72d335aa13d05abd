//! Arriendo: the application. Wires the event store, the projector, the HTTP server and the CLI.

pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendario;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod digest;
pub mod documents;
pub mod export;
pub mod http;
pub mod import;
pub mod metrics;
pub mod projector;
pub mod queries;
pub mod read_models;
pub mod startup;
pub mod store;
pub mod telemetry;

pub use app::{App, AppError, run};
