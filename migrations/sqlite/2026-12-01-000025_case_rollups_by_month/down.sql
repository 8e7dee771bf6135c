CREATE TABLE case_rollups_month_last (
    unit_id TEXT NOT NULL REFERENCES units (id),
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, metric, code, month, shard)
) WITHOUT ROWID;
INSERT INTO case_rollups_month_last (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, metric, dimension, code, shard, n FROM case_rollups;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_month_last RENAME TO case_rollups;
