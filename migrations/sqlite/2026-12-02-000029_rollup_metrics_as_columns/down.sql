-- Back to one row per metric (000025's monthly and 000024's yearly shapes); a metric that is 0
-- gets no row, as the writers never made one for it.
CREATE TABLE case_rollups_by_metric (
    unit_id TEXT NOT NULL REFERENCES units (id),
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, month, metric, code, shard)
) WITHOUT ROWID;
INSERT INTO case_rollups_by_metric (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, 'received', dimension, code, shard, received FROM case_rollups WHERE received <> 0
    UNION ALL SELECT unit_id, month, 'successful', dimension, code, shard, successful FROM case_rollups WHERE successful <> 0
    UNION ALL SELECT unit_id, month, 'unsuccessful', dimension, code, shard, unsuccessful FROM case_rollups WHERE unsuccessful <> 0
    UNION ALL SELECT unit_id, month, 'out_of_scope', dimension, code, shard, out_of_scope FROM case_rollups WHERE out_of_scope <> 0;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_by_metric RENAME TO case_rollups;

CREATE TABLE case_rollup_years_by_metric (
    unit_id TEXT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, metric, code, year, shard)
) WITHOUT ROWID;
INSERT INTO case_rollup_years_by_metric (unit_id, year, metric, dimension, code, shard, n)
    SELECT unit_id, year, 'received', dimension, code, shard, received FROM case_rollup_years WHERE received <> 0
    UNION ALL SELECT unit_id, year, 'successful', dimension, code, shard, successful FROM case_rollup_years WHERE successful <> 0
    UNION ALL SELECT unit_id, year, 'unsuccessful', dimension, code, shard, unsuccessful FROM case_rollup_years WHERE unsuccessful <> 0
    UNION ALL SELECT unit_id, year, 'out_of_scope', dimension, code, shard, out_of_scope FROM case_rollup_years WHERE out_of_scope <> 0;
DROP TABLE case_rollup_years;
ALTER TABLE case_rollup_years_by_metric RENAME TO case_rollup_years;
