-- Yearly case rollups beside the monthly ones, kept by the same case writes in the same
-- transaction (issue "Faster than the generic backend"). A statistics answer needs what was
-- received and ended before its period — the carried-over cases — and read it from every month
-- of the unit's history: ~640 rows for a commune's two years, growing every month. With a row per
-- year it reads the rows of the years that are over and the months since.
-- Only years that are over have rows: the current year's would be written by every create and
-- read by no question (a question about this year reads its months), so a case write keeps the
-- rows of earlier years only, and once a year is over `stats::counters::fill_past_years` fills its
-- rows from its monthly ones (at start and hourly), in one transaction that also moves
-- `case_rollup_years_filled`. The statistics read the yearly rows of the years before last only,
-- a year after they were filled at the latest.
-- `hoagiai stats check` compares both with the cases.
-- Keep in step with ../../sqlite/2026-11-30-000024_case_rollup_years/up.sql.

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
);
-- The last year whose rows were filled from the monthly ones (none yet: the first start fills them).
CREATE TABLE case_rollup_years_filled (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    through_year INTEGER NOT NULL
);
INSERT INTO case_rollup_years_filled (id, through_year) VALUES (1, 0);
