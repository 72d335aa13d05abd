//! Results of read-model queries kept in memory while the read models stay the same (the dashboard's
//! counts, cards, chart and each user's tasks), so a page shown again with unchanged data is not
//! queried again.
//!
//! The read models change only when the projector moves its checkpoint (in the transaction that
//! writes them), recomputes the today-dependent columns for a new date (`rm_meta.computed_for`, same
//! transaction), or applies events out of quarantine (the quarantine shrinks); a rebuild that ends at
//! the same checkpoint writes the same rows. [`Stamp`] reads those three in one statement on every
//! request, from the database and not from this process's projector, so what another process or
//! instance projects is seen too, and a kept result is used only under the stamp it was read after.
//! The stamp is read before the queries it covers, so a kept result is never older than its stamp.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use crate::store::{Db, StoreError};

/// Where the read models stand (see the module's doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    checkpoint: Option<i64>,
    computed_for: Option<String>,
    quarantined: i64,
}

/// The read models' stamp now: three single-row reads in one statement.
pub async fn stamp(db: &Db) -> Result<Stamp, StoreError> {
    const SQL: &str = "SELECT \
         (SELECT position FROM projection_checkpoints WHERE name = 'read_models'), \
         (SELECT value FROM rm_meta WHERE key = 'computed_for'), \
         (SELECT COUNT(*) FROM projection_quarantine)";
    let (checkpoint, computed_for, quarantined): (Option<i64>, Option<String>, i64) =
        crate::on_pool!(db, pool => sqlx::query_as(SQL).fetch_one(pool).await?);
    Ok(Stamp {
        checkpoint,
        computed_for,
        quarantined,
    })
}

/// Results by key, each valid under one [`Stamp`]; at most `capacity` of them.
pub struct StampedCache<K, V> {
    capacity: usize,
    entries: Mutex<HashMap<K, (Stamp, Arc<V>)>>,
    /// Held while a missing result is read: the requests that miss at the same moment (sixteen
    /// people opening the dashboard after a change) wait for the first read instead of each
    /// running the same queries.
    reading: tokio::sync::Mutex<()>,
}

impl<K: Eq + Hash, V> StampedCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(HashMap::new()),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// The result kept for `key` when it was read under `stamp`.
    pub fn get(&self, key: &K, stamp: &Stamp) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let (kept, value) = entries.get(key)?;
        (kept == stamp).then(|| Arc::clone(value))
    }

    /// Keeps `value`, read under `stamp`, for `key`. Entries of other stamps are dropped (the read
    /// models moved on; stamps only move forward), and when the cache is full, all of them.
    pub fn put(&self, key: K, stamp: Stamp, value: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (kept, _)| *kept == stamp);
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(key, (stamp, value));
        }
    }

    /// The result for `key` under `stamp`: the kept one, or `read`'s, kept for the next request.
    pub async fn get_or_read<F, Fut>(
        &self,
        key: K,
        stamp: &Stamp,
        read: F,
    ) -> Result<Arc<V>, StoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, StoreError>>,
    {
        if let Some(value) = self.get(&key, stamp) {
            return Ok(value);
        }
        let _reading = self.reading.lock().await;
        // Read meanwhile by the request this one waited for.
        if let Some(value) = self.get(&key, stamp) {
            return Ok(value);
        }
        let value = Arc::new(read().await?);
        self.put(key, stamp.clone(), Arc::clone(&value));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(checkpoint: i64) -> Stamp {
        Stamp {
            checkpoint: Some(checkpoint),
            computed_for: Some("2026-12-02".into()),
            quarantined: 0,
        }
    }

    #[test]
    fn a_result_is_used_only_under_its_stamp() {
        let cache = StampedCache::new(4);
        cache.put("a", at(1), Arc::new(10));
        assert_eq!(cache.get(&"a", &at(1)).as_deref(), Some(&10));
        assert_eq!(cache.get(&"a", &at(2)), None);
        let next_day = Stamp {
            computed_for: Some("2026-12-03".into()),
            ..at(1)
        };
        assert_eq!(cache.get(&"a", &next_day), None);
        let retried = Stamp {
            quarantined: 1,
            ..at(1)
        };
        assert_eq!(cache.get(&"a", &retried), None);
    }

    /// Sixteen requests that miss together: one reads, the others get its result.
    #[tokio::test]
    async fn simultaneous_misses_read_once() {
        let cache = Arc::new(StampedCache::new(4));
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for _ in 0..16 {
            let (cache, reads) = (Arc::clone(&cache), Arc::clone(&reads));
            waiting.push(tokio::spawn(async move {
                cache
                    .get_or_read("panel", &at(7), || async {
                        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok(42)
                    })
                    .await
                    .map(|v| *v)
            }));
        }
        for request in waiting {
            assert_eq!(request.await.unwrap().unwrap(), 42);
        }
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn a_new_stamp_drops_the_old_entries_and_the_cache_stays_bounded() {
        let cache = StampedCache::new(2);
        cache.put("a", at(1), Arc::new(1));
        cache.put("b", at(2), Arc::new(2));
        assert_eq!(
            cache.get(&"a", &at(1)),
            None,
            "dropped when the stamp moved"
        );
        cache.put("c", at(2), Arc::new(3));
        cache.put("d", at(2), Arc::new(4));
        let kept = ["b", "c", "d"]
            .iter()
            .filter(|k| cache.get(k, &at(2)).is_some())
            .count();
        assert!(kept <= 2);
        assert_eq!(cache.get(&"d", &at(2)).as_deref(), Some(&4));
    }
}
