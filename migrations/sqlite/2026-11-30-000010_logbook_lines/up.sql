-- The last line written in each team's log book per year. A new case takes the next line by
-- incrementing this row in its own transaction: concurrent creates for one team queue on the
-- row and get consecutive lines, where "highest line + 1" made them collide and retry.
CREATE TABLE logbook_lines (
    team_id TEXT NOT NULL REFERENCES teams (id),
    year INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    PRIMARY KEY (team_id, year)
);
INSERT INTO logbook_lines (team_id, year, last_line)
SELECT team_id, received_year, MAX(logbook_line) FROM cases GROUP BY team_id, received_year;
