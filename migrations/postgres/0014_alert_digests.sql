-- Email digests of the alerts (issue 13 item 6): per alert kind a schedule, recipients, a log of every
-- change (who, when, what) and a send history. Operational data like the backups' runs, not events:
-- see src/digest/mod.rs for why.

-- One row per alert kind (AlertKind::slug()). last_run_at: the last digest run of the kind, sent or
-- found empty, so a restart or a second server does not run a slot twice (compare-and-set claim);
-- last_keys: the alerts the last sent digest listed, so the next one can tell the new ones apart.
CREATE TABLE digest_settings
(
    kind          text   NOT NULL PRIMARY KEY,
    enabled       bigint NOT NULL,
    frequency     text   NOT NULL, -- inmediata | diaria | semanal | mensual
    weekdays      text   NOT NULL, -- '0,3': 0 = lunes … 6 = domingo (semanal)
    send_time     text   NOT NULL, -- 'HH:MM', America/Bogota
    only_critical bigint NOT NULL,
    subject       text,
    updated_at    text   NOT NULL,
    updated_by    text   NOT NULL,
    last_run_at   text,
    last_sent_at  text,
    last_keys     text   NOT NULL DEFAULT '[]'
);

-- Who receives each kind's digest: a free address, optionally tied to a user of the application
-- (then skipped while that user is deactivated).
CREATE TABLE digest_recipients
(
    id         text   NOT NULL PRIMARY KEY,
    kind       text   NOT NULL,
    email      text   NOT NULL,
    name       text   NOT NULL,
    username   text,
    active     bigint NOT NULL,
    created_at text   NOT NULL,
    UNIQUE (kind, email)
);

-- Every change of the settings or recipients, in words.
CREATE TABLE digest_changes
(
    id      text NOT NULL PRIMARY KEY,
    at      text NOT NULL,
    actor   text NOT NULL,
    kind    text NOT NULL,
    summary text NOT NULL
);
CREATE INDEX digest_changes_at ON digest_changes (at);

-- One row per recipient per run. status: ENVIADO | ERROR (imported rows may also be PENDIENTE or
-- CANCELADO); run_trigger: programado | manual | importado.
CREATE TABLE digest_history
(
    id          text   NOT NULL PRIMARY KEY,
    run_id      text   NOT NULL,
    kind        text   NOT NULL,
    recipient   text   NOT NULL,
    subject     text   NOT NULL,
    status      text   NOT NULL,
    error       text,
    alert_count bigint NOT NULL,
    at          text   NOT NULL,
    run_trigger text   NOT NULL
);
CREATE INDEX digest_history_at ON digest_history (at);
