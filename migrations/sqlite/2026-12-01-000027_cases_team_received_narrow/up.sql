-- The team's date index without the case id (issue #12, the bytes of a case). Keep in step with
-- ../../postgres/2026-12-01-000027_cases_team_received_narrow/up.sql.
--
-- 000019 added the id so that the possible-duplicate check could walk a team's cases by the day
-- received without reading their rows; since 000026 the check finds the team's parties by name
-- (case_parties_name_key) and reads their cases by id, and nothing else reads the id from this
-- index: the list's received_from/received_to, its total and the yearly review's cases up to a
-- day range over (team_id, received_on) and read the rows they keep. Without it the index is
-- about 40 % smaller (SQLite: 9.0 → 5.3 MB per 100,000 cases after VACUUM).
--
-- Not dropped: without it a team's list for a month or a year (the office view asks for a year)
-- walks every case of the team by id and reads each row for its day — 0.2 ms → 2.3–5 ms for a
-- team of 1,300 cases, measured.
DROP INDEX cases_team_received;
CREATE INDEX cases_team_received ON cases (team_id, received_on);
