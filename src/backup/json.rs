//! The event log as one JSON document, one event per line so it is written and read as a stream:
//!
//! ```text
//! {"format":"arriendo-event-log","format_version":1,...,"events":[
//! {event},
//! {event}
//! ],"end":{"count":N,"last_position":P}}
//! ```
//! The closing line carries the count and last position, so a truncated file is always detected.
//! Since format 2 each event line also carries `digest`, the chain of digests over the events before
//! it (see [`crate::audit::canonical`]), and the closing line the head `digest`: the reader recomputes
//! the chain, so a changed byte in any event is caught even without the manifest. Format 1 files
//! (no digests) are still read; their chain is computed from their events. Format 3 is the JSON of
//! an incremental set: its header says the position its events continue after and the chain's digest
//! there (`after`, `start_digest`), and it is only read after the set it continues.
//! Reading is bounded ([`Limits`]) and checks every event before handing it on: restores, `backup
//! verify` and the weekly drill all go through [`read_log`].

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::error::{BackupError, Result};
use super::validate::LogCheck;
use crate::audit::canonical::{self, GENESIS};
use crate::store::Engine;
use crate::store::event_log::StoredEvent;

pub use super::json_writer::write_log;

pub const FORMAT: &str = "arriendo-event-log";
pub const FORMAT_VERSION: u32 = 3;
/// What a full log is written as: readers of format 2 still read the full sets of this version.
pub const FULL_FORMAT_VERSION: u32 = 2;
/// The first format whose events carry their chained digest.
pub const CHAINED_SINCE: u32 = 2;
pub(super) const BATCH: i64 = 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub engine: Engine,
    pub created_at: DateTime<Utc>,
    /// Format 3: the events continue after this position (0 for a whole log).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after: i64,
    /// Format 3: the chain's digest at `after` (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_digest: Option<String>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// Where the events of a file continue from: the beginning of the log for a full set, the last
/// position and digest of its base for an incremental one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Start {
    pub after: i64,
    pub digest: canonical::Digest,
}

impl Start {
    pub const BEGINNING: Start = Start {
        after: 0,
        digest: GENESIS,
    };
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    pub count: i64,
    pub last_position: i64,
    /// The chain's digest after the last event (hex; 64 zeros for an empty log). Absent in format 1;
    /// what the reader delivers always holds the digest it computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// One event line as written: the event's fields and its chained digest.
#[derive(Serialize)]
pub(super) struct LineOut<'a> {
    #[serde(flatten)]
    pub event: &'a StoredEvent,
    pub digest: String,
}

/// One event line as read (format 1 lines have no digest).
#[derive(Deserialize)]
struct LineIn {
    #[serde(flatten)]
    event: StoredEvent,
    #[serde(default)]
    digest: Option<String>,
}

/// How much of a backup the reader takes in. A backup is a file from outside: a 6 MB `.json.gz` can
/// inflate to 6 GiB, and one line without a newline would otherwise be read whole into memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest line (one event). The app writes events of a few KiB.
    pub max_line_bytes: usize,
    /// The whole document after decryption and decompression.
    pub max_total_bytes: u64,
}

pub const MIB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line_bytes: 4 * MIB as usize,
            max_total_bytes: 16 * 1024 * MIB,
        }
    }
}

/// What the reader sends: batches of checked events in order, then the validated end.
pub enum Item {
    Events(Vec<StoredEvent>),
    End(Header, End),
}

/// Reads a JSON backup on a blocking thread, validating its structure and every event (see
/// [`super::validate`]) line by line; batches of events arrive on the returned channel, then `End`
/// once the whole file proved complete. Any damage arrives as an error and nothing after it.
/// Memory holds a few batches, each at most [`BATCH`] events or 4 MiB of lines.
pub fn read_log(
    reader: Box<dyn std::io::Read + Send>,
    limits: Limits,
) -> mpsc::Receiver<Result<Item>> {
    let (tx, rx) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut deliver = |item: Item| tx.blocking_send(Ok(item)).is_ok();
        if let Err(e) = parse(reader, limits, &mut deliver) {
            let _ = tx.blocking_send(Err(e));
        }
    });
    rx
}

/// Reads a whole JSON backup synchronously and keeps nothing but the count: what `read_log` checks,
/// without a runtime. The entry point of the `restore_reader` fuzz target (see [`super::fuzzing`]).
pub fn check_document(reader: impl Read, limits: Limits) -> Result<(Header, End, i64)> {
    let mut delivered = 0i64;
    let mut ended = None;
    parse(reader, limits, &mut |item| {
        match item {
            Item::Events(batch) => delivered += batch.len() as i64,
            Item::End(header, end) => ended = Some((header, end)),
        }
        true
    })?;
    let (header, end) =
        ended.ok_or_else(|| BackupError::Corrupt("the reader stopped before the end".into()))?;
    Ok((header, end, delivered))
}

const BATCH_BYTES: usize = 4 * MIB as usize;

/// A damaged file's own text may be long (a 4 MiB "format" name, a serde error quoting a value) or
/// hold control characters (a NUL in a type name): they are escaped and the reason is cut, so the
/// message stays one readable line in a terminal, a log and an e-mail.
fn corrupt(line: usize, what: impl std::fmt::Display) -> BackupError {
    let escaped: String = what
        .to_string()
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    BackupError::Corrupt(format!(
        "line {line}: {}",
        super::validate::truncate(&escaped)
    ))
}

/// Lines of the document, each bounded, and their total bounded.
struct Lines<R> {
    reader: R,
    limits: Limits,
    buf: Vec<u8>,
    total: u64,
    number: usize,
}

impl<R: BufRead> Lines<R> {
    /// The next line without its newline; `None` at the end of the file.
    fn next(&mut self) -> Result<Option<&str>> {
        self.number += 1;
        let n = self.number;
        let max = self.limits.max_line_bytes;
        self.buf.clear();
        let read = (&mut self.reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| corrupt(n, format!("unreadable ({e})")))?;
        if read == 0 {
            return Ok(None);
        }
        self.total += read as u64;
        if self.total > self.limits.max_total_bytes {
            return Err(corrupt(
                n,
                format!(
                    "the backup holds more than {} (BACKUP_RESTORE_MAX_MIB)",
                    size(self.limits.max_total_bytes)
                ),
            ));
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if self.buf.len() > max {
            return Err(corrupt(
                n,
                format!(
                    "longer than {} KiB (BACKUP_RESTORE_MAX_LINE_KIB): not an event this application writes",
                    max / 1024
                ),
            ));
        }
        std::str::from_utf8(&self.buf)
            .map(Some)
            .map_err(|_| corrupt(n, "not UTF-8 text"))
    }

    fn expect(&mut self) -> Result<&str> {
        let n = self.number + 1;
        self.next()?.ok_or_else(|| {
            BackupError::Corrupt(format!(
                "the file ends at line {n} before its closing line: it is truncated"
            ))
        })
    }
}

fn size(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Parses and checks the document, handing batches and then the end to `deliver`, which answers
/// whether to go on (a restore that stopped listening ends the read).
fn parse(reader: impl Read, limits: Limits, deliver: &mut dyn FnMut(Item) -> bool) -> Result<()> {
    let mut check = LogCheck::new(Utc::now());
    parse_checked(reader, limits, &mut check, Start::BEGINNING, deliver)
}

/// [`parse`] with the events checked by `check`, which goes on from the events it checked before
/// (a restore that reads a full set, its incrementals and then the segments after them checks them
/// as one log), the file continuing from `start` (its header must say so).
pub fn parse_checked(
    reader: impl Read,
    limits: Limits,
    check: &mut LogCheck,
    start: Start,
    deliver: &mut dyn FnMut(Item) -> bool,
) -> Result<()> {
    let mut lines = Lines {
        reader: BufReader::with_capacity(256 * 1024, reader),
        limits,
        buf: Vec::new(),
        total: 0,
        number: 0,
    };
    let first = lines.expect()?;
    let header_text = first
        .strip_suffix(",\"events\":[")
        .ok_or_else(|| corrupt(1, "not an Arriendo event-log backup"))?;
    let header: Header = serde_json::from_str(&format!("{header_text}}}"))
        .map_err(|e| corrupt(1, format!("bad header: {e}")))?;
    if header.format != FORMAT || header.format_version > FORMAT_VERSION {
        return Err(corrupt(
            1,
            format!(
                "unsupported format {} v{}",
                header.format, header.format_version
            ),
        ));
    }
    let chained = header.format_version >= CHAINED_SINCE;
    continues(&header, start)?;
    let mut previous = start.digest;
    let mut batch = Vec::with_capacity(BATCH as usize);
    let mut batch_bytes = 0usize;
    let mut count = 0i64;
    let mut last_position = start.after;
    loop {
        let n = lines.number + 1;
        let line = lines.expect()?;
        if let Some(rest) = line.strip_prefix("],\"end\":") {
            let mut end: End = rest
                .strip_suffix('}')
                .and_then(|e| serde_json::from_str(e).ok())
                .ok_or_else(|| corrupt(n, "bad closing line"))?;
            if end.count != count || end.last_position != last_position {
                return Err(corrupt(
                    n,
                    format!(
                        "the file says {} events up to position {}, it holds {count} up to {last_position}",
                        end.count, end.last_position
                    ),
                ));
            }
            let head = canonical::to_hex(&previous);
            if chained && end.digest.as_deref() != Some(head.as_str()) {
                return Err(corrupt(
                    n,
                    "the head digest on the closing line does not match the chain of the events",
                ));
            }
            end.digest = Some(head);
            if let Some(extra) = lines.next()?
                && !extra.trim().is_empty()
            {
                return Err(corrupt(n + 1, "data after the closing line"));
            }
            if !batch.is_empty() && !deliver(Item::Events(batch)) {
                return Ok(());
            }
            deliver(Item::End(header, end));
            return Ok(());
        }
        batch_bytes += line.len();
        let text = line.strip_suffix(',').unwrap_or(line);
        let LineIn { event, digest } =
            serde_json::from_str(text).map_err(|e| corrupt(n, format!("bad event: {e}")))?;
        if event.position <= start.after {
            return Err(corrupt(
                n,
                format!(
                    "event at position {} is not after position {}, where the file starts",
                    event.position, start.after
                ),
            ));
        }
        check.check(&event).map_err(|reason| {
            corrupt(n, format!("event at position {}: {reason}", event.position))
        })?;
        previous = canonical::chain(&previous, &event);
        if chained && digest.as_deref() != Some(canonical::to_hex(&previous).as_str()) {
            return Err(corrupt(
                n,
                format!(
                    "event at position {}: its digest does not match the chain: this event (or its \
                     digest) was changed after the backup was written",
                    event.position
                ),
            ));
        }
        last_position = event.position;
        count += 1;
        batch.push(event);
        if (batch.len() >= BATCH as usize || batch_bytes >= BATCH_BYTES)
            && !deliver(Item::Events(std::mem::take(&mut batch)))
        {
            return Ok(());
        }
        if batch.is_empty() {
            batch_bytes = 0;
        }
    }
}

/// The header must continue the log where `start` says: a full log from the beginning, an incremental
/// one from its base's last position and digest.
fn continues(header: &Header, start: Start) -> Result<()> {
    if header.after != start.after {
        let what = if start.after == 0 {
            format!(
                "it is an incremental set's log (its events continue after position {}): restore or \
                 verify it through its chain (the set's name), not as a file alone",
                header.after
            )
        } else {
            format!(
                "it continues after position {}, the link before it ends at position {}: a gap or an \
                 overlap between links",
                header.after, start.after
            )
        };
        return Err(corrupt(1, what));
    }
    let expected = (start != Start::BEGINNING).then(|| canonical::to_hex(&start.digest));
    if header.start_digest.is_some() && header.start_digest != expected {
        return Err(corrupt(
            1,
            "its chain of digests does not continue the link before it (a different history)",
        ));
    }
    Ok(())
}

/// Reads a whole JSON backup into memory (small files and tests only).
pub async fn read_all(
    path: &Path,
    identity: Option<&Path>,
    limits: Limits,
) -> Result<(Header, End, Vec<StoredEvent>)> {
    let mut rx = read_log(super::pipeline::open_content(path, identity)?, limits);
    let mut events = Vec::new();
    while let Some(item) = rx.recv().await {
        match item? {
            Item::Events(batch) => events.extend(batch),
            Item::End(header, end) => return Ok((header, end, events)),
        }
    }
    Err(BackupError::Corrupt(
        "the reader stopped before the end".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An incremental log with no event: its header continues after position 10 from digest `d`.
    fn incremental(d: &str) -> String {
        format!(
            "{{\"format\":\"{FORMAT}\",\"format_version\":3,\"app_version\":\"0\",\"engine\":\"sqlite\",\
             \"created_at\":\"2025-01-01T00:00:00Z\",\"after\":10,\"start_digest\":\"{d}\",\"events\":[\n\
             ],\"end\":{{\"count\":0,\"last_position\":10,\"digest\":\"{d}\"}}}}\n"
        )
    }

    fn read(text: &str, start: Start) -> Result<()> {
        let mut check = LogCheck::new(Utc::now());
        parse_checked(
            text.as_bytes(),
            Limits::default(),
            &mut check,
            start,
            &mut |_| true,
        )
    }

    #[test]
    fn an_incremental_log_continues_only_its_base() {
        let d = [7u8; 32];
        let text = incremental(&canonical::to_hex(&d));
        read(
            &text,
            Start {
                after: 10,
                digest: d,
            },
        )
        .expect("continues its base");
        let err = read(
            &text,
            Start {
                after: 10,
                digest: [8; 32],
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("does not continue"), "{err}");
        let err = read(
            &text,
            Start {
                after: 12,
                digest: d,
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("a gap or an overlap"), "{err}");
        let err = read(&text, Start::BEGINNING).unwrap_err();
        assert!(err.to_string().contains("through its chain"), "{err}");
    }
}
