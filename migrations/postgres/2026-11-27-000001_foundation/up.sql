-- Foundation: administrative units, accounts, tokens, API clients, audit log, idempotency keys.
-- Keep in step with ../../sqlite/2026-11-27-000001_foundation/up.sql (same tables, same columns).

CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune', 'village')),
    parent_id TEXT REFERENCES units (id),
    -- '/<root id>/…/<own id>/': a subtree is every path starting with a unit's path.
    path TEXT COLLATE "C" NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    ethnic_minority_area BOOLEAN NOT NULL DEFAULT FALSE,
    -- The name folded for search: lower case, no diacritics (đ → d), so "nguyen" finds "Nguyễn".
    search_key TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_level_name ON units (level, name);
CREATE INDEX units_search_key ON units (search_key);
-- An official code identifies one unit at a time; a closed unit's code may be reused.
CREATE UNIQUE INDEX units_current_code ON units (level, code) WHERE code IS NOT NULL AND valid_to IS NULL;

CREATE TABLE unit_successions (
    id TEXT PRIMARY KEY NOT NULL,
    from_unit_id TEXT NOT NULL REFERENCES units (id),
    to_unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'transfer')),
    effective_date DATE NOT NULL,
    legal_basis TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (from_unit_id, to_unit_id, effective_date),
    CHECK (from_unit_id <> to_unit_id)
);
CREATE INDEX unit_successions_to ON unit_successions (to_unit_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    phone TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'team_leader', 'mediator', 'viewer', 'stats')),
    -- NULL: the whole country (admins and national viewers / statistics readers only).
    unit_id TEXT REFERENCES units (id),
    unit_path TEXT COLLATE "C",
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);
CREATE INDEX users_unit_path ON users (unit_path);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'stats' CHECK (role IN ('stats')),
    unit_id TEXT REFERENCES units (id),
    unit_path TEXT COLLATE "C",
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_clients_unit_path ON api_clients (unit_path);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- The unit path the record belongs to, so officers read the audit of their subtree only.
    unit_path TEXT COLLATE "C",
    request_id TEXT,
    old_values TEXT,
    new_values TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_unit_path ON audit_log (unit_path);

CREATE TABLE idempotency_keys (
    actor_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    -- NULL while the first request is still being processed.
    status_code INTEGER,
    response_headers TEXT,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
