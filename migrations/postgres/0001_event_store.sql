-- The event log. aggregate_type..metadata are the columns postgres-es inserts by name; its optimistic-lock
-- detection relies on the composite PRIMARY KEY (unique violation 23505), so it stays.
CREATE SEQUENCE events_position_seq;

CREATE TABLE events
(
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    position       bigint UNIQUE,
    recorded_at    timestamptz                  NOT NULL DEFAULT now(),
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

-- PostgreSQL commits concurrent transactions in any order, so a plain sequence would let position 7 become
-- visible before position 6 and a projector reading "after 6" would skip it forever. The transaction-scoped
-- advisory lock makes appends take their positions one transaction at a time: the next writer only draws a
-- position after the previous one has committed or rolled back, so positions become visible in order.
CREATE FUNCTION events_assign_position() RETURNS trigger AS $$
BEGIN
    IF NEW.position IS NULL THEN
        PERFORM pg_advisory_xact_lock(7261736);
        NEW.position := nextval('events_position_seq');
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_assign_position BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_assign_position();

-- Required by postgres-es even though Arriendo never uses snapshots (cqrs-es 0.5.0 snapshots apply events twice).
CREATE TABLE snapshots
(
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);
