-- The read models stop storing the write side's aggregates as JSON (issue 9, item 6): a field added to an
-- aggregate made every stored row undecodable. Contracts keep their own events instead (the versioned,
-- upcast event format is the one shape both sides already promise to keep readable) and are folded when a
-- page needs the whole contract; terceros and locales keep the data of their last event.
--
-- The rows written in the old shape are not converted here: dropping rm_meta's 'version' makes the next
-- start rebuild every read model (src/projector/rebuild.rs), which refills these columns.

CREATE TABLE rm_contract_events
(
    contract_id   text   NOT NULL,
    sequence      bigint NOT NULL,
    event_type    text   NOT NULL,
    event_version text   NOT NULL,
    payload       text   NOT NULL, -- the event as stored in the log (upcast when read)
    PRIMARY KEY (contract_id, sequence)
);

ALTER TABLE rm_contracts DROP COLUMN state;

ALTER TABLE rm_terceros DROP COLUMN state;
ALTER TABLE rm_terceros ADD COLUMN data text; -- TerceroData as JSON (the payload of its last event)

ALTER TABLE rm_locales DROP COLUMN state;
ALTER TABLE rm_locales ADD COLUMN data text; -- LocalData as JSON

DELETE FROM rm_meta WHERE key = 'version';
