-- Shards for the rollup rows every case write touches. On PostgreSQL each case create adds to the
-- national and the province rows of the month; concurrent creates queued on those few rows (each
-- waits for the other's commit), and the counters cost half the create throughput. The national
-- and province rows are now spread over 32 shards, chosen at random per write; readers sum them.
-- SQLite has one writer at a time and keeps everything in shard 0.
-- Keep in step with ../../postgres/2026-11-27-000009_case_rollup_shards/up.sql.

CREATE TABLE case_rollups_sharded (
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
);
INSERT INTO case_rollups_sharded (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, metric, dimension, code, 0, n FROM case_rollups;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_sharded RENAME TO case_rollups;
