//! A log to restore from several pieces: a full set's JSON, the JSON of the incremental sets that
//! continue it (see [`super::incremental`]), then the segments shipped after them (see
//! [`super::shipping`]), read and checked as one log — one [`LogCheck`] over all of them, so an
//! aggregate's sequences and the positions run on from one piece to the next — and written in
//! batches inside one transaction that only commits once every piece has been read to its end.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::error::{BackupError, Result};
use super::json::{self, End, Item, Limits, Start};
use super::manifest::{FileKind, Manifest};
use super::segments::{self, Segment};
use super::settings::BackupSettings;
use super::targets::Target;
use super::validate::LogCheck;
use super::{batch, pipeline};
use crate::audit;
use crate::store::Db;
use crate::store::event_log::{self, StoredEvent};

/// The JSON file of one set of a chain, on this machine.
#[derive(Clone, Debug)]
pub struct Link {
    pub file: PathBuf,
    /// Its set's manifest, when known: what the file must hold.
    pub manifest: Option<Manifest>,
}

/// The pieces of a log, fetched to this machine.
pub struct Pieces {
    /// The set the log is restored from, the last link (none: the segments start at the beginning
    /// of the log).
    pub manifest: Option<Manifest>,
    /// Its chain's JSON files in order: the full set, then each incremental set (one link for a full
    /// set).
    pub links: Vec<Link>,
    /// The segments after the set, in order, with their bytes.
    pub segments: Vec<(Segment, Vec<u8>)>,
    /// Where the chain of segments broke, when segments exist beyond a hole.
    pub hole: Option<i64>,
    /// Keeps the downloaded set alive.
    pub _scratch: Option<tempfile::TempDir>,
}

impl Pieces {
    /// One JSON file alone.
    pub fn file(file: &Path) -> Self {
        Self {
            manifest: None,
            links: vec![Link {
                file: file.to_path_buf(),
                manifest: None,
            }],
            segments: Vec::new(),
            hole: None,
            _scratch: None,
        }
    }
}

/// Fetches from destination `target_name` the set `set` (its newest one with a JSON file when
/// `None`) with the chain it continues, and every segment shipped after it.
pub async fn fetch(
    settings: &BackupSettings,
    target_name: &str,
    set: Option<&str>,
) -> Result<Pieces> {
    let config = settings.selected_targets(&[target_name.to_string()])?;
    let target = Target::open(&config[0], settings.remote_timeouts).await?;
    let manifests = target.manifests().await?;
    let manifest = match set {
        Some(name) => Some(
            manifests
                .iter()
                .find(|m| m.name == name)
                .cloned()
                .ok_or_else(|| BackupError::NotFound(format!("{name} on target {target_name}")))?,
        ),
        None => manifests
            .iter()
            .find(|m| m.file(FileKind::Json).is_some())
            .cloned(),
    };
    // The set's whole chain when it is incremental: its full set and the incrementals before it.
    let (links, scratch) = match &manifest {
        Some(tip) => {
            let (links, scratch) = super::links::download(&target, &manifests, tip).await?;
            (links, Some(scratch))
        }
        None => (Vec::new(), None),
    };
    let from = manifest.as_ref().map_or(0, |m| m.last_position);
    let listed = segments::list(&target).await?;
    let (chain, hole) = segments::chain_after(&listed, from);
    if let Some(at) = hole {
        tracing::error!(
            target_name,
            position = at,
            "the shipped segments have a hole after this position: the restore stops there"
        );
    }
    let mut fetched = Vec::with_capacity(chain.len());
    for segment in chain {
        let bytes = segments::get(&target, &segment).await?;
        fetched.push((segment, bytes));
    }
    tracing::info!(
        target_name,
        set = manifest.as_ref().map(|m| m.name.as_str()),
        segments = fetched.len(),
        "restore pieces fetched"
    );
    Ok(Pieces {
        manifest,
        links,
        segments: fetched,
        hole,
        _scratch: scratch,
    })
}

/// What the reader sends: batches of checked events in order, then the end of the last piece.
pub enum Piece {
    Events(Vec<StoredEvent>),
    /// Every piece was read whole: how many events, the last position, and the set's own end.
    End {
        count: i64,
        last_position: i64,
        set_end: Option<End>,
    },
}

/// Reads the pieces on a blocking thread, checking them as one log.
pub fn read(
    pieces: &Pieces,
    identity: Option<&Path>,
    limits: Limits,
) -> mpsc::Receiver<Result<Piece>> {
    let (tx, rx) = mpsc::channel(4);
    let links = pieces.links.clone();
    let segments = pieces.segments.clone();
    let identity = identity.map(Path::to_path_buf);
    tokio::task::spawn_blocking(move || {
        let result = (|| -> Result<Option<Piece>> {
            let mut check = LogCheck::new(Utc::now());
            let mut count = 0i64;
            let mut last_position = 0i64;
            let mut set_end = None;
            let mut listening = true;
            let mut start = Start::BEGINNING;
            let named = links.len() > 1;
            for link in &links {
                let in_link = |e| {
                    if named {
                        super::links::in_link(link, e)
                    } else {
                        e
                    }
                };
                let reader =
                    pipeline::open_content(&link.file, identity.as_deref()).map_err(in_link)?;
                let mut end = None;
                json::parse_checked(reader, limits, &mut check, start, &mut |item| match item {
                    Item::Events(batch) => {
                        count += batch.len() as i64;
                        listening = tx.blocking_send(Ok(Piece::Events(batch))).is_ok();
                        listening
                    }
                    Item::End(_, e) => {
                        end = Some(e);
                        true
                    }
                })
                .map_err(in_link)?;
                if !listening {
                    return Ok(None);
                }
                let end = end.ok_or_else(|| {
                    in_link(BackupError::Corrupt(
                        "the set ended before its closing line".into(),
                    ))
                })?;
                if let Some(m) = &link.manifest {
                    super::links::holds_what_it_states(m, &end).map_err(in_link)?;
                }
                start = Start {
                    after: end.last_position,
                    digest: end
                        .digest
                        .as_deref()
                        .and_then(audit::canonical::from_hex)
                        .unwrap_or(audit::canonical::GENESIS),
                };
                last_position = end.last_position;
                set_end = Some(end);
            }
            for (segment, bytes) in &segments {
                let skip = last_position;
                let delivered = segments::read(
                    segment,
                    bytes,
                    identity.as_deref(),
                    limits,
                    skip,
                    &mut check,
                    &mut |batch| {
                        listening = tx.blocking_send(Ok(Piece::Events(batch))).is_ok();
                        listening
                    },
                )?;
                if !listening {
                    return Ok(None);
                }
                count += delivered;
                last_position = last_position.max(segment.last);
            }
            Ok(Some(Piece::End {
                count,
                last_position,
                set_end,
            }))
        })();
        match result {
            Ok(Some(end)) => {
                let _ = tx.blocking_send(Ok(end));
            }
            Ok(None) => {}
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
            }
        }
    });
    rx
}

/// What a read of the pieces found, or what a load wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub events: i64,
    pub last_position: i64,
    pub last_recorded_at: Option<DateTime<Utc>>,
    /// The chain's digest after the last event kept.
    pub digest: Option<String>,
}

/// Reads the pieces through and writes nothing: the whole log, and the prefix `until` keeps.
pub async fn check(
    pieces: &Pieces,
    identity: Option<&Path>,
    limits: Limits,
    until: Option<DateTime<Utc>>,
) -> Result<(Summary, Summary)> {
    let mut rx = read(pieces, identity, limits);
    let mut kept = Summary {
        events: 0,
        last_position: 0,
        last_recorded_at: None,
        digest: None,
    };
    let mut stopped = false;
    let mut last_recorded_at = None;
    while let Some(piece) = rx.recv().await {
        match piece? {
            Piece::Events(batch) => {
                for event in &batch {
                    last_recorded_at = Some(event.recorded_at);
                    if stopped || until.is_some_and(|u| event.recorded_at > u) {
                        stopped = true;
                        continue;
                    }
                    kept.events += 1;
                    kept.last_position = event.position;
                    kept.last_recorded_at = Some(event.recorded_at);
                }
            }
            Piece::End {
                count,
                last_position,
                set_end,
            } => {
                // The set's digest stands for the whole log only when no segment follows it.
                let digest = set_end
                    .filter(|e| e.last_position == last_position)
                    .and_then(|e| e.digest);
                if !stopped {
                    kept.digest = digest.clone();
                }
                let whole = Summary {
                    events: count,
                    last_position,
                    last_recorded_at,
                    digest,
                };
                return Ok((whole, kept));
            }
        }
    }
    Err(BackupError::Corrupt(
        "the log ended before its closing line".into(),
    ))
}

/// Writes the pieces into `db` in one transaction (with `replace`, after deleting the current log in
/// it), up to `until`, in batches; the chain of digests is rewritten over the restored events and
/// the seals the new chain does not hold are dropped. Commits only once every piece was read whole.
pub async fn load(
    db: &Db,
    pieces: &Pieces,
    identity: Option<&Path>,
    limits: Limits,
    until: Option<DateTime<Utc>>,
    replace: bool,
) -> Result<Summary> {
    let mut rx = read(pieces, identity, limits);
    let mut tx = db.begin().await?;
    if replace {
        crate::on_tx!(&mut tx, conn => {
            sqlx::query("DELETE FROM events").execute(&mut *conn).await?;
            sqlx::query("DELETE FROM snapshots").execute(&mut *conn).await?;
        });
    }
    audit::seal::clear_in(&mut tx).await?;
    let mut inserted = 0i64;
    let mut last = 0i64;
    let mut last_recorded_at = None;
    let mut stopped = false;
    while let Some(piece) = rx.recv().await {
        match piece? {
            Piece::Events(mut events) => {
                if stopped {
                    continue;
                }
                if let Some(u) = until
                    && let Some(cut) = events.iter().position(|e| e.recorded_at > u)
                {
                    events.truncate(cut);
                    stopped = true;
                }
                if let Some(e) = events.last() {
                    last = e.position;
                    last_recorded_at = Some(e.recorded_at);
                }
                inserted += events.len() as i64;
                batch::insert(&mut tx, &events).await?;
            }
            Piece::End {
                last_position,
                set_end,
                ..
            } => {
                event_log::resync_position_sequence(&mut tx).await?;
                audit::seal::seal_all_in(&mut tx).await?;
                let dropped = audit::seals::drop_unmatched_in(&mut tx).await?;
                let digest = audit::seal::sealed_head_in(&mut tx)
                    .await?
                    .map(|(_, d)| audit::canonical::to_hex(&d));
                let whole_set = set_end
                    .as_ref()
                    .filter(|e| e.last_position == last_position && !stopped && inserted > 0);
                if let Some(end) = whole_set
                    && digest != end.digest
                {
                    tracing::error!(
                        "the restored chain of digests differs from the backup's own: \
                         run `arriendo audit verify`"
                    );
                }
                tx.commit().await?;
                if dropped > 0 {
                    tracing::warn!(
                        seals = dropped,
                        "seals of backups of the replaced history were dropped"
                    );
                }
                return Ok(Summary {
                    events: inserted,
                    last_position: last,
                    last_recorded_at,
                    digest,
                });
            }
        }
    }
    Err(BackupError::Corrupt(
        "the log ended before its closing line".into(),
    ))
}
