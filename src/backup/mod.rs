//! Backups that ops can trust: the event log as JSON and the database file, a manifest with
//! checksums, remote copies through `object_store` (S3, GCS, Azure, folders, and SFTP through our own
//! store), retention, email, a schedule inside `serve`, verification and restores.
//!
//! For the web layer: [`run_backup`] starts a backup, [`runs::latest`] and [`runs::list`] read the
//! records, [`verify::verify`] checks one; [`schedule::spawn`] runs them on a schedule.

pub mod batch;
pub mod chain;
pub mod cli;
pub mod cli_backup;
pub mod copies;
pub mod dbfile;
pub mod deadline;
pub mod drill;
pub mod error;
pub mod folder;
pub mod fuzzing;
pub mod incremental;
pub mod json;
pub mod json_writer;
pub mod links;
pub mod liveness;
pub mod locate;
pub mod manifest;
pub mod naming;
pub mod notify;
pub mod overview;
pub mod pipeline;
pub mod restore;
pub mod retention;
pub mod run;
pub mod runs;
pub mod schedule;
pub mod segments;
pub mod settings;
pub mod sftp;
pub mod shipping;
pub mod sqlite_file;
pub mod targets;
pub mod until;
pub mod validate;
pub mod verify;

pub use error::BackupError;
pub use run::{BackupOptions, BackupReport, Format, run_backup, run_backup_with};
pub use runs::BackupRun;
pub use settings::BackupSettings;
