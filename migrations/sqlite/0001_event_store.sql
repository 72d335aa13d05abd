-- The event log. aggregate_type..metadata are the columns sqlite-es inserts by name; its optimistic-lock
-- detection relies on the composite PRIMARY KEY (SQLite error 1555), so it stays.
-- position: global order of the whole log, assigned at insert (SQLite serialises writers, so insert
-- order is commit order). A restore inserts positions explicitly and the trigger leaves them alone.
CREATE TABLE events
(
    aggregate_type text                          NOT NULL,
    aggregate_id   text                          NOT NULL,
    sequence       integer CHECK (sequence >= 0) NOT NULL,
    event_type     text                          NOT NULL,
    event_version  text                          NOT NULL,
    payload        text                          NOT NULL,
    metadata       text                          NOT NULL,
    position       integer UNIQUE,
    recorded_at    text                          NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
) STRICT;

CREATE TRIGGER events_assign_position AFTER INSERT ON events
    WHEN NEW.position IS NULL
BEGIN
    UPDATE events
       SET position = (SELECT COALESCE(MAX(position), 0) + 1 FROM events)
     WHERE rowid = NEW.rowid;
END;

-- Required by sqlite-es even though Arriendo never uses snapshots (cqrs-es 0.5.0 snapshots apply events twice).
CREATE TABLE snapshots
(
    aggregate_type   text                                  NOT NULL,
    aggregate_id     text                                  NOT NULL,
    last_sequence    integer CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot integer CHECK (current_snapshot >= 0) NOT NULL,
    payload          text                                  NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
) STRICT;
