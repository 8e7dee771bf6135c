DROP INDEX cases_team_received;
CREATE INDEX cases_team_received ON cases (team_id, received_on, id);
