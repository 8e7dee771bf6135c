DROP INDEX cases_awaiting_start;
DROP TABLE case_rollups;
