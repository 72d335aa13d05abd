-- Dashboard (issue 17). The top entries of an alert kind are read in the list's order
-- (severity_rank, days_left, then the contract and the alert's ordinal to break ties): with this index
-- the first five are the first five index entries, instead of every alert of the kind sorted before
-- the LIMIT. The same index covers the per-kind counts (kind, severity_rank), and the second one the
-- alert list without a kind. rm_alerts_kind (… trigger_date) stays: the index pages sort by it.
CREATE INDEX rm_alerts_kind_order ON rm_alerts (kind, severity_rank, days_left, contract_number, contract_id, ordinal);
CREATE INDEX rm_alerts_order ON rm_alerts (severity_rank, days_left, contract_number, contract_id, ordinal);

-- The póliza chart counts pólizas of open contracts by kind: the contract's kind and status are kept on
-- the póliza row (written with it, in the same transaction as the contract row), so the chart reads
-- rm_polizas alone instead of joining every póliza of the next 12 months to rm_contracts.
ALTER TABLE rm_polizas ADD COLUMN contract_kind text NOT NULL DEFAULT 'cliente';
ALTER TABLE rm_polizas ADD COLUMN contract_status text NOT NULL DEFAULT 'vigente';
UPDATE rm_polizas
   SET contract_kind   = COALESCE((SELECT c.kind FROM rm_contracts c WHERE c.id = rm_polizas.contract_id), contract_kind),
       contract_status = COALESCE((SELECT c.status FROM rm_contracts c WHERE c.id = rm_polizas.contract_id), contract_status);
CREATE INDEX rm_polizas_chart ON rm_polizas (effective_expiry, status, contract_status, contract_kind);
DROP INDEX rm_polizas_expiry; -- a prefix of rm_polizas_chart
