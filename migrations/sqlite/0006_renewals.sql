-- Automatic renewals (RA-n) of every contract, for the Renovaciones list. Kept by the projector with
-- the rest of the contract's read models.
CREATE TABLE rm_renewals
(
    contract_id       text   NOT NULL,
    number            bigint NOT NULL,
    contract_number   text   NOT NULL,
    tercero_name      text   NOT NULL,
    status            text   NOT NULL, -- propuesta | aprobada | anulada
    previous_end      text   NOT NULL,
    new_end           text   NOT NULL,
    proposed_by       text   NOT NULL,
    approved_by       text,
    annulment_reason  text,
    PRIMARY KEY (contract_id, number)
);
CREATE INDEX rm_renewals_status ON rm_renewals (status, new_end);
