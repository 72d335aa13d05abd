//! Tables for people's working papers: typed cells written as CSV or XLSX row after row, so an
//! export of a long log never holds the whole file in memory. What goes in the rows is the caller's;
//! how a peso, a date or a moment is written is decided here once.

mod csv_out;
mod xlsx_out;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

pub use csv_out::encode_rows as csv_rows;
pub use xlsx_out::{XlsxFeed, spawn_xlsx};

/// One cell, typed so a spreadsheet can sort and add it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Pesos: a number with a peso format in XLSX, a plain decimal in CSV.
    Money(Decimal),
    /// A plain number (a percentage as `8.5`).
    Number(Decimal),
    Date(NaiveDate),
    /// An instant, written in Bogotá time (the column's title says so).
    Moment(DateTime<Utc>),
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }
}

/// What the file is: its title lines (who, when, which filters) and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet's name (XLSX): at most 31 characters, none of `[]:*?/\`.
    pub name: String,
    /// Lines above the table in XLSX: what this is, when and by whom it was exported, the filters.
    pub title: Vec<String>,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: &'static str,
    /// Width in characters (XLSX).
    pub width: f64,
}

impl Column {
    pub const fn new(header: &'static str, width: f64) -> Column {
        Column { header, width }
    }
}

/// The file formats people ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub fn from_slug(slug: &str) -> Option<Format> {
        match slug.trim() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("the export's writer stopped before the last row")]
    WriterGone,
}

/// A moment as people in Colombia read it: `15/02/2026 10:00:00`.
pub fn bogota_label(moment: DateTime<Utc>) -> String {
    moment
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}
