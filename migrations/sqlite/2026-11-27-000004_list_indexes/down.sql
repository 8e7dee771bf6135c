DROP INDEX cases_unit_path_id;
DROP INDEX cases_team_id;
