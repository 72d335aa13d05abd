-- Where each projection has read the log up to. Updated in the same transaction as the read models.
CREATE TABLE projection_checkpoints
(
    name     text   NOT NULL PRIMARY KEY,
    position bigint NOT NULL
);

-- Contract (and every aggregate's) history: one row per event, the auditor's timeline.
CREATE TABLE rm_history
(
    position       bigint NOT NULL PRIMARY KEY,
    aggregate_type text   NOT NULL,
    aggregate_id   text   NOT NULL,
    sequence       bigint NOT NULL,
    event_type     text   NOT NULL,
    actor          text   NOT NULL,
    recorded_at    text   NOT NULL,
    summary        text   NOT NULL
);
CREATE INDEX rm_history_aggregate ON rm_history (aggregate_type, aggregate_id, sequence);
