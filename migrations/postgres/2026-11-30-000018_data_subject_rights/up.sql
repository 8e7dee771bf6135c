-- Data-subject rights (Personal Data Protection Law 91/2025/QH15, Decree 356/2025/NĐ-CP, in force
-- 1 January 2026): the commune's register of requests from parties and mediators — to see what is
-- held about them, to have it corrected, deleted or pseudonymised, or to object — each with its
-- legal deadline and its outcome.
CREATE TABLE subject_requests (
    id TEXT PRIMARY KEY,
    -- The commune whose People's Committee holds the data and answers.
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'correction', 'erasure', 'objection')),
    -- Whom it is about: a mediator, or the party rows of one person (subject_request_parties).
    mediator_id TEXT REFERENCES mediators (id),
    requester_name TEXT NOT NULL,
    received_on DATE NOT NULL,
    due_on DATE NOT NULL,
    details TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'refused')),
    closed_on DATE,
    outcome TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX subject_requests_unit ON subject_requests (unit_path, received_on);

-- The case parties a request is about: one person may be a party in several cases. No foreign key
-- to case_parties: a party removed by a correction leaves the request's history intact.
CREATE TABLE subject_request_parties (
    request_id TEXT NOT NULL REFERENCES subject_requests (id),
    party_id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (request_id, party_id)
);

-- A closed case whose parties were pseudonymised after the retention period: names replaced by
-- their place in the log book, contacts and narratives cleared; the facts the statistics count
-- (dates, category, basis, status, result) kept.
ALTER TABLE cases ADD COLUMN pseudonymised_on DATE;

-- Removal of a mediator (Law on Grassroots Mediation, art. 13): the chairman decides on the request
-- of the head of the village's Front work committee (with the team leader), or on the mediator's
-- own application, for a reason.
ALTER TABLE memberships ADD COLUMN removal_requested_by TEXT CHECK (removal_requested_by IN ('front_committee_head', 'mediator'));
ALTER TABLE memberships ADD COLUMN removal_requested_on DATE;
ALTER TABLE memberships ADD COLUMN removal_reason TEXT;
