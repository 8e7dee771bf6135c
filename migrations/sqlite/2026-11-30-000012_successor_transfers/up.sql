-- Successors carry on: an open case moves to a successor team (its first log-book line kept),
-- and a mediator's membership moves to a successor team (ended here as 'transferred').
ALTER TABLE cases ADD COLUMN transferred_from_team_id TEXT REFERENCES teams (id);
ALTER TABLE cases ADD COLUMN transferred_from_line INTEGER;
ALTER TABLE cases ADD COLUMN transferred_on DATE;

-- SQLite cannot change a CHECK constraint: the table is rebuilt with the new end reason.
CREATE TABLE memberships_next (
    id TEXT PRIMARY KEY NOT NULL,
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'member')),
    recognition_decision TEXT,
    recognition_date DATE,
    from_date DATE NOT NULL,
    to_date DATE,
    end_reason TEXT CHECK (end_reason IN ('own_wish', 'no_longer_meets_criteria', 'violation', 'transferred')),
    end_decision TEXT,
    end_decision_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
INSERT INTO memberships_next SELECT id, mediator_id, team_id, role, recognition_decision, recognition_date, from_date, to_date,
    end_reason, end_decision, end_decision_date, version, created_at, updated_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_next RENAME TO memberships;
CREATE INDEX memberships_team ON memberships (team_id);
CREATE INDEX memberships_mediator ON memberships (mediator_id);
