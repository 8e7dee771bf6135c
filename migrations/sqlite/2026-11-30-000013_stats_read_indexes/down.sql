CREATE TABLE case_rollups_rowid (
    unit_id TEXT NOT NULL REFERENCES units (id),
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    shard SMALLINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, month, metric, code, shard)
);
INSERT INTO case_rollups_rowid (unit_id, month, metric, dimension, code, shard, n)
    SELECT unit_id, month, metric, dimension, code, shard, n FROM case_rollups;
DROP TABLE case_rollups;
ALTER TABLE case_rollups_rowid RENAME TO case_rollups;

DROP INDEX cases_awaiting_start;
CREATE INDEX cases_awaiting_start ON cases (start_deadline) WHERE status = 'in_progress' AND started_on IS NULL AND deadline_exception IS NULL;
