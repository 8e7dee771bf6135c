-- Monthly case counters for every unit above a case (village, commune, district, province), kept
-- in the same transaction as every case write, so statistics for a month, quarter, half-year or
-- year read units × months rows — a province's breakdown by commune, or the national total, never
-- reads the cases or the daily counters. `all` rows hold the total over categories.
-- Filled from the cases on the first start after this migration (`hoagiai stats check` verifies).
-- Keep in step with ../../postgres/2026-11-27-000007_case_rollups/up.sql.

CREATE TABLE case_rollups (
    unit_id TEXT NOT NULL REFERENCES units (id),
    -- The first day of the month.
    month DATE NOT NULL,
    metric TEXT NOT NULL,
    -- all | category | basis
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, dimension, month, metric, code)
);

-- Overdue assignments (in progress, not started, no exception, past the start deadline) are few:
-- this index holds only the cases that could be, so the count never walks every open case.
CREATE INDEX cases_awaiting_start ON cases (start_deadline) WHERE status = 'in_progress' AND started_on IS NULL AND deadline_exception IS NULL;
