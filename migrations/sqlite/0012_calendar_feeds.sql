-- One iCal feed per user: the secret of its URL, stored only as its SHA-256 (hex), so a copy of
-- the database does not give anyone a working feed URL. Rotating replaces the row; the old URL
-- then finds nothing. Not event-sourced: a feed secret is not a fact of the business, and the
-- event log (and its JSON backups) must not carry it.
CREATE TABLE calendar_feeds
(
    username   text NOT NULL PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    created_at text NOT NULL -- RFC 3339, UTC
);
