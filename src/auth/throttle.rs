//! The per-IP limit on failed logins across usernames.
//!
//! The (username, IP) lockout alone let one address try 4 passwords an hour against every username
//! it could think of. This limit counts the password checks an IP makes, whatever the username, and
//! refuses the IP once it has `ip_failures` failures within `lockout_duration`.
//!
//! It lives in memory, not in the database, on purpose: it is checked on every anonymous login
//! before anything else, so a refused request costs a map lookup and no write; Arriendo runs as one
//! process, so one map sees every request. A restart forgets the counts, which at worst gives an
//! attacker one more budget per restart; the (username, IP) lock, which is in the database, still
//! holds. The map is bounded: past [`MAX_TRACKED`] addresses, stale ones are dropped, and if none is
//! stale the oldest window goes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};

/// Addresses remembered at most (a few MB).
pub const MAX_TRACKED: usize = 50_000;

#[derive(Clone, Copy, Debug)]
struct Window {
    started: DateTime<Utc>,
    count: i64,
}

/// Failure counts per client IP; cheap to clone (shared).
#[derive(Clone, Debug, Default)]
pub struct IpThrottle {
    windows: Arc<Mutex<HashMap<String, Window>>>,
}

/// The answer to [`IpThrottle::reserve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpReservation {
    /// The attempt may proceed; give it back with [`IpThrottle::refund`] if no password was checked
    /// or the password was right.
    Granted,
    /// Refused until then.
    Refused(DateTime<Utc>),
}

impl IpThrottle {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        // A panic while holding the lock leaves plain counters behind: still usable.
        match self.windows.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Takes one of the IP's attempts before its password is checked (atomically: the map is locked
    /// while counting), or refuses when the IP used them all within `window`.
    pub fn reserve(
        &self,
        ip: &str,
        limit: i64,
        window: Duration,
        now: DateTime<Utc>,
    ) -> IpReservation {
        let mut windows = self.lock();
        if windows.len() >= MAX_TRACKED && !windows.contains_key(ip) {
            windows.retain(|_, w| w.started + window > now);
            if windows.len() >= MAX_TRACKED
                && let Some(oldest) = windows
                    .iter()
                    .min_by_key(|(_, w)| w.started)
                    .map(|(k, _)| k.clone())
            {
                windows.remove(&oldest);
            }
        }
        let entry = windows.entry(ip.to_string()).or_insert(Window {
            started: now,
            count: 0,
        });
        if entry.started + window <= now {
            *entry = Window {
                started: now,
                count: 0,
            };
        }
        if entry.count >= limit {
            return IpReservation::Refused(entry.started + window);
        }
        entry.count += 1;
        IpReservation::Granted
    }

    /// Gives an attempt back: the password was right, or it was never checked.
    pub fn refund(&self, ip: &str) {
        if let Some(window) = self.lock().get_mut(ip) {
            window.count = (window.count - 1).max(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_ip_refunds_and_starts_over() {
        let throttle = IpThrottle::default();
        let now = Utc::now();
        let hour = Duration::hours(1);
        for _ in 0..3 {
            assert_eq!(
                throttle.reserve("1.1.1.1", 3, hour, now),
                IpReservation::Granted
            );
        }
        assert_eq!(
            throttle.reserve("1.1.1.1", 3, hour, now),
            IpReservation::Refused(now + hour)
        );
        assert_eq!(
            throttle.reserve("2.2.2.2", 3, hour, now),
            IpReservation::Granted
        );
        throttle.refund("1.1.1.1");
        assert_eq!(
            throttle.reserve("1.1.1.1", 3, hour, now),
            IpReservation::Granted
        );
        let later = now + hour;
        assert_eq!(
            throttle.reserve("1.1.1.1", 3, hour, later),
            IpReservation::Granted
        );
    }
}
