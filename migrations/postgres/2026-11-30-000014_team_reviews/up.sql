-- The yearly team review's outcome (the seed plan: review every team each year and re-staff the
-- weak ones): the commune's conclusion on a team's year and its re-staffing proposal, one per
-- team and year, versioned like every edited record.
CREATE TABLE team_reviews (
    team_id TEXT NOT NULL REFERENCES teams (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    unit_path TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    restaffing_proposal TEXT,
    reviewed_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, year)
);
