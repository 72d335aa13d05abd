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
-- Normalisation: trimmed and lower-cased (ASCII plus the Spanish capitals ÁÉÍÓÚÜÑ, identically on both
-- engines); a NIT is its digits without the check digit (payloads store the canonical form, no dots).

CREATE TABLE unique_claims
(
    scope          text NOT NULL,
    value          text NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id   text NOT NULL,
    PRIMARY KEY (scope, value)
) STRICT;

CREATE INDEX unique_claims_by_aggregate ON unique_claims (aggregate_type, aggregate_id);

-- The value each stored event claims (the triggers below compute the same from NEW).
CREATE VIEW event_claims AS
SELECT position, aggregate_type, aggregate_id, 'contrato_numero' AS scope,
       lower(replace(replace(replace(replace(replace(replace(replace(trim(json_extract(payload, '$.' || event_type || '.number')), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')) AS value
  FROM events
 WHERE aggregate_type = 'contrato' AND event_type IN ('ContractCreated', 'ContractTermsUpdated')
UNION ALL
SELECT position, aggregate_type, aggregate_id,
       CASE json_extract(payload, '$.' || event_type || '.kind') WHEN 'Arrendatario' THEN 'nit_arrendatario' ELSE 'nit_proveedor' END,
       CASE WHEN instr(trim(json_extract(payload, '$.' || event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(payload, '$.' || event_type || '.nit')), 1, instr(trim(json_extract(payload, '$.' || event_type || '.nit')), '-') - 1) ELSE trim(json_extract(payload, '$.' || event_type || '.nit')) END
  FROM events
 WHERE aggregate_type = 'tercero' AND event_type IN ('TerceroRegistered', 'TerceroUpdated')
UNION ALL
SELECT position, aggregate_type, aggregate_id, 'local_nombre',
       lower(replace(replace(replace(replace(replace(replace(replace(trim(COALESCE(json_extract(payload, '$.' || event_type || '.name'), json_extract(payload, '$.' || event_type || '.nombre'))), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ'))
  FROM events
 WHERE aggregate_type = 'local' AND event_type IN ('LocalRegistered', 'LocalUpdated');

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

-- SQLite serialises writers, so the check and the claim below cannot interleave with another append.

CREATE TRIGGER events_claim_contrato_numero BEFORE INSERT ON events
    WHEN NEW.aggregate_type = 'contrato' AND NEW.event_type IN ('ContractCreated', 'ContractTermsUpdated')
BEGIN
    SELECT RAISE(ABORT, 'unique_claim_taken:contrato_numero')
     WHERE NEW.position IS NULL
       AND EXISTS (SELECT 1 FROM unique_claims
                    WHERE scope = 'contrato_numero' AND value = lower(replace(replace(replace(replace(replace(replace(replace(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.number')), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ'))
                      AND NOT (aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id));
    DELETE FROM unique_claims
     WHERE aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id
       AND NOT (scope = 'contrato_numero' AND value = lower(replace(replace(replace(replace(replace(replace(replace(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.number')), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')));
    INSERT OR IGNORE INTO unique_claims (scope, value, aggregate_type, aggregate_id)
    SELECT 'contrato_numero', lower(replace(replace(replace(replace(replace(replace(replace(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.number')), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')), NEW.aggregate_type, NEW.aggregate_id
     WHERE lower(replace(replace(replace(replace(replace(replace(replace(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.number')), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')) <> '';
END;

CREATE TRIGGER events_claim_nit_arrendatario BEFORE INSERT ON events
    WHEN NEW.aggregate_type = 'tercero' AND NEW.event_type IN ('TerceroRegistered', 'TerceroUpdated')
         AND json_extract(NEW.payload, '$.' || NEW.event_type || '.kind') = 'Arrendatario'
BEGIN
    SELECT RAISE(ABORT, 'unique_claim_taken:nit_arrendatario')
     WHERE NEW.position IS NULL
       AND EXISTS (SELECT 1 FROM unique_claims
                    WHERE scope = 'nit_arrendatario' AND value = CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END
                      AND NOT (aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id));
    DELETE FROM unique_claims
     WHERE aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id
       AND NOT (scope = 'nit_arrendatario' AND value = CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END);
    INSERT OR IGNORE INTO unique_claims (scope, value, aggregate_type, aggregate_id)
    SELECT 'nit_arrendatario', CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END, NEW.aggregate_type, NEW.aggregate_id
     WHERE CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END <> '';
END;

CREATE TRIGGER events_claim_nit_proveedor BEFORE INSERT ON events
    WHEN NEW.aggregate_type = 'tercero' AND NEW.event_type IN ('TerceroRegistered', 'TerceroUpdated')
         AND json_extract(NEW.payload, '$.' || NEW.event_type || '.kind') <> 'Arrendatario'
BEGIN
    SELECT RAISE(ABORT, 'unique_claim_taken:nit_proveedor')
     WHERE NEW.position IS NULL
       AND EXISTS (SELECT 1 FROM unique_claims
                    WHERE scope = 'nit_proveedor' AND value = CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END
                      AND NOT (aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id));
    DELETE FROM unique_claims
     WHERE aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id
       AND NOT (scope = 'nit_proveedor' AND value = CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END);
    INSERT OR IGNORE INTO unique_claims (scope, value, aggregate_type, aggregate_id)
    SELECT 'nit_proveedor', CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END, NEW.aggregate_type, NEW.aggregate_id
     WHERE CASE WHEN instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') > 0 THEN substr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), 1, instr(trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')), '-') - 1) ELSE trim(json_extract(NEW.payload, '$.' || NEW.event_type || '.nit')) END <> '';
END;

CREATE TRIGGER events_claim_local_nombre BEFORE INSERT ON events
    WHEN NEW.aggregate_type = 'local' AND NEW.event_type IN ('LocalRegistered', 'LocalUpdated')
BEGIN
    SELECT RAISE(ABORT, 'unique_claim_taken:local_nombre')
     WHERE NEW.position IS NULL
       AND EXISTS (SELECT 1 FROM unique_claims
                    WHERE scope = 'local_nombre' AND value = lower(replace(replace(replace(replace(replace(replace(replace(trim(COALESCE(json_extract(NEW.payload, '$.' || NEW.event_type || '.name'), json_extract(NEW.payload, '$.' || NEW.event_type || '.nombre'))), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ'))
                      AND NOT (aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id));
    DELETE FROM unique_claims
     WHERE aggregate_type = NEW.aggregate_type AND aggregate_id = NEW.aggregate_id
       AND NOT (scope = 'local_nombre' AND value = lower(replace(replace(replace(replace(replace(replace(replace(trim(COALESCE(json_extract(NEW.payload, '$.' || NEW.event_type || '.name'), json_extract(NEW.payload, '$.' || NEW.event_type || '.nombre'))), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')));
    INSERT OR IGNORE INTO unique_claims (scope, value, aggregate_type, aggregate_id)
    SELECT 'local_nombre', lower(replace(replace(replace(replace(replace(replace(replace(trim(COALESCE(json_extract(NEW.payload, '$.' || NEW.event_type || '.name'), json_extract(NEW.payload, '$.' || NEW.event_type || '.nombre'))), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')), NEW.aggregate_type, NEW.aggregate_id
     WHERE lower(replace(replace(replace(replace(replace(replace(replace(trim(COALESCE(json_extract(NEW.payload, '$.' || NEW.event_type || '.name'), json_extract(NEW.payload, '$.' || NEW.event_type || '.nombre'))), 'Á', 'á'), 'É', 'é'), 'Í', 'í'), 'Ó', 'ó'), 'Ú', 'ú'), 'Ü', 'ü'), 'Ñ', 'ñ')) <> '';
END;

CREATE TRIGGER events_release_claims AFTER DELETE ON events
BEGIN
    DELETE FROM unique_claims
     WHERE aggregate_type = OLD.aggregate_type AND aggregate_id = OLD.aggregate_id;
END;
