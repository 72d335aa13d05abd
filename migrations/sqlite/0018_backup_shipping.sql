-- Continuous log shipping (issue 14): per remote destination, the last position shipped as a segment
-- and when, and the last failure. One row per destination; the Respaldos page reads the lag from it.
-- Times are RFC 3339 text, as in backup_runs.
CREATE TABLE backup_shipping
(
    target        text   NOT NULL PRIMARY KEY,
    position      bigint NOT NULL,
    shipped_at    text   NOT NULL,
    error         text,
    failed_at     text
);

-- The server that ran each backup or drill: without a remote destination only the server that wrote
-- a set holds it, and the drill runs there (or says which server holds it).
ALTER TABLE backup_runs ADD COLUMN host text;
