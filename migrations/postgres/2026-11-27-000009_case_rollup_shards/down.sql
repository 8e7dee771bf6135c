CREATE TABLE case_rollups_merged (
    unit_id TEXT NOT NULL REFERENCES units (id),
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    CONSTRAINT case_rollups_merged_pkey PRIMARY KEY (unit_id, dimension, month, metric, code)
);
INSERT INTO case_rollups_merged (unit_id, month, metric, dimension, code, n)
    SELECT unit_id, month, metric, dimension, code, SUM(n) FROM case_rollups GROUP BY unit_id, month, metric, dimension, code;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_merged RENAME TO case_rollups;
ALTER TABLE case_rollups RENAME CONSTRAINT case_rollups_merged_pkey TO case_rollups_pkey;
