-- A fresh statistics answer in a handful of indexed look-ups (issue "Faster than the generic
-- backend"). Keep in step with ../../sqlite/2026-11-30-000013_stats_read_indexes/up.sql.
--
-- The overdue count of a commune reads only the commune's cases awaiting their start: the path
-- in the index (the deadline alone made the count visit every such case of the database).
DROP INDEX cases_awaiting_start;
CREATE INDEX cases_awaiting_start ON cases (status, unit_path, start_deadline)
    WHERE status = 'in_progress' AND started_on IS NULL AND deadline_exception IS NULL;
-- (SQLite also clusters case_rollups by its key, WITHOUT ROWID; PostgreSQL has no such table
-- kind, and its primary key index already finds a unit's rows.)
