-- The rollups hold a unit's month (or year), dimension and code once, with the four metrics
-- as columns, where each metric was a row of its own. Keep in step with
-- ../../sqlite/2026-12-02-000029_rollup_metrics_as_columns/up.sql.
--
-- A commune's count for this year read ~306 monthly rows (the total and the six categories,
-- four metrics each, twelve months) and sorted them into 56 sums; now ~77 rows into 14, and the
-- statement takes a third of the time (docs/performance.md, thirteenth pass). Every case write
-- upserts the same number of rows or fewer (a change of result moves two metrics of one row).
-- The conversion keeps every figure: each row's metric becomes its column, the others 0.
CREATE TABLE case_rollups_by_code (
    unit_id TEXT NOT NULL REFERENCES units (id),
    -- The first day of the month.
    month DATE NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    received BIGINT NOT NULL DEFAULT 0,
    successful BIGINT NOT NULL DEFAULT 0,
    unsuccessful BIGINT NOT NULL DEFAULT 0,
    out_of_scope BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, dimension, month, code, shard)
);
INSERT INTO case_rollups_by_code (unit_id, month, dimension, code, shard, received, successful, unsuccessful, out_of_scope)
    SELECT unit_id, month, dimension, code, shard,
        SUM(CASE WHEN metric = 'received' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'successful' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'unsuccessful' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'out_of_scope' THEN n ELSE 0 END)
    FROM case_rollups GROUP BY unit_id, month, dimension, code, shard;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_by_code RENAME TO case_rollups;

CREATE TABLE case_rollup_years_by_code (
    unit_id TEXT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    received BIGINT NOT NULL DEFAULT 0,
    successful BIGINT NOT NULL DEFAULT 0,
    unsuccessful BIGINT NOT NULL DEFAULT 0,
    out_of_scope BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, dimension, code, year, shard)
);
INSERT INTO case_rollup_years_by_code (unit_id, year, dimension, code, shard, received, successful, unsuccessful, out_of_scope)
    SELECT unit_id, year, dimension, code, shard,
        SUM(CASE WHEN metric = 'received' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'successful' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'unsuccessful' THEN n ELSE 0 END),
        SUM(CASE WHEN metric = 'out_of_scope' THEN n ELSE 0 END)
    FROM case_rollup_years GROUP BY unit_id, year, dimension, code, shard;
DROP TABLE case_rollup_years;
ALTER TABLE case_rollup_years_by_code RENAME TO case_rollup_years;
