-- Per-unit, per-day case counters, written in the same transaction as every case write, so
-- statistics read counter rows (units × days with events), never the cases, and any date
-- range can be asked for.
-- Keep in step with ../../postgres/2026-11-27-000003_statistics/up.sql.

CREATE TABLE case_counters (
    -- The village of the team that keeps the case, and its path for subtree sums.
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    -- The day of the event: received_on for `received`, ended_on for the others.
    day DATE NOT NULL,
    -- received | successful | unsuccessful | out_of_scope
    metric TEXT NOT NULL,
    -- category | basis: the dimension this row counts by, and its code.
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day, metric, dimension, code)
);
CREATE INDEX case_counters_path ON case_counters (unit_path, day);

-- Official reports (Circular 03/2019/TT-BTP): figures frozen when submitted. A later change of
-- the cases never changes a submitted report; a new version supersedes it and both are kept.
CREATE TABLE stat_reports (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    -- six_month | annual | annual_official
    kind TEXT NOT NULL CHECK (kind IN ('six_month', 'annual', 'annual_official')),
    year INTEGER NOT NULL,
    -- Actual figures run from 1 January to this day; estimates cover the rest of the period.
    cutoff_date DATE NOT NULL,
    report_version INTEGER NOT NULL,
    figures TEXT NOT NULL,
    estimates TEXT,
    notes TEXT,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    superseded_by TEXT,
    UNIQUE (unit_id, kind, year, report_version)
);
CREATE INDEX stat_reports_unit_path ON stat_reports (unit_path, year);
