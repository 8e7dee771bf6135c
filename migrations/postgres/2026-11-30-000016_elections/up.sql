-- The procedures around people (Joint Resolution 01/2014, forms 01–07): the chairman's decision
-- on how many teams a village has and how many members each, and the elections of mediators (by
-- the household representatives) and of the team leader (by the team), with their counts, their
-- minutes (an attachment) and the chairman's recognition, due within 5 working days.
CREATE TABLE staffing_decisions (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    decision_no TEXT NOT NULL,
    decided_on DATE NOT NULL,
    teams INTEGER NOT NULL CHECK (teams BETWEEN 1 AND 50),
    members_per_team INTEGER NOT NULL CHECK (members_per_team BETWEEN 3 AND 100),
    notes TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staffing_decisions_unit ON staffing_decisions (unit_id, decided_on);

CREATE TABLE elections (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams (id),
    unit_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    held_on DATE NOT NULL,
    voters INTEGER NOT NULL CHECK (voters > 0),
    votes_cast INTEGER NOT NULL CHECK (votes_cast >= 0 AND votes_cast <= voters),
    minutes_attachment_id TEXT REFERENCES attachments (id),
    recognition_due DATE NOT NULL,
    recognised_on DATE,
    recognition_decision_no TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX elections_team ON elections (team_id, held_on);

CREATE TABLE election_candidates (
    election_id TEXT NOT NULL REFERENCES elections (id),
    position INTEGER NOT NULL,
    mediator_id TEXT REFERENCES mediators (id),
    full_name TEXT NOT NULL,
    votes INTEGER NOT NULL CHECK (votes >= 0),
    elected BOOLEAN NOT NULL,
    PRIMARY KEY (election_id, position)
);
