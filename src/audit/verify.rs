//! `audit verify`: recomputes the chain from the events and compares it with the sealed digests and
//! the backups' seals; reports the first position where it breaks and what broke there.
//!
//! The walk merges, in position order up to the sealed head read at the start, the events and the
//! sealed rows (which name the event sealed at each position):
//! - both there, same event, recomputed digest equal: intact so far;
//! - same event, other digest: the event was **edited** (type, version, payload, metadata, time) — or
//!   its sealed digest was;
//! - a sealed position with no event: an event was **deleted**;
//! - an event where nothing was sealed, or an event never sealed anywhere: an event was **inserted**;
//! - the event sealed at another position: the **order changed**.
//!
//! Then each backup seal at or below the intact part must match the digest there: a chain rewritten
//! as a whole (every digest recomputed after an edit) still differs from what a backup sealed.
//! Events after the sealed head are counted as pending: the sealer has not reached them yet.

use std::collections::VecDeque;

use serde::Serialize;

use crate::store::event_log::{self, StoredEvent};
use crate::store::{Db, StoreError};

use super::canonical::{self, Digest, GENESIS};
use super::seal;
use super::seals::{self, Seal};

const BATCH: i64 = 2_000;

/// Which event: aggregate type, aggregate id, sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventRef {
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
}

impl EventRef {
    fn of(event: &StoredEvent) -> Self {
        Self {
            aggregate_type: event.aggregate_type.clone(),
            aggregate_id: event.aggregate_id.clone(),
            sequence: event.sequence,
        }
    }
}

impl std::fmt::Display for EventRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} n.º {}",
            self.aggregate_type, self.aggregate_id, self.sequence
        )
    }
}

/// What broke at the first break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BreakKind {
    /// The event sealed here is here, but its content (or its stored digest) changed.
    Edited { event: EventRef },
    /// The event sealed here is gone from the log.
    Missing { event: EventRef },
    /// An event that was never sealed appears here.
    Inserted { event: EventRef },
    /// The event here was sealed at `sealed_at`.
    Reordered { event: EventRef, sealed_at: i64 },
    /// A backup sealed another digest at this position: the chain was rewritten before it.
    SealMismatch { backup: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Break {
    pub position: i64,
    #[serde(flatten)]
    pub kind: BreakKind,
}

impl Break {
    /// The break in words, for auditors (Spanish).
    pub fn describe(&self) -> String {
        let p = self.position;
        match &self.kind {
            BreakKind::Edited { event } => format!(
                "posición {p}: el evento {event} fue modificado (su contenido ya no es el sellado)"
            ),
            BreakKind::Missing { event } => {
                format!("posición {p}: falta el evento {event}, que estaba sellado ahí")
            }
            BreakKind::Inserted { event } => {
                format!("posición {p}: el evento {event} fue insertado (nunca se selló)")
            }
            BreakKind::Reordered { event, sealed_at } => format!(
                "posición {p}: el orden cambió: el evento {event} estaba sellado en la posición {sealed_at}"
            ),
            BreakKind::SealMismatch { backup } => format!(
                "posición {p}: la cadena no coincide con el sello del respaldo {backup}: \
                 el registro se reescribió antes de esa posición"
            ),
        }
    }
}

/// What a verification found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// The last sealed position when the verification started.
    pub sealed_head: i64,
    /// Sealed events checked and found intact.
    pub intact_events: i64,
    /// The last position of the intact part (0 when nothing is).
    pub intact_upto: i64,
    /// The chain's digest at `intact_upto`.
    pub intact_digest: Option<String>,
    /// Events after the sealed head, not sealed yet.
    pub pending: i64,
    /// Backup seals checked against the chain, all matching.
    pub seals_checked: usize,
    /// The latest backup seal within the intact part.
    pub latest_seal: Option<Seal>,
    /// The first break, if any.
    #[serde(rename = "break")]
    pub broken: Option<Break>,
    pub elapsed_ms: u64,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Which event is sealed at a position.
struct SealedRow {
    position: i64,
    event: EventRef,
    digest: String,
}

/// Reads one of the two sorted streams in batches.
struct Cursor<T> {
    buffer: VecDeque<T>,
    after: i64,
    done: bool,
}

impl<T> Cursor<T> {
    fn new() -> Self {
        Self {
            buffer: VecDeque::new(),
            after: 0,
            done: false,
        }
    }
}

async fn fill_events(db: &Db, c: &mut Cursor<StoredEvent>, upto: i64) -> Result<(), StoreError> {
    if c.buffer.is_empty() && !c.done {
        let batch = event_log::read_after(db, c.after, BATCH).await?;
        c.done = batch.len() < BATCH as usize;
        c.after = batch.last().map_or(c.after, |e| e.position);
        c.buffer
            .extend(batch.into_iter().filter(|e| e.position <= upto));
        c.done |= c.after >= upto;
    }
    Ok(())
}

async fn fill_sealed(db: &Db, c: &mut Cursor<SealedRow>, upto: i64) -> Result<(), StoreError> {
    if c.buffer.is_empty() && !c.done {
        let rows: Vec<SealedRecord> = crate::on_pool!(db, pool => {
            sqlx::query_as(
                "SELECT position, aggregate_type, aggregate_id, sequence, digest FROM event_digests \
                 WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3",
            )
            .bind(c.after)
            .bind(upto)
            .bind(BATCH)
            .fetch_all(pool)
            .await?
        });
        c.done = rows.len() < BATCH as usize;
        c.after = rows.last().map_or(c.after, |r| r.position);
        c.buffer.extend(rows.into_iter().map(|r| SealedRow {
            position: r.position,
            event: EventRef {
                aggregate_type: r.aggregate_type,
                aggregate_id: r.aggregate_id,
                sequence: r.sequence,
            },
            digest: r.digest,
        }));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SealedRecord {
    position: i64,
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    digest: String,
}

/// Recomputes the whole chain and checks every seal. Reads in batches; memory holds two batches.
pub async fn verify(db: &Db) -> Result<ChainReport, StoreError> {
    verify_with(db, Vec::new()).await
}

/// [`verify`], also checking `external` seals: those of manifests kept outside the server, which
/// nobody with access to the database alone can rewrite.
pub async fn verify_with(db: &Db, external: Vec<Seal>) -> Result<ChainReport, StoreError> {
    let started = std::time::Instant::now();
    let sealed_head = seal::sealed_head(db).await?.map_or(0, |(p, _)| p);
    let pending: i64 = crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE position > $1")
            .bind(sealed_head)
            .fetch_one(pool)
            .await?
    });

    let mut events = Cursor::new();
    let mut sealed = Cursor::new();
    let mut previous: Digest = GENESIS;
    let mut intact_upto = 0;
    let mut intact_events = 0;
    let mut broken = None;
    loop {
        fill_events(db, &mut events, sealed_head).await?;
        fill_sealed(db, &mut sealed, sealed_head).await?;
        let (event, row) = (events.buffer.front(), sealed.buffer.front());
        let position = match (event, row) {
            (None, None) => break,
            (Some(e), Some(r)) => e.position.min(r.position),
            (Some(e), None) => e.position,
            (None, Some(r)) => r.position,
        };
        let event = events.buffer.front().filter(|e| e.position == position);
        let row = sealed.buffer.front().filter(|r| r.position == position);
        let kind = match (event, row) {
            (Some(e), Some(r)) if EventRef::of(e) == r.event => {
                let digest = canonical::chain(&previous, e);
                if canonical::to_hex(&digest) == r.digest {
                    previous = digest;
                    intact_upto = position;
                    intact_events += 1;
                    events.buffer.pop_front();
                    sealed.buffer.pop_front();
                    continue;
                }
                BreakKind::Edited {
                    event: r.event.clone(),
                }
            }
            (Some(e), r) => classify(db, EventRef::of(e), r.map(|r| r.event.clone())).await?,
            (None, Some(r)) => BreakKind::Missing {
                event: r.event.clone(),
            },
            (None, None) => break,
        };
        broken = Some(Break { position, kind });
        break;
    }

    // Seals inside the intact part must match it; the first one that does not is a break when it
    // comes before the walk's.
    let mut all_seals = seals::all(db).await?;
    all_seals.extend(external);
    all_seals.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
    let limit = broken.as_ref().map_or(i64::MAX, |b| b.position);
    let mut seals_checked = 0;
    let mut latest_seal: Option<Seal> = None;
    for s in all_seals.into_iter().filter(|s| s.position < limit) {
        let stored = if s.position <= intact_upto {
            seal::digest_at(db, s.position).await?
        } else {
            None
        };
        if stored.as_deref() != Some(s.digest.as_str()) {
            broken = Some(Break {
                position: s.position,
                kind: BreakKind::SealMismatch { backup: s.name },
            });
            break;
        }
        seals_checked += 1;
        // Sorted by position, then name (names sort by time): the last one checked is the latest.
        latest_seal = Some(s);
    }
    let intact_digest = (intact_upto > 0).then(|| canonical::to_hex(&previous));
    Ok(ChainReport {
        sealed_head,
        intact_events,
        intact_upto,
        intact_digest,
        pending,
        seals_checked,
        latest_seal,
        broken,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// The event at a position is not the one sealed there (or nothing was sealed there): moved,
/// inserted, or the sealed one deleted.
async fn classify(
    db: &Db,
    here: EventRef,
    sealed_here: Option<EventRef>,
) -> Result<BreakKind, StoreError> {
    let here_sealed_at: Option<i64> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT position FROM event_digests WHERE aggregate_type = $1 AND aggregate_id = $2 \
             AND sequence = $3 ORDER BY position LIMIT 1",
        )
        .bind(&here.aggregate_type)
        .bind(&here.aggregate_id)
        .bind(here.sequence)
        .fetch_optional(pool)
        .await?
    });
    let Some(here_sealed_at) = here_sealed_at else {
        return Ok(BreakKind::Inserted { event: here });
    };
    let Some(sealed_here) = sealed_here else {
        return Ok(BreakKind::Reordered {
            event: here,
            sealed_at: here_sealed_at,
        });
    };
    let sealed_one_exists: Option<i64> = crate::on_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT position FROM events WHERE aggregate_type = $1 AND aggregate_id = $2 \
             AND sequence = $3",
        )
        .bind(&sealed_here.aggregate_type)
        .bind(&sealed_here.aggregate_id)
        .bind(sealed_here.sequence)
        .fetch_optional(pool)
        .await?
    });
    Ok(match sealed_one_exists {
        None => BreakKind::Missing { event: sealed_here },
        Some(_) => BreakKind::Reordered {
            event: here,
            sealed_at: here_sealed_at,
        },
    })
}
