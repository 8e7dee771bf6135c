-- A party carries its case's team, and the possible-duplicate check finds a name within a team by
-- one index (issue #12, a create's cost). Keep in step with
-- ../../sqlite/2026-12-01-000026_party_team_name_key/up.sql, which says why.
ALTER TABLE case_parties ADD COLUMN team_id TEXT REFERENCES teams (id);
UPDATE case_parties p SET team_id = c.team_id FROM cases c WHERE c.id = p.case_id;
ALTER TABLE case_parties ALTER COLUMN team_id SET NOT NULL;
DROP INDEX case_parties_case;
DROP INDEX case_parties_name_key;
-- A name within a team; a name alone (a data subject's request) by its prefix.
CREATE INDEX case_parties_name_key ON case_parties (name_key, team_id);
