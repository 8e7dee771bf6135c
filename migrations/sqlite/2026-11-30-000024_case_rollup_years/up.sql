-- Yearly case rollups beside the monthly ones, kept by the same case writes in the same
-- transaction (issue "Faster than the generic backend"). A statistics answer needs what was
-- received and ended before its period — the carried-over cases — and read it from every month
-- of the unit's history: ~640 rows for a commune's two years, growing every month. With a row per
-- year it reads the earlier years' rows, the months of the period's own year, and for a whole
-- year (the question most dashboards and every annual report ask) the years alone.
-- Clustered by its key like the monthly rows (000013). Filled here from the monthly rows; `hoagiai stats check` compares both with the cases.
-- Keep in step with ../../postgres/2026-11-30-000024_case_rollup_years/up.sql.

CREATE TABLE case_rollup_years (
    unit_id TEXT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    metric TEXT NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, metric, code, year, shard)
) WITHOUT ROWID;
INSERT INTO case_rollup_years (unit_id, year, metric, dimension, code, shard, n)
    SELECT unit_id, CAST(strftime('%Y', month) AS INTEGER), metric, dimension, code, shard, SUM(n)
    FROM case_rollups GROUP BY unit_id, CAST(strftime('%Y', month) AS INTEGER), metric, dimension, code, shard;
