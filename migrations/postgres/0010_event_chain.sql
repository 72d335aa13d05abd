-- Tamper evidence (src/audit): each event's SHA-256 digest, chained over the previous event's digest in
-- global order, written by the sealer right after the event is appended. The aggregate, id and
-- sequence say which event was sealed at each position, so `arriendo audit verify` can tell an edited
-- event from a deleted, inserted or moved one. Rebuilds never touch this table; a JSON restore
-- rewrites it with the restored log.
CREATE TABLE event_digests
(
    position       bigint  NOT NULL PRIMARY KEY,
    aggregate_type text    NOT NULL,
    aggregate_id   text    NOT NULL,
    sequence       bigint  NOT NULL,
    digest         text    NOT NULL -- 64 lowercase hex digits
);

-- The head of the chain each backup sealed (also written in its manifest): a later rewrite of the
-- whole chain before that position no longer matches it.
CREATE TABLE backup_seals
(
    name        text    NOT NULL PRIMARY KEY, -- backup_YYYYMMDD_HHMMSS
    created_at  text    NOT NULL,             -- RFC 3339, UTC
    position    bigint  NOT NULL,
    event_count bigint  NOT NULL,
    digest      text    NOT NULL
);
CREATE INDEX backup_seals_position ON backup_seals (position);
