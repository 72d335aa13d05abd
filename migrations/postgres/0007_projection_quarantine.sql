-- Events the projector could not apply, set aside so one bad event cannot stop the read models.
-- `held_behind` is NULL when the event itself failed; otherwise the position of the earlier
-- quarantined event of the same aggregate that it waits behind (applying it first would project a
-- state that never existed). `projections retry` re-applies them in position order.
CREATE TABLE projection_quarantine
(
    position       bigint NOT NULL PRIMARY KEY,
    aggregate_type text   NOT NULL,
    aggregate_id   text   NOT NULL,
    sequence       bigint NOT NULL,
    event_type     text   NOT NULL,
    error          text   NOT NULL,
    held_behind    bigint,
    quarantined_at text   NOT NULL -- RFC 3339, UTC
);
