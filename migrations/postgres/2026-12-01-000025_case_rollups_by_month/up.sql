-- Keep in step with ../../sqlite/2026-12-01-000025_case_rollups_by_month/up.sql, which keys
-- SQLite's monthly rollups as PostgreSQL's already are (000009: unit, dimension, month, metric,
-- code, shard), so that a statistics answer finds the months after the last year filled by the
-- key. Nothing changes here.
SELECT 1;
