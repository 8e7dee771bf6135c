CREATE TABLE case_counters (
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    day DATE NOT NULL,
    metric TEXT NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day, metric, dimension, code)
);
CREATE INDEX case_counters_path ON case_counters (unit_path, day);
-- What every case write would have kept there: counters::contributions, summed.
INSERT INTO case_counters (unit_id, unit_path, day, metric, dimension, code, n)
    SELECT unit_id, MIN(unit_path), received_on, 'received', 'category', category, COUNT(*) FROM cases
    WHERE status <> 'out_of_scope' GROUP BY unit_id, received_on, category;
INSERT INTO case_counters (unit_id, unit_path, day, metric, dimension, code, n)
    SELECT unit_id, MIN(unit_path), received_on, 'received', 'basis', basis, COUNT(*) FROM cases
    WHERE status <> 'out_of_scope' GROUP BY unit_id, received_on, basis;
INSERT INTO case_counters (unit_id, unit_path, day, metric, dimension, code, n)
    SELECT unit_id, MIN(unit_path), ended_on, status, 'category', category, COUNT(*) FROM cases
    WHERE status IN ('successful', 'unsuccessful', 'out_of_scope') AND ended_on IS NOT NULL
    GROUP BY unit_id, ended_on, status, category;
INSERT INTO case_counters (unit_id, unit_path, day, metric, dimension, code, n)
    SELECT unit_id, MIN(unit_path), ended_on, status, 'basis', basis, COUNT(*) FROM cases
    WHERE status IN ('successful', 'unsuccessful', 'out_of_scope') AND ended_on IS NOT NULL
    GROUP BY unit_id, ended_on, status, basis;
