-- What auditors (and everyone) read of the past: each export and each time-travel, comparison or
-- printed view is recorded here, so a revisoría can see who looked at what and when. Not
-- event-sourced: reading changes nothing in the records, and a restore keeps this installation's
-- own trail.
CREATE TABLE audit_access
(
    id       integer PRIMARY KEY AUTOINCREMENT,
    at       text NOT NULL, -- RFC 3339, UTC
    username text NOT NULL,
    ip       text NOT NULL,
    action   text NOT NULL, -- exportar | viaje | comparar | imprimir
    target   text NOT NULL, -- the contract's number, or "registro" for the whole log
    detail   text NOT NULL  -- format, dates and filters as asked
);
CREATE INDEX audit_access_at ON audit_access (at);
