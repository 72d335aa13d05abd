//! CSV rows (RFC 4180, UTF-8, comma, header first): what any tool reads without guessing.

use super::{Cell, ExportError};

/// The bytes of `rows`; a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return first) is written with a leading apostrophe, so opening an export never runs
/// what someone typed into a note (CSV injection).
pub fn encode_rows(rows: &[Vec<Cell>]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row.iter().map(field))?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Io(e.into_error()))
}

fn field(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => defused(text),
        Cell::Int(n) => n.to_string(),
        Cell::Money(m) | Cell::Number(m) => m.normalize().to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Moment(t) => t
            .with_timezone(&chrono_tz::America::Bogota)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        Cell::Empty => String::new(),
    }
}

fn defused(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal_macros::dec;

    #[test]
    fn cells_are_written_typed_and_formulas_defused() {
        let rows = vec![vec![
            Cell::text("=HYPERLINK(\"http://x\")"),
            Cell::Int(7),
            Cell::Money(dec!(15000000.00)),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 9, 1).expect("date")),
            Cell::Moment(Utc.with_ymd_and_hms(2026, 2, 15, 15, 0, 0).unwrap()),
            Cell::text("con, coma y \"comillas\""),
        ]];
        let text = String::from_utf8(encode_rows(&rows).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\")\",7,15000000,2026-09-01,2026-02-15 10:00:00,\"con, coma y \"\"comillas\"\"\"\n"
        );
    }
}
