-- Case lists are newest first by id within a team or a subtree: these indexes answer a page
-- without reading and sorting every case of the team.
CREATE INDEX cases_team_id ON cases (team_id, id);
CREATE INDEX cases_unit_path_id ON cases (unit_path, id);
