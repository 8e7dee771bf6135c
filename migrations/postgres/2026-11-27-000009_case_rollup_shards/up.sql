-- Shards for the rollup rows every case write touches. Each case create adds to the national and
-- the province rows of the month; concurrent creates queued on those few rows (each waits for
-- the other's commit), and the counters cost half the create throughput. The national and
-- province rows are now spread over 32 shards, chosen at random per write; readers sum them.
-- Keep in step with ../../sqlite/2026-11-27-000009_case_rollup_shards/up.sql.

ALTER TABLE case_rollups ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollups DROP CONSTRAINT case_rollups_pkey;
ALTER TABLE case_rollups ADD CONSTRAINT case_rollups_pkey PRIMARY KEY (unit_id, dimension, month, metric, code, shard);
