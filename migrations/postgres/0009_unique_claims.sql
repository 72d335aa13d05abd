-- 0009: uniqueness across aggregates (contract number, NIT per kind of tercero, local name), decided in the
-- transaction that appends the event, so two instances racing on the same value cannot both win.
--
-- unique_claims holds, per scope, the normalised value and the aggregate that holds it. Triggers on events:
-- * an appended event (position not given: cqrs-es never gives it) that sets a number/NIT/name refuses with
--   RAISE 'unique_claim_taken:<scope>' when another aggregate holds the value; otherwise the aggregate's
--   previous claim is released and the new one recorded. RAISE, not a unique violation: sqlite-es and
--   postgres-es turn every unique violation into an optimistic-lock conflict and drop the details.
-- * an event inserted with its position (a restore) claims "first keeps it" and never refuses, so a log
--   recorded before 0009 with duplicates restores unchanged.
-- * deleting events releases the claims of their aggregates.
-- The claim check runs in a BEFORE trigger named to fire before events_assign_position (PostgreSQL fires
-- triggers in name order), while NEW.position is still what the INSERT gave.
-- Normalisation: trimmed and lower-cased (ASCII plus the Spanish capitals ÁÉÍÓÚÜÑ, identically on both
-- engines); a NIT is its digits without the check digit (payloads store the canonical form, no dots).

CREATE TABLE unique_claims
(
    scope          text NOT NULL,
    value          text NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id   text NOT NULL,
    PRIMARY KEY (scope, value)
);

CREATE INDEX unique_claims_by_aggregate ON unique_claims (aggregate_type, aggregate_id);

CREATE FUNCTION claim_text(t text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
SELECT lower(replace(replace(replace(replace(replace(replace(replace(trim(t), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ'))
$$;

-- The value an event claims: no row for events that claim nothing.
CREATE FUNCTION event_claim(p_aggregate_type text, p_event_type text, p_payload json)
    RETURNS TABLE (scope text, value text)
    LANGUAGE sql IMMUTABLE AS $$
SELECT 'contrato_numero', claim_text(p_payload -> p_event_type ->> 'number')
 WHERE p_aggregate_type = 'contrato' AND p_event_type IN ('ContractCreated', 'ContractTermsUpdated')
UNION ALL
SELECT CASE p_payload -> p_event_type ->> 'kind' WHEN 'Arrendatario' THEN 'nit_arrendatario' ELSE 'nit_proveedor' END,
       split_part(trim(p_payload -> p_event_type ->> 'nit'), '-', 1)
 WHERE p_aggregate_type = 'tercero' AND p_event_type IN ('TerceroRegistered', 'TerceroUpdated')
UNION ALL
SELECT 'local_nombre',
       claim_text(COALESCE(p_payload -> p_event_type ->> 'name', p_payload -> p_event_type ->> 'nombre'))
 WHERE p_aggregate_type = 'local' AND p_event_type IN ('LocalRegistered', 'LocalUpdated')
$$;

CREATE VIEW event_claims AS
SELECT e.position, e.aggregate_type, e.aggregate_id, c.scope, c.value
  FROM events e
       CROSS JOIN LATERAL event_claim(e.aggregate_type, e.event_type, e.payload) c
 WHERE e.aggregate_type IN ('contrato', 'tercero', 'local');

-- The claims the whole log implies: each aggregate's latest value; of several aggregates with the same value,
-- the one that took it first keeps it. Used to backfill here and to rebuild the table after a restore.
CREATE VIEW unique_claims_from_events AS
WITH claims AS (SELECT * FROM event_claims WHERE value IS NOT NULL AND value <> ''),
     ranked AS (SELECT claims.*,
                       ROW_NUMBER() OVER (PARTITION BY aggregate_type, aggregate_id ORDER BY position DESC) AS recency
                  FROM claims),
     held AS (SELECT r.scope, r.value, r.aggregate_type, r.aggregate_id,
                     (SELECT MIN(c.position) FROM claims c
                       WHERE c.aggregate_type = r.aggregate_type AND c.aggregate_id = r.aggregate_id
                         AND c.scope = r.scope AND c.value = r.value) AS since
                FROM ranked r
               WHERE r.recency = 1),
     winners AS (SELECT held.*,
                        ROW_NUMBER() OVER (PARTITION BY scope, value ORDER BY since, aggregate_id) AS rank
                   FROM held)
SELECT scope, value, aggregate_type, aggregate_id FROM winners WHERE rank = 1;

INSERT INTO unique_claims (scope, value, aggregate_type, aggregate_id)
SELECT scope, value, aggregate_type, aggregate_id FROM unique_claims_from_events;

-- Two transactions claiming the same value: the second one's INSERT waits for the first to end, then finds
-- the committed row (each statement here takes a new snapshot) and refuses; if the first rolled back, the
-- second gets the value.
CREATE FUNCTION events_claim_unique() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    claim  record;
    holder record;
BEGIN
    FOR claim IN SELECT * FROM event_claim(NEW.aggregate_type, NEW.event_type, NEW.payload) LOOP
        CONTINUE WHEN claim.value IS NULL OR claim.value = '';
        INSERT INTO unique_claims (scope, value, aggregate_type, aggregate_id)
        VALUES (claim.scope, claim.value, NEW.aggregate_type, NEW.aggregate_id)
        ON CONFLICT (scope, value) DO NOTHING;
        SELECT u.aggregate_type, u.aggregate_id INTO holder
          FROM unique_claims u
         WHERE u.scope = claim.scope AND u.value = claim.value;
        IF NEW.position IS NULL
           AND (holder.aggregate_type <> NEW.aggregate_type OR holder.aggregate_id <> NEW.aggregate_id) THEN
            RAISE EXCEPTION 'unique_claim_taken:%', claim.scope;
        END IF;
        DELETE FROM unique_claims u
         WHERE u.aggregate_type = NEW.aggregate_type AND u.aggregate_id = NEW.aggregate_id
           AND NOT (u.scope = claim.scope AND u.value = claim.value);
    END LOOP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_0_claim_unique BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_claim_unique();

CREATE FUNCTION events_release_claims() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM unique_claims u
     WHERE NOT EXISTS (SELECT 1 FROM events e
                        WHERE e.aggregate_type = u.aggregate_type AND e.aggregate_id = u.aggregate_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_release_claims AFTER DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_release_claims();
