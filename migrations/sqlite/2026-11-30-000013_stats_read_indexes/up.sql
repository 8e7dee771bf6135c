-- A fresh statistics answer in a handful of indexed look-ups (issue "Faster than the generic
-- backend"). Keep in step with ../../postgres/2026-11-30-000013_stats_read_indexes/up.sql.
--
-- The overdue count of a commune: the index on the start deadline alone made SQLite walk every
-- case in progress of the database (its planner preferred cases_status) and read each row for
-- its path. With the status and the path first, the count reads only the commune's cases
-- awaiting their start.
DROP INDEX cases_awaiting_start;
CREATE INDEX cases_awaiting_start ON cases (status, unit_path, start_deadline)
    WHERE status = 'in_progress' AND started_on IS NULL AND deadline_exception IS NULL;

-- The monthly rollups clustered by their key: a unit's rows were scattered over the table in the
-- order they were first written, one page read per row behind the key's index. WITHOUT ROWID
-- keeps them together in the key's own B-tree (and stores each row once, not twice), and the
-- month last in the key lets a reader sum the months before a period and within it in one pass,
-- grouped without a sort. The writers' ON CONFLICT names the same columns (the order of a
-- conflict target does not matter).
CREATE TABLE case_rollups_clustered (
    unit_id TEXT NOT NULL REFERENCES units (id),
    -- The first day of the month.
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, metric, code, month, shard)
) WITHOUT ROWID;
INSERT INTO case_rollups_clustered (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, metric, dimension, code, shard, n FROM case_rollups;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_clustered RENAME TO case_rollups;
