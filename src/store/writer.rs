//! One writer at a time per SQLite file within this process.
//!
//! SQLite lets one connection write at a time; a second writer waits in SQLite's busy handler, which
//! sleeps 1, 2, 5, 10… ms between tries. Under a few simultaneous commands (each an append, a seal
//! and a catch-up) those sleeps were a large part of a command's time. Writers in this process now
//! queue on a fair async lock instead and start the moment the previous one commits; other
//! processes (the CLI beside `serve`) still meet at SQLite's own lock. PostgreSQL takes row locks
//! and needs none of this.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;

use super::{Db, StoreError};

/// As long as SQLite's own busy timeout (`connect.rs`): a writer that waits longer gives up with an
/// error rather than wait forever behind a stuck one.
const WAIT: Duration = Duration::from_secs(10);

/// Held while a write transaction is open; dropping it lets the next writer in.
pub struct WriteTurn {
    _held: OwnedMutexGuard<()>,
}

/// Waits for this process's turn to write to `db`: `None` on PostgreSQL (no turn needed).
pub async fn turn(db: &Db) -> Result<Option<WriteTurn>, StoreError> {
    turn_within(db, WAIT).await
}

async fn turn_within(db: &Db, wait: Duration) -> Result<Option<WriteTurn>, StoreError> {
    let Db::Sqlite(_) = db else {
        return Ok(None);
    };
    let lock = lock_of(&db.identity());
    match tokio::time::timeout(wait, lock.lock_owned()).await {
        Ok(held) => Ok(Some(WriteTurn { _held: held })),
        Err(_) => Err(StoreError::Busy(wait)),
    }
}

fn lock_of(identity: &str) -> Arc<tokio::sync::Mutex<()>> {
    static ALL: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Default::default);
    match ALL.lock() {
        Ok(mut all) => Arc::clone(all.entry(identity.to_string()).or_default()),
        // A poisoned registry: this writer goes alone and meets the others at SQLite's lock.
        Err(_) => Arc::new(tokio::sync::Mutex::new(())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite(dir: &std::path::Path) -> Db {
        crate::store::connect(None, dir).await.unwrap()
    }

    /// A second writer on the same file waits for the first to finish; a writer on another file
    /// does not wait at all.
    #[tokio::test]
    async fn writers_of_one_file_take_turns_and_other_files_do_not_wait() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (first_db, other_db) = (sqlite(a.path()).await, sqlite(b.path()).await);
        let same_file = sqlite(a.path()).await;

        let first = turn(&first_db).await.unwrap();
        assert!(first.is_some(), "SQLite writers take a turn");
        let other = tokio::time::timeout(Duration::from_millis(500), turn(&other_db)).await;
        assert!(other.is_ok(), "another file has its own turn");

        let waiting = tokio::spawn(async move { turn(&same_file).await.map(|t| t.is_some()) });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "the second writer waits for the first"
        );
        drop(first);
        let second = tokio::time::timeout(Duration::from_secs(5), waiting).await;
        assert!(
            matches!(second, Ok(Ok(Ok(true)))),
            "and goes once it is done"
        );
    }

    /// A writer that never finishes (a hung transaction) holds up the next one only until its
    /// wait runs out: an error, not a wedged request.
    #[tokio::test]
    async fn a_writer_stuck_behind_a_hung_one_gives_up_with_busy() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(dir.path()).await;
        let _hung = turn(&db).await.unwrap();
        let waited = turn_within(&db, Duration::from_millis(200)).await;
        assert!(matches!(waited, Err(StoreError::Busy(_))), "gave up");
    }
}
