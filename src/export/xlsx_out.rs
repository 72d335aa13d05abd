//! XLSX written by rust_xlsxwriter in constant-memory mode on a blocking thread: rows arrive in
//! batches through a bounded channel and go straight to the worksheet's temporary file, so memory
//! stays flat however long the log is. The finished workbook is a temporary file the caller streams.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};
use tempfile::NamedTempFile;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Cell, ExportError, Sheet};

/// Excel's last row (1,048,576 rows, counted from 0); past it the rows continue on a new sheet.
const LAST_ROW: u32 = 1_048_575;
/// Excel refuses longer strings (32,767); a longer note is cut with an ellipsis.
const LONGEST_TEXT: usize = 32_000;

/// Where the rows of one XLSX export go, and the file they end in.
pub struct XlsxFeed {
    rows: mpsc::Sender<Message>,
    writer: JoinHandle<Result<NamedTempFile, ExportError>>,
}

/// What the writer receives: rows of the current sheet, or the start of the next sheet.
enum Message {
    Rows(Vec<Vec<Cell>>),
    Sheet(Sheet),
}

/// Starts writing `sheet`; send its rows in order (and further sheets), then [`XlsxFeed::finish`].
pub fn spawn_xlsx(sheet: Sheet) -> XlsxFeed {
    let (tx, rx) = mpsc::channel(4);
    let writer = tokio::task::spawn_blocking(move || write(sheet, rx));
    XlsxFeed { rows: tx, writer }
}

impl XlsxFeed {
    pub async fn send(&self, rows: Vec<Vec<Cell>>) -> Result<(), ExportError> {
        self.rows
            .send(Message::Rows(rows))
            .await
            .map_err(|_| ExportError::WriterGone)
    }

    /// Ends the current sheet; the rows sent next go to `sheet`.
    pub async fn next_sheet(&self, sheet: Sheet) -> Result<(), ExportError> {
        self.rows
            .send(Message::Sheet(sheet))
            .await
            .map_err(|_| ExportError::WriterGone)
    }

    /// The finished workbook, once every row sent is written.
    pub async fn finish(self) -> Result<NamedTempFile, ExportError> {
        drop(self.rows);
        self.writer.await.map_err(|_| ExportError::WriterGone)?
    }
}

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    number: Format,
    date: Format,
    moment: Format,
}

fn write(first: Sheet, mut rx: mpsc::Receiver<Message>) -> Result<NamedTempFile, ExportError> {
    let formats = Formats {
        title: Format::new().set_bold(),
        header: Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_align(FormatAlign::Center),
        money: Format::new().set_num_format("\"$\" #,##0.##"),
        number: Format::new().set_num_format("#,##0.##"),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        moment: Format::new().set_num_format("dd/mm/yyyy hh:mm:ss"),
    };
    let mut workbook = Workbook::new();
    let mut sheets = 1;
    let mut sheet = first;
    let mut part = 1;
    let mut row = start_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        &sheet,
        &sheet.name,
        &formats,
    )?;
    let mut first_data_row = row;
    while let Some(message) = rx.blocking_recv() {
        let batch = match message {
            Message::Rows(batch) => batch,
            Message::Sheet(next) => {
                finish_sheet(
                    last(&mut workbook, sheets)?,
                    &sheet,
                    first_data_row,
                    row.saturating_sub(1),
                )?;
                sheets += 1;
                part = 1;
                sheet = next;
                row = start_sheet(
                    workbook.add_worksheet_with_constant_memory()?,
                    &sheet,
                    &sheet.name,
                    &formats,
                )?;
                first_data_row = row;
                continue;
            }
        };
        for cells in batch {
            if row > LAST_ROW {
                finish_sheet(
                    last(&mut workbook, sheets)?,
                    &sheet,
                    first_data_row,
                    LAST_ROW,
                )?;
                sheets += 1;
                part += 1;
                let name = continued_name(&sheet.name, part);
                row = start_sheet(
                    workbook.add_worksheet_with_constant_memory()?,
                    &sheet,
                    &name,
                    &formats,
                )?;
            }
            write_row(last(&mut workbook, sheets)?, row, &cells, &formats)?;
            row += 1;
        }
    }
    finish_sheet(
        last(&mut workbook, sheets)?,
        &sheet,
        first_data_row,
        row.saturating_sub(1),
    )?;
    let file = NamedTempFile::new()?;
    workbook.save(file.path())?;
    Ok(file)
}

fn last(workbook: &mut Workbook, sheets: usize) -> Result<&mut Worksheet, ExportError> {
    Ok(workbook.worksheet_from_index(sheets - 1)?)
}

fn continued_name(name: &str, n: usize) -> String {
    let suffix = format!(" ({n})");
    let keep: String = name.chars().take(31 - suffix.chars().count()).collect();
    format!("{keep}{suffix}")
}

/// Title lines, a blank line and the header; returns the first data row.
fn start_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    name: &str,
    f: &Formats,
) -> Result<u32, ExportError> {
    ws.set_name(name)?;
    for (col, column) in sheet.columns.iter().enumerate() {
        ws.set_column_width(col as u16, column.width)?;
    }
    let mut row = 0;
    for line in &sheet.title {
        ws.write_string_with_format(row, 0, line, &f.title)?;
        row += 1;
    }
    row += 1;
    for (col, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, column.header, &f.header)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(row + 1)
}

fn finish_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    first_data_row: u32,
    last_row: u32,
) -> Result<(), ExportError> {
    let header_row = first_data_row - 1;
    let last_col = sheet.columns.len().saturating_sub(1) as u16;
    ws.autofilter(header_row, 0, last_row.max(header_row), last_col)?;
    Ok(())
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[Cell], f: &Formats) -> Result<(), ExportError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Text(text) if text.chars().count() > LONGEST_TEXT => {
                let cut: String = text.chars().take(LONGEST_TEXT).collect();
                ws.write_string(row, col, format!("{cut}…"))?;
            }
            Cell::Text(text) => {
                ws.write_string(row, col, text)?;
            }
            Cell::Int(n) => {
                ws.write_number(row, col, *n as f64)?;
            }
            Cell::Money(m) => {
                ws.write_number_with_format(row, col, m.to_f64().unwrap_or_default(), &f.money)?;
            }
            Cell::Number(n) => {
                ws.write_number_with_format(row, col, n.to_f64().unwrap_or_default(), &f.number)?;
            }
            Cell::Date(d) => {
                ws.write_datetime_with_format(row, col, d, &f.date)?;
            }
            Cell::Moment(t) => {
                let local = t.with_timezone(&chrono_tz::America::Bogota).naive_local();
                ws.write_datetime_with_format(row, col, local, &f.moment)?;
            }
            Cell::Empty => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Column;
    use calamine::{Data, Reader, Xlsx, open_workbook};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    #[tokio::test]
    async fn rows_come_back_typed_under_the_title_and_header() {
        let feed = spawn_xlsx(Sheet {
            name: "Eventos".into(),
            title: vec!["Arriendo — prueba".into(), "Exportado el 01/12/2026".into()],
            columns: vec![
                Column::new("Posición", 10.0),
                Column::new("Canon", 14.0),
                Column::new("Desde", 12.0),
                Column::new("Nota", 30.0),
            ],
        });
        feed.send(vec![
            vec![
                Cell::Int(1),
                Cell::Money(dec!(15000000)),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()),
                Cell::text("=1+1"),
            ],
            vec![
                Cell::Int(2),
                Cell::Empty,
                Cell::Empty,
                Cell::text("x".repeat(40_000)),
            ],
        ])
        .await
        .unwrap();
        let file = feed.finish().await.unwrap();
        let mut book: Xlsx<_> = open_workbook(file.path()).unwrap();
        let range = book.worksheet_range("Eventos").unwrap();
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Arriendo — prueba".into()))
        );
        assert_eq!(range.get_value((3, 1)), Some(&Data::String("Canon".into())));
        assert_eq!(range.get_value((4, 0)), Some(&Data::Float(1.0)));
        assert_eq!(range.get_value((4, 1)), Some(&Data::Float(15_000_000.0)));
        match range.get_value((4, 2)) {
            Some(Data::DateTime(d)) => assert_eq!(
                d.as_datetime().unwrap().date(),
                NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
            ),
            other => panic!("a date cell, not {other:?}"),
        }
        // A formula typed as text stays text in XLSX.
        assert_eq!(range.get_value((4, 3)), Some(&Data::String("=1+1".into())));
        match range.get_value((5, 3)) {
            Some(Data::String(s)) => assert_eq!(s.chars().count(), LONGEST_TEXT + 1),
            other => panic!("a cut string, not {other:?}"),
        }
    }
}
