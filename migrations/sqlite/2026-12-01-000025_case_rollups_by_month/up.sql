-- The monthly rollups keyed with the month before the metric and code, as on PostgreSQL
-- (000009). Keep in step with ../../postgres/2026-12-01-000025_case_rollups_by_month/up.sql.
--
-- 000013 put the month last so that a reader summing every month of a unit's history (what a
-- period carries over) read them in one pass, grouped without a sort. Since the yearly rollups
-- (000024) an answer reads only the months after the last year filled, but with the month last
-- SQLite can bound the walk by unit and dimension only: it still stepped through every month of
-- the unit's history and skipped the old ones (a commune's ~640 rows for two years, to sum ~300;
-- five times as many after ten years). With the month third the months read are found by the
-- key, and the rows of a period lie together; the few that remain are grouped in a small sort.
-- The writers' ON CONFLICT names the same columns (the order of a conflict target does not
-- matter).
CREATE TABLE case_rollups_by_month (
    unit_id TEXT NOT NULL REFERENCES units (id),
    -- The first day of the month.
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, month, metric, code, shard)
) WITHOUT ROWID;
INSERT INTO case_rollups_by_month (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, metric, dimension, code, shard, n FROM case_rollups;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_by_month RENAME TO case_rollups;
