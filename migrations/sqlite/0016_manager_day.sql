-- The manager's day (issue 16): the approval inbox, alerts acknowledged or postponed, and passwords that
-- must be changed at the next login.

-- Every Otro Sí of every contract, for the approval inbox (/bandeja): those en revisión wait for an
-- administrador; whoever sent one sees how it went. Kept by the projector with the contract's read models.
CREATE TABLE rm_otrosi
(
    contract_id      text   NOT NULL,
    number           bigint NOT NULL,
    contract_number  text   NOT NULL,
    tercero_name     text   NOT NULL,
    status           text   NOT NULL, -- borrador | en_revision | aprobado | rechazado
    effective_from   text   NOT NULL,
    description      text   NOT NULL,
    drafted_by       text   NOT NULL,
    submitted_by     text,
    decided_by       text,
    rejection_reason text,
    PRIMARY KEY (contract_id, number)
);
CREATE INDEX rm_otrosi_status ON rm_otrosi (status);

-- An alert's subject within its kind and contract (the póliza, the period, the note…), the user whose
-- note raised it (Seguimiento), where it is resolved (link text and address), and how it was handled: NULL while it stands, 'pospuesta' until
-- handled_until, 'enterada' while its date stays the same (AlertPostponed / AlertAcknowledged events).
ALTER TABLE rm_alerts ADD COLUMN subject text;
ALTER TABLE rm_alerts ADD COLUMN owner text;
ALTER TABLE rm_alerts ADD COLUMN action_label text;
ALTER TABLE rm_alerts ADD COLUMN action_href text;
ALTER TABLE rm_alerts ADD COLUMN handled text;
ALTER TABLE rm_alerts ADD COLUMN handled_until text;
ALTER TABLE rm_alerts ADD COLUMN handled_by text;
ALTER TABLE rm_alerts ADD COLUMN handled_note text;

-- 1 when the password was set by someone else (the first start, an administrador): the user must choose
-- their own before anything else.
ALTER TABLE rm_users ADD COLUMN must_change_password bigint NOT NULL DEFAULT 0;
