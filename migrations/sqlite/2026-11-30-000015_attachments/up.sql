-- Photos and scans of signed documents (the evidence the seed plan lists): the signed written
-- agreement of a case, signed log-book pages of a team's year, a signed confirmation list.
-- Exactly one owner each. The bytes live in the database, in a table of their own, so that every
-- server on one database sees the same files, backups hold them, and listing reads no bytes.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    case_id TEXT REFERENCES cases (id),
    team_id TEXT REFERENCES teams (id),
    year INTEGER CHECK (year BETWEEN 1990 AND 2100),
    confirmation_list_id TEXT REFERENCES confirmation_lists (id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (
        (case_id IS NOT NULL AND team_id IS NULL AND year IS NULL AND confirmation_list_id IS NULL)
        OR (case_id IS NULL AND team_id IS NOT NULL AND year IS NOT NULL AND confirmation_list_id IS NULL)
        OR (case_id IS NULL AND team_id IS NULL AND year IS NULL AND confirmation_list_id IS NOT NULL)
    )
);
CREATE INDEX attachments_case ON attachments (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_team_year ON attachments (team_id, year) WHERE team_id IS NOT NULL;
CREATE INDEX attachments_list ON attachments (confirmation_list_id) WHERE confirmation_list_id IS NOT NULL;

CREATE TABLE attachment_contents (
    attachment_id TEXT PRIMARY KEY REFERENCES attachments (id),
    bytes BLOB NOT NULL
);
