//! The secret of each user's iCal feed URL. The token is 32 random bytes in hex; only its SHA-256
//! is stored (`calendar_feeds`), so the URL is shown once, when it is made, and a copy of the
//! database opens no feed. Rotating replaces the hash: the old URL answers 404 from then on.

use sha2::{Digest, Sha256};

use super::CalendarError;
use crate::auth::password::random_token;
use crate::auth::users;
use crate::store::Db;

/// Hex characters of a token (32 bytes).
const TOKEN_LEN: usize = 64;

/// The SHA-256 of a token, hex.
fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` has the shape of one we issue; anything else is refused before hashing.
fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Equal without an early exit, so the time taken says nothing about where two hashes differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Makes a new token for `username` (replacing any previous one) and returns it: the only time
/// it is known in clear.
pub async fn rotate(db: &Db, username: &str) -> Result<String, CalendarError> {
    let token = random_token();
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let sql = "INSERT INTO calendar_feeds (username, token_hash, created_at) VALUES ($1, $2, $3) \
               ON CONFLICT (username) DO UPDATE SET token_hash = excluded.token_hash, \
               created_at = excluded.created_at";
    crate::on_pool!(db, pool => {
        sqlx::query(sql)
            .bind(username)
            .bind(hash(&token))
            .bind(&created_at)
            .execute(pool)
            .await?;
    });
    Ok(token)
}

/// When `username`'s current feed URL was made (RFC 3339), if there is one.
pub async fn created_at(db: &Db, username: &str) -> Result<Option<String>, CalendarError> {
    let sql = "SELECT created_at FROM calendar_feeds WHERE username = $1";
    Ok(crate::on_pool!(db, pool => {
        sqlx::query_scalar(sql).bind(username).fetch_optional(pool).await?
    }))
}

/// The active user whose current feed token is `token`; `None` for a malformed, unknown or
/// rotated token, and for a deactivated (or vanished) user.
pub async fn owner(db: &Db, token: &str) -> Result<Option<String>, CalendarError> {
    if !well_formed(token) {
        return Ok(None);
    }
    let wanted = hash(token);
    // The lookup is by the hash, not by the token: an attacker choosing tokens cannot steer which
    // stored hash the index compares against.
    let sql = "SELECT username, token_hash FROM calendar_feeds WHERE token_hash = $1";
    let row: Option<(String, String)> = crate::on_pool!(db, pool => {
        sqlx::query_as(sql).bind(&wanted).fetch_optional(pool).await?
    });
    let Some((username, stored)) = row else {
        return Ok(None);
    };
    if !same(&stored, &wanted) {
        return Ok(None);
    }
    let user = users::find(db, &username).await?;
    Ok(user.filter(|u| u.active).map(|u| u.username))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_before_hashing() {
        let token = random_token();
        assert!(well_formed(&token));
        assert!(!well_formed(&token.to_uppercase()));
        assert!(!well_formed(&token[1..]));
        assert!(!well_formed("../../etc/passwd"));
        assert_eq!(hash("abc").len(), 64);
        assert!(same(&hash("abc"), &hash("abc")));
        assert!(!same(&hash("abc"), &hash("abd")));
        assert!(!same("ab", "abc"));
    }
}
