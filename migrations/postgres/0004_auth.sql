-- Accounts, lockouts and sessions.

-- Read model of the `usuario` aggregate: what login and the users page query. session_epoch grows with
-- every "sessions ended" event; it is part of each session's auth hash, so older sessions stop working.
CREATE TABLE rm_users
(
    username            text   NOT NULL PRIMARY KEY,
    role                text   NOT NULL,
    active              bigint NOT NULL,
    password_hash       text   NOT NULL,
    session_epoch       bigint NOT NULL,
    created_at          text   NOT NULL,
    updated_at          text   NOT NULL,
    password_changed_at text   NOT NULL
);

-- Failed logins per (username, IP) and the lock they lead to. Not event-sourced: operational state.
CREATE TABLE auth_lockouts
(
    username        text   NOT NULL,
    ip              text   NOT NULL,
    failures        bigint NOT NULL,
    last_failure_at text   NOT NULL,
    locked_until    text,
    PRIMARY KEY (username, ip)
);

-- Every login attempt, failed or not (and every lock lifted).
CREATE TABLE auth_attempts
(
    id         bigserial PRIMARY KEY,
    at         text NOT NULL,
    username   text NOT NULL,
    ip         text NOT NULL,
    user_agent text NOT NULL,
    outcome    text NOT NULL
);
CREATE INDEX auth_attempts_at ON auth_attempts (at);

-- tower-sessions-sqlx-store's table (PostgresStore with schema public, table tower_sessions).
CREATE TABLE tower_sessions
(
    id          text PRIMARY KEY NOT NULL,
    data        bytea            NOT NULL,
    expiry_date timestamptz      NOT NULL
);
