//! Segments of the event log, as continuous shipping writes them to a remote destination: each holds
//! the events after one position up to another, compressed (and encrypted when recipients are
//! configured), under a name that says its range and the SHA-256 of its bytes:
//!
//! ```text
//! segmentos/000000000100-000000000250.<sha256>.jsonl.gz[.age]
//! ```
//! Its content is one header line (`after`, `last`, `count`) and one event per line. The range in
//! the name lets a restore choose segments from a listing alone; the checksum catches a changed or
//! truncated object before any of it is read; the header and the events are checked again as read.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::deadline::within;
use super::error::{BackupError, Result};
use super::json::Limits;
use super::pipeline;
use super::targets::Target;
use super::validate::LogCheck;
use crate::store::Engine;
use crate::store::event_log::StoredEvent;

/// The folder of the segments inside a destination's prefix.
pub const FOLDER: &str = "segmentos";
pub const FORMAT: &str = "arriendo-log-segment";
pub const FORMAT_VERSION: u32 = 1;
/// The most events one segment holds: a backlog (the first shipment of a large store, a long
/// outage) goes out as several segments of a few MiB.
pub const MAX_EVENTS: i64 = 10_000;

/// A segment as listed on a destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Its object name inside [`FOLDER`].
    pub file_name: String,
    /// It holds the events after this position…
    pub after: i64,
    /// …up to this one.
    pub last: i64,
    pub sha256: String,
    pub encrypted: bool,
    pub size: u64,
    pub modified: DateTime<Utc>,
}

/// The first line of a segment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub engine: Engine,
    pub after: i64,
    pub last: i64,
    pub count: i64,
}

/// The object name of a segment of `(after, last]` whose bytes hash to `sha256`.
pub fn file_name(after: i64, last: i64, sha256: &str, encrypted: bool) -> String {
    let age = if encrypted { ".age" } else { "" };
    format!("{after:012}-{last:012}.{sha256}.jsonl.gz{age}")
}

/// `(after, last, sha256, encrypted)` of a segment's object name; `None` for anything else.
pub fn parse_name(name: &str) -> Option<(i64, i64, String, bool)> {
    let (rest, encrypted) = match name.strip_suffix(".jsonl.gz.age") {
        Some(rest) => (rest, true),
        None => (name.strip_suffix(".jsonl.gz")?, false),
    };
    let (range, sha) = rest.split_once('.')?;
    let (after, last) = range.split_once('-')?;
    let (after, last) = (after.parse().ok()?, last.parse().ok()?);
    let hex = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && after < last).then(|| (after, last, sha.to_ascii_lowercase(), encrypted))
}

/// The bytes of a segment of `events` (in position order, all after `after`): header and lines,
/// gzip, then age when there are recipients.
pub fn encode(
    engine: Engine,
    after: i64,
    events: &[StoredEvent],
    recipients: &[String],
) -> Result<(i64, Vec<u8>)> {
    let last = events.last().map_or(after, |e| e.position);
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").into(),
        engine,
        after,
        last,
        count: events.len() as i64,
    };
    let failed = |e: serde_json::Error| BackupError::Failed(format!("cannot encode segment: {e}"));
    let io = |e| BackupError::io("cannot compress segment", e);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    serde_json::to_writer(&mut gz, &header).map_err(failed)?;
    gz.write_all(b"\n").map_err(io)?;
    for event in events {
        serde_json::to_writer(&mut gz, event).map_err(failed)?;
        gz.write_all(b"\n").map_err(io)?;
    }
    let compressed = gz.finish().map_err(io)?;
    if recipients.is_empty() {
        return Ok((last, compressed));
    }
    let parsed = pipeline::parse_recipients(recipients)?;
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r.as_ref() as &dyn age::Recipient))
            .map_err(|e| BackupError::Encryption(e.to_string()))?;
    let mut out = Vec::with_capacity(compressed.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| BackupError::io("cannot start encryption", e))?;
    writer
        .write_all(&compressed)
        .map_err(|e| BackupError::io("cannot encrypt segment", e))?;
    writer
        .finish()
        .map_err(|e| BackupError::io("cannot encrypt segment", e))?;
    Ok((last, out))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn corrupt(segment: &str, what: impl std::fmt::Display) -> BackupError {
    BackupError::Corrupt(format!("segment {segment}: {what}"))
}

/// Reads a segment's bytes (checked against its name first), checks its header and every event
/// after `skip_upto` against `check` (which carries on from the events read before it), and hands
/// those events to `deliver` in batches. Returns how many it delivered.
pub fn read(
    segment: &Segment,
    bytes: &[u8],
    identity: Option<&Path>,
    limits: Limits,
    skip_upto: i64,
    check: &mut LogCheck,
    deliver: &mut dyn FnMut(Vec<StoredEvent>) -> bool,
) -> Result<i64> {
    let name = segment.file_name.as_str();
    let sha = sha256_hex(bytes);
    if sha != segment.sha256 {
        return Err(corrupt(
            name,
            format!("its bytes hash to {sha}: changed or truncated on the destination"),
        ));
    }
    let mut reader: Box<dyn Read + Send + '_> = Box::new(bytes);
    if segment.encrypted {
        reader = pipeline::decrypting(reader, identity, name)?;
    }
    let reader = flate2::read::GzDecoder::new(reader).take(limits.max_total_bytes);
    let mut lines = BufReader::new(reader);
    let mut line = Vec::new();
    let mut next_line = |line: &mut Vec<u8>| -> Result<bool> {
        line.clear();
        let read = (&mut lines)
            .take(limits.max_line_bytes as u64 + 1)
            .read_until(b'\n', line)
            .map_err(|e| corrupt(name, format!("unreadable ({e})")))?;
        if read > limits.max_line_bytes {
            return Err(corrupt(name, "a line is longer than the restore limit"));
        }
        Ok(read > 0)
    };
    if !next_line(&mut line)? {
        return Err(corrupt(name, "empty"));
    }
    let header: Header =
        serde_json::from_slice(&line).map_err(|e| corrupt(name, format!("bad header: {e}")))?;
    if header.format != FORMAT || header.format_version > FORMAT_VERSION {
        return Err(corrupt(name, "not an Arriendo log segment"));
    }
    if header.after != segment.after || header.last != segment.last {
        return Err(corrupt(
            name,
            format!(
                "it says it holds ({}, {}], its name says ({}, {}]",
                header.after, header.last, segment.after, segment.last
            ),
        ));
    }
    let mut count = 0i64;
    let mut last = header.after;
    let mut delivered = 0i64;
    let mut batch = Vec::new();
    while next_line(&mut line)? {
        let event: StoredEvent =
            serde_json::from_slice(&line).map_err(|e| corrupt(name, format!("bad event: {e}")))?;
        if event.position <= last || event.position > header.last {
            return Err(corrupt(
                name,
                format!(
                    "position {} is out of order or outside the segment",
                    event.position
                ),
            ));
        }
        count += 1;
        last = event.position;
        if event.position <= skip_upto {
            continue;
        }
        check
            .check(&event)
            .map_err(|reason| corrupt(name, format!("event at position {last}: {reason}")))?;
        batch.push(event);
        delivered += 1;
        if batch.len() >= 1000 && !deliver(std::mem::take(&mut batch)) {
            return Ok(delivered);
        }
    }
    if count != header.count || last != header.last {
        return Err(corrupt(
            name,
            format!(
                "it holds {count} events up to {last}, its header says {} up to {}",
                header.count, header.last
            ),
        ));
    }
    if !batch.is_empty() {
        deliver(batch);
    }
    Ok(delivered)
}

fn remote_err(target: &Target, e: impl std::fmt::Display) -> BackupError {
    BackupError::Remote {
        target: target.name.clone(),
        message: e.to_string(),
    }
}

fn folder(target: &Target) -> ObjectPath {
    target.prefix.clone().join(FOLDER)
}

/// Every segment on `target`, by range.
pub async fn list(target: &Target) -> Result<Vec<Segment>> {
    let folder = folder(target);
    let listed = within(
        &target.name,
        || "listing of the segments".into(),
        target.timeouts.operation,
        async {
            match target.store.list_with_delimiter(Some(&folder)).await {
                Ok(l) => Ok(l.objects),
                Err(object_store::Error::NotFound { .. }) => Ok(Vec::new()),
                Err(e) => Err(remote_err(target, e)),
            }
        },
    )
    .await?;
    let mut segments: Vec<Segment> = listed
        .into_iter()
        .filter_map(|object| {
            let file_name = object.location.filename()?.to_string();
            let (after, last, sha256, encrypted) = parse_name(&file_name)?;
            Some(Segment {
                file_name,
                after,
                last,
                sha256,
                encrypted,
                size: object.size,
                modified: object.last_modified,
            })
        })
        .collect();
    segments.sort_by_key(|s| (s.after, s.last));
    Ok(segments)
}

/// Puts a segment's bytes on `target` in one request, within the deadline of its size.
pub async fn put(target: &Target, file_name: &str, bytes: Vec<u8>) -> Result<()> {
    let location = folder(target).join(file_name);
    let limit = target.timeouts.for_size(bytes.len() as u64);
    within(
        &target.name,
        || format!("upload of segment {file_name}"),
        limit,
        async {
            target
                .store
                .put(&location, object_store::PutPayload::from(bytes))
                .await
                .map(|_| ())
                .map_err(|e| remote_err(target, e))
        },
    )
    .await
}

/// The bytes of a segment, within the deadline of its size.
pub async fn get(target: &Target, segment: &Segment) -> Result<Vec<u8>> {
    let location = folder(target).join(segment.file_name.as_str());
    within(
        &target.name,
        || format!("download of segment {}", segment.file_name),
        target.timeouts.for_size(segment.size),
        async {
            let result = target
                .downloads
                .get(&location)
                .await
                .map_err(|e| remote_err(target, e))?;
            let mut bytes = Vec::with_capacity(segment.size as usize);
            let mut stream = result.into_stream();
            while let Some(chunk) = stream.try_next().await.map_err(|e| remote_err(target, e))? {
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        },
    )
    .await
}

/// Deletes a segment (retention), within the operation deadline.
pub async fn delete(target: &Target, segment: &Segment) -> Result<()> {
    let location = folder(target).join(segment.file_name.as_str());
    within(
        &target.name,
        || format!("deleting segment {}", segment.file_name),
        target.timeouts.operation,
        async {
            match target.store.delete(&location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(remote_err(target, e)),
            }
        },
    )
    .await
}

/// The segments a restore reads after position `from`: at each position the segment that continues
/// from it (starts at or before it and ends after it); of several, the one written last (a store
/// restored to an earlier point ships its new history over the old one), then the longest. Stops
/// where no segment continues; returns the chain and, when segments exist beyond a hole, the
/// position where the chain broke.
pub fn chain_after(segments: &[Segment], from: i64) -> (Vec<Segment>, Option<i64>) {
    let mut chain = Vec::new();
    let mut position = from;
    loop {
        let next = segments
            .iter()
            .filter(|s| s.after <= position && s.last > position)
            .max_by_key(|s| (s.modified, s.last));
        match next {
            Some(s) => {
                position = s.last;
                chain.push(s.clone());
            }
            None => {
                let hole = segments.iter().any(|s| s.after > position);
                return (chain, hole.then_some(position));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(after: i64, last: i64, minute: i64) -> Segment {
        Segment {
            file_name: file_name(after, last, &"a".repeat(64), false),
            after,
            last,
            sha256: "a".repeat(64),
            encrypted: false,
            size: 1,
            modified: DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::minutes(minute),
        }
    }

    #[test]
    fn names_say_the_range_and_the_checksum() {
        let sha = "0123456789abcdef".repeat(4);
        let name = file_name(100, 250, &sha, true);
        assert_eq!(
            name,
            format!("000000000100-000000000250.{sha}.jsonl.gz.age")
        );
        assert_eq!(parse_name(&name), Some((100, 250, sha.clone(), true)));
        assert_eq!(
            parse_name(&file_name(0, 7, &sha, false)),
            Some((0, 7, sha, false))
        );
        assert_eq!(parse_name("backup_20250101_000000.manifest.json"), None);
        assert_eq!(parse_name("000000000250-000000000100.x.jsonl.gz"), None);
    }

    #[test]
    fn the_chain_continues_from_the_set_and_stops_at_a_hole() {
        // Shipped continuously, independent of where the full set ended (at 150).
        let shipped = [
            segment(0, 100, 1),
            segment(100, 200, 2),
            segment(200, 300, 3),
        ];
        let (chain, hole) = chain_after(&shipped, 150);
        assert_eq!(
            chain.iter().map(|s| s.last).collect::<Vec<_>>(),
            vec![200, 300]
        );
        assert_eq!(hole, None);
        // Segment (300, 400] lost: the chain ends at 300 and says so.
        let holed = [segment(100, 200, 1), segment(400, 500, 2)];
        let (chain, hole) = chain_after(&holed, 100);
        assert_eq!(chain.len(), 1);
        assert_eq!(hole, Some(200));
        // A store restored to 150 shipped its new history (150, 180]: it wins over the old one.
        let forked = [segment(100, 200, 1), segment(150, 180, 5)];
        let (chain, _) = chain_after(&forked, 150);
        assert_eq!(chain[0].last, 180);
    }
}
