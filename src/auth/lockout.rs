//! Brute-force protection: failed logins per (username, IP), the lock they lead to, and the log of
//! every attempt. Timestamps are stored as fixed-width RFC 3339 UTC text, so text order is time order.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{AuthError, AuthSettings, timestamp};
use crate::store::Db;

/// What happened on one login attempt (stored in English, shown in Spanish).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// Refused without checking the password because the pair is locked.
    Locked,
    /// An administrador or the CLI lifted a lock (logged in the same table).
    Lifted,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Locked => "locked",
            Outcome::Lifted => "lifted",
        }
    }
}

/// A (username, IP) pair with failures or a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lockout {
    pub username: String,
    pub ip: String,
    pub failures: i64,
    pub last_failure_at: String,
    pub locked_until: Option<String>,
}

/// One row of the access log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub at: String,
    pub username: String,
    pub ip: String,
    pub user_agent: String,
    pub outcome: String,
}

fn parse(ts: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What a login attempt may do, decided before any password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Check the password: this is failure number `attempt` of the window if it turns out wrong.
    /// `locks` says a wrong password now means the pair is locked (until `until`).
    Check {
        attempt: i64,
        locks: Option<DateTime<Utc>>,
    },
    /// Refuse without checking: the pair is locked until then.
    Locked(DateTime<Utc>),
}

/// Counts an attempt for the pair BEFORE its password is checked, in one atomic statement, and says
/// whether it may be checked. Reading the count and checking the password in separate steps let a
/// burst of 40 concurrent guesses all read "4 failures" and get 20 (SQLite) or 34 (PostgreSQL)
/// checks, the right password among them; now every attempt takes a number, only numbers up to
/// `lockout_failures` are checked, and the attempt that takes the last number sets the lock in the
/// same statement. A success gives the numbers back ([`clear`]). An expired lock, or failures older
/// than the lock duration, start the count over.
pub async fn reserve(
    db: &Db,
    settings: &AuthSettings,
    username: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Reservation, AuthError> {
    let now_text = timestamp(now);
    let window_start = timestamp(now - settings.lockout_duration);
    let until = now + settings.lockout_duration;
    let until_text = timestamp(until);
    let max = settings.lockout_failures;
    // In an UPDATE's SET list every column names the row as it was, on both engines.
    let stale = "(auth_lockouts.locked_until IS NOT NULL AND auth_lockouts.locked_until <= $3) \
                 OR (auth_lockouts.locked_until IS NULL AND auth_lockouts.last_failure_at < $4)";
    let sql = format!(
        "INSERT INTO auth_lockouts (username, ip, failures, last_failure_at, locked_until) \
         VALUES ($1, $2, 1, $3, CASE WHEN 1 >= $5 THEN $6 ELSE NULL END) \
         ON CONFLICT (username, ip) DO UPDATE SET \
           failures = CASE WHEN {stale} THEN 1 ELSE auth_lockouts.failures + 1 END, \
           locked_until = CASE \
             WHEN {stale} THEN CASE WHEN 1 >= $5 THEN $6 ELSE NULL END \
             WHEN auth_lockouts.locked_until IS NOT NULL THEN auth_lockouts.locked_until \
             WHEN auth_lockouts.failures + 1 >= $5 THEN $6 \
             ELSE NULL END, \
           last_failure_at = $3 \
         RETURNING failures, locked_until"
    );
    let (attempt, locked_until): (i64, Option<String>) = crate::on_pool!(db, pool => {
        sqlx::query_as(&sql)
            .bind(username)
            .bind(ip)
            .bind(&now_text)
            .bind(&window_start)
            .bind(max)
            .bind(&until_text)
            .fetch_one(pool)
            .await?
    });
    let locked_until = locked_until.as_deref().and_then(parse);
    if attempt > max {
        return Ok(Reservation::Locked(locked_until.unwrap_or(until)));
    }
    Ok(Reservation::Check {
        attempt,
        locks: locked_until,
    })
}

/// Forgets the pair's failures (after a successful login).
pub async fn clear(db: &Db, username: &str, ip: &str) -> Result<(), AuthError> {
    crate::on_pool!(db, pool => {
        sqlx::query("DELETE FROM auth_lockouts WHERE username = $1 AND ip = $2")
            .bind(username)
            .bind(ip)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Lifts locks (and forgets failures) matching the filters; both `None` lifts every one. Returns the
/// pairs lifted, each logged as a `lifted` attempt by `by`.
pub async fn lift(
    db: &Db,
    username: Option<&str>,
    ip: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Lockout>, AuthError> {
    let matching: Vec<Lockout> = list(db)
        .await?
        .into_iter()
        .filter(|l| username.is_none_or(|u| l.username == u) && ip.is_none_or(|i| l.ip == i))
        .collect();
    for lockout in &matching {
        clear(db, &lockout.username, &lockout.ip).await?;
        record_attempt(
            db,
            now,
            &lockout.username,
            &lockout.ip,
            &format!("lifted by {by}"),
            Outcome::Lifted,
        )
        .await?;
    }
    Ok(matching)
}

/// Every pair with failures, locked ones first.
pub async fn list(db: &Db) -> Result<Vec<Lockout>, AuthError> {
    let rows = crate::on_pool!(db, pool => {
        sqlx::query(
            "SELECT username, ip, failures, last_failure_at, locked_until FROM auth_lockouts \
             ORDER BY locked_until DESC NULLS LAST, last_failure_at DESC",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(Lockout {
                username: row.try_get("username")?,
                ip: row.try_get("ip")?,
                failures: row.try_get("failures")?,
                last_failure_at: row.try_get("last_failure_at")?,
                locked_until: row.try_get("locked_until")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows)
}

/// The pairs locked at `now`.
pub async fn list_locked(db: &Db, now: DateTime<Utc>) -> Result<Vec<Lockout>, AuthError> {
    Ok(list(db)
        .await?
        .into_iter()
        .filter(|l| {
            l.locked_until
                .as_deref()
                .and_then(parse)
                .is_some_and(|until| until > now)
        })
        .collect())
}

pub async fn record_attempt(
    db: &Db,
    at: DateTime<Utc>,
    username: &str,
    ip: &str,
    user_agent: &str,
    outcome: Outcome,
) -> Result<(), AuthError> {
    let username: String = username.chars().take(128).collect();
    let user_agent: String = user_agent.chars().take(512).collect();
    crate::on_pool!(db, pool => {
        sqlx::query(
            "INSERT INTO auth_attempts (at, username, ip, user_agent, outcome) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(timestamp(at))
        .bind(&username)
        .bind(ip)
        .bind(&user_agent)
        .bind(outcome.code())
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The latest `limit` attempts, newest first.
pub async fn recent_attempts(db: &Db, limit: i64) -> Result<Vec<Attempt>, AuthError> {
    let rows = crate::on_pool!(db, pool => {
        sqlx::query(
            "SELECT at, username, ip, user_agent, outcome FROM auth_attempts ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(Attempt {
                at: row.try_get("at")?,
                username: row.try_get("username")?,
                ip: row.try_get("ip")?,
                user_agent: row.try_get("user_agent")?,
                outcome: row.try_get("outcome")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows)
}
