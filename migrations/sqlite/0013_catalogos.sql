-- 0013: catálogos (tipos de contrato, tipos de servicio, cláusulas) and the contract's type.
--
-- The catalogs are one stream (aggregate `catalogos`); the read side keeps its events as stored, like
-- rm_contract_events, and folds them with the aggregate's own apply when a page or a contract's alerts
-- need them (a few hundred events at most). rm_contracts.type_id is the contract's tipo de contrato or
-- de servicio, for the list filter. Dropping rm_meta's 'version' rebuilds the read models on the next
-- start, which fills both.

CREATE TABLE rm_catalog_events
(
    sequence      bigint NOT NULL PRIMARY KEY,
    event_type    text   NOT NULL,
    event_version text   NOT NULL,
    payload       text   NOT NULL -- the event as stored in the log (upcast when read)
);

ALTER TABLE rm_contracts ADD COLUMN type_id text;
CREATE INDEX rm_contracts_type ON rm_contracts (type_id);

DELETE FROM rm_meta WHERE key = 'version';
