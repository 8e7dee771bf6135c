DROP INDEX case_parties_name_key;
ALTER TABLE case_parties DROP COLUMN team_id;
CREATE INDEX case_parties_case ON case_parties (case_id, name_key);
CREATE INDEX case_parties_name_key ON case_parties (name_key);
