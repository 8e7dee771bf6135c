DROP INDEX case_parties_case;
CREATE INDEX case_parties_case ON case_parties (case_id);
DROP INDEX cases_team_received;
CREATE INDEX cases_team_received ON cases (team_id, received_on);
