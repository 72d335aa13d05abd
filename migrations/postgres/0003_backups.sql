-- Every backup run and restore drill: what the "Respaldos" page lists and the dashboard alert reads.
-- slot: set for scheduled runs ("backup@2025-01-27T07:00:00Z"); unique, so with several servers on one
-- database exactly one of them claims each scheduled run.
CREATE TABLE backup_runs
(
    id            text   NOT NULL PRIMARY KEY,
    kind          text   NOT NULL,
    run_trigger   text   NOT NULL,
    slot          text   UNIQUE,
    started_at    text   NOT NULL,
    finished_at   text,
    status        text   NOT NULL,
    name          text,
    total_bytes   bigint,
    event_count   bigint,
    last_position bigint,
    files         text   NOT NULL DEFAULT '[]',
    targets       text   NOT NULL DEFAULT '[]',
    error         text
);
CREATE INDEX backup_runs_started ON backup_runs (started_at);
