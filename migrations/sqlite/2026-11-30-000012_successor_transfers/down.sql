CREATE TABLE memberships_prev (
    id TEXT PRIMARY KEY NOT NULL,
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'member')),
    recognition_decision TEXT,
    recognition_date DATE,
    from_date DATE NOT NULL,
    to_date DATE,
    end_reason TEXT CHECK (end_reason IN ('own_wish', 'no_longer_meets_criteria', 'violation')),
    end_decision TEXT,
    end_decision_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
INSERT INTO memberships_prev SELECT id, mediator_id, team_id, role, recognition_decision, recognition_date, from_date, to_date,
    CASE WHEN end_reason = 'transferred' THEN 'own_wish' ELSE end_reason END, end_decision, end_decision_date, version,
    created_at, updated_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_prev RENAME TO memberships;
CREATE INDEX memberships_team ON memberships (team_id);
CREATE INDEX memberships_mediator ON memberships (mediator_id);
ALTER TABLE cases DROP COLUMN transferred_on;
ALTER TABLE cases DROP COLUMN transferred_from_line;
ALTER TABLE cases DROP COLUMN transferred_from_team_id;
