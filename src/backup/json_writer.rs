//! Writes the event log as the JSON document [`super::json`] describes, streamed from the store in
//! batches on one side and to the file (through gzip and age) on a blocking thread on the other.

use std::io::Write;

use chrono::Utc;
use tokio::sync::mpsc;

use super::error::{BackupError, Result};
use super::json::{
    BATCH, End, FORMAT, FORMAT_VERSION, FULL_FORMAT_VERSION, Header, LineOut, Start,
};
use super::pipeline::{FileWriter, WrittenFile};
use crate::audit::canonical;
use crate::store::Db;
use crate::store::event_log;

/// Streams every event after `start` up to the head seen at the start, or up to position `upto` (the
/// database file's last position, so both files of a set hold the same events), into `writer`: a
/// consistent prefix of the log, since positions become visible in order on both engines. Memory
/// holds one batch at a time.
pub async fn write_log(
    db: &Db,
    writer: FileWriter,
    progress: &indicatif::ProgressBar,
    upto: Option<i64>,
    start: Start,
) -> Result<(WrittenFile, End)> {
    let head = match upto {
        Some(position) => position,
        None => event_log::last_position(db).await?,
    };
    let header = Header {
        format: FORMAT.into(),
        format_version: if start == Start::BEGINNING {
            FULL_FORMAT_VERSION
        } else {
            FORMAT_VERSION
        },
        app_version: env!("CARGO_PKG_VERSION").into(),
        engine: db.engine(),
        created_at: Utc::now(),
        after: start.after,
        start_digest: (start != Start::BEGINNING).then(|| canonical::to_hex(&start.digest)),
    };
    // `None` marks the end of a complete document: a producer that fails stops without it, and the
    // writer then drops the partial file instead of publishing a truncated one.
    let (tx, mut rx) = mpsc::channel::<Option<Vec<u8>>>(4);
    let sink = tokio::task::spawn_blocking(move || -> Result<Option<WrittenFile>> {
        let mut writer = writer;
        while let Some(chunk) = rx.blocking_recv() {
            match chunk {
                Some(chunk) => writer
                    .write_all(&chunk)
                    .map_err(|e| BackupError::io("cannot write the JSON backup", e))?,
                None => return writer.commit().map(Some),
            }
        }
        Ok(None)
    });

    let produced: Result<End> = async {
        let mut first =
            serde_json::to_vec(&header).map_err(|e| BackupError::Failed(e.to_string()))?;
        first.pop(); // the closing brace: the events array goes inside the same object
        first.extend_from_slice(b",\"events\":[");
        send(&tx, first).await?;
        let mut position = start.after;
        let mut count = 0i64;
        let mut last_position = start.after;
        let mut previous = start.digest;
        while position < head {
            let events = event_log::read_after(db, position, BATCH).await?;
            let mut chunk = Vec::with_capacity(events.len() * 512);
            let mut done = false;
            for event in &events {
                if event.position > head {
                    done = true;
                    break;
                }
                chunk.extend_from_slice(if count == 0 { b"\n" } else { b",\n" });
                previous = canonical::chain(&previous, event);
                let line = LineOut {
                    event,
                    digest: canonical::to_hex(&previous),
                };
                serde_json::to_writer(&mut chunk, &line)
                    .map_err(|e| BackupError::Failed(e.to_string()))?;
                count += 1;
                last_position = event.position;
            }
            progress.set_position(count as u64);
            send(&tx, chunk).await?;
            match events.last() {
                Some(last) if !done => position = last.position,
                _ => break,
            }
        }
        let end = End {
            count,
            last_position,
            digest: Some(canonical::to_hex(&previous)),
        };
        let mut tail = b"\n],\"end\":".to_vec();
        serde_json::to_writer(&mut tail, &end).map_err(|e| BackupError::Failed(e.to_string()))?;
        tail.extend_from_slice(b"}\n");
        send(&tx, tail).await?;
        tx.send(None)
            .await
            .map_err(|_| BackupError::Failed("the JSON writer stopped".into()))?;
        Ok(end)
    }
    .await;
    drop(tx);
    let written = sink
        .await
        .map_err(|e| BackupError::Failed(format!("writer task failed: {e}")))?;
    // The writer's own error comes first: it says what happened (no space left on the device, an
    // I/O error), where the producer only saw the writer stop.
    let written = written?;
    let end = produced?;
    let written = written.ok_or_else(|| BackupError::Failed("the JSON writer stopped".into()))?;
    Ok((written, end))
}

async fn send(tx: &mpsc::Sender<Option<Vec<u8>>>, chunk: Vec<u8>) -> Result<()> {
    tx.send(Some(chunk))
        .await
        .map_err(|_| BackupError::Failed("the JSON writer stopped".into()))
}
