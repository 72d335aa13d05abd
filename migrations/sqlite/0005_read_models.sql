-- Read models of the lease domain, kept by the projector (src/read_models/). Dates are ISO text
-- (YYYY-MM-DD, which sorts), money is whole pesos in bigint, percentages are decimal text, JSON is text.
-- Columns that depend on "today" (terms in force, alerts, póliza status) are recomputed when the
-- date changes (rm_meta.computed_for).

CREATE TABLE rm_meta
(
    key   text NOT NULL PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE rm_terceros
(
    id           text NOT NULL PRIMARY KEY,
    nit          text NOT NULL,
    kind         text NOT NULL, -- arrendatario | proveedor
    razon_social text NOT NULL,
    search       text NOT NULL, -- lower-case nit + razón social
    state        text NOT NULL  -- the Tercero aggregate as JSON
);
-- Not unique: a read model never refuses an event (uniqueness is checked before commands are sent).
CREATE INDEX rm_terceros_nit ON rm_terceros (kind, nit);

CREATE TABLE rm_locales
(
    id       text NOT NULL PRIMARY KEY,
    name     text NOT NULL,
    location text NOT NULL,
    area_m2  text NOT NULL,
    search   text NOT NULL,
    state    text NOT NULL
);
CREATE INDEX rm_locales_name ON rm_locales (name);

CREATE TABLE rm_contracts
(
    id            text   NOT NULL PRIMARY KEY,
    number        text   NOT NULL,
    kind          text   NOT NULL, -- cliente | proveedor
    modality      text   NOT NULL, -- fijo | variable | hibrido (in force today)
    tercero_id    text   NOT NULL,
    tercero_name  text   NOT NULL,
    tercero_nit   text   NOT NULL,
    local_id      text,
    local_name    text,
    start_date    text   NOT NULL,
    end_date      text   NOT NULL, -- in force today
    canon         bigint,          -- fixed canon or híbrido minimum in force today
    percentage    text,            -- share of sales in force today
    status        text   NOT NULL, -- vigente | por_iniciar | vencido | terminado | eliminado
    in_force      integer     NOT NULL,
    alert_count   bigint NOT NULL,
    search        text   NOT NULL, -- lower-case number, tenant, NIT, premises
    state         text   NOT NULL, -- the Contrato aggregate as JSON
    computed_for  text   NOT NULL
);
CREATE INDEX rm_contracts_number ON rm_contracts (number);
CREATE INDEX rm_contracts_end ON rm_contracts (end_date);
CREATE INDEX rm_contracts_tercero ON rm_contracts (tercero_id);
CREATE INDEX rm_contracts_local ON rm_contracts (local_id);
CREATE INDEX rm_contracts_status ON rm_contracts (status, modality, kind);

CREATE TABLE rm_alerts
(
    contract_id     text   NOT NULL,
    ordinal         bigint NOT NULL, -- order within the contract's alerts
    contract_number text   NOT NULL,
    contract_kind   text   NOT NULL, -- cliente | proveedor
    kind            text   NOT NULL, -- AlertKind::slug()
    severity        text   NOT NULL, -- Severity::slug()
    severity_rank   bigint NOT NULL, -- 0 danger, 1 warning, 2 info: sort key
    trigger_date    text   NOT NULL,
    days_left       bigint NOT NULL,
    source          text   NOT NULL, -- Source::short() e.g. OS-2
    source_phrase   text   NOT NULL, -- Source::phrase()
    message         text   NOT NULL,
    PRIMARY KEY (contract_id, ordinal)
);
CREATE INDEX rm_alerts_kind ON rm_alerts (kind, severity_rank, trigger_date);

CREATE TABLE rm_polizas
(
    id              text   NOT NULL PRIMARY KEY,
    contract_id     text   NOT NULL,
    contract_number text   NOT NULL,
    tercero_name    text   NOT NULL,
    kind            text   NOT NULL, -- PolicyKind display
    number          text   NOT NULL,
    insurer         text   NOT NULL,
    insured_value   bigint NOT NULL,
    valid_from      text   NOT NULL,
    valid_to        text   NOT NULL,
    effective_expiry text  NOT NULL,
    status          text   NOT NULL, -- vigente | por_vencer | vencida | cancelada
    compliance      text   NOT NULL, -- cumple | no_cumple | no_exigida
    required_by     text   NOT NULL  -- contrato | OS-n | RA-n
);
CREATE INDEX rm_polizas_contract ON rm_polizas (contract_id);
CREATE INDEX rm_polizas_expiry ON rm_polizas (effective_expiry);

CREATE TABLE rm_sales_reports
(
    contract_id     text   NOT NULL,
    year            bigint NOT NULL,
    month           bigint NOT NULL,
    contract_number text   NOT NULL,
    tercero_name    text   NOT NULL,
    status          text   NOT NULL, -- pendiente | entregado
    deadline        text   NOT NULL,
    delivered_on    text,
    gross_sales     bigint,
    returns         bigint,
    billed          bigint,          -- facturación por ventas, when delivered
    overdue         integer     NOT NULL,
    PRIMARY KEY (contract_id, year, month)
);
CREATE INDEX rm_sales_reports_deadline ON rm_sales_reports (status, deadline);

CREATE TABLE rm_indices
(
    kind  text   NOT NULL, -- ipc | salario_minimo
    year  bigint NOT NULL,
    value text   NOT NULL, -- percentage as decimal text
    PRIMARY KEY (kind, year)
);
