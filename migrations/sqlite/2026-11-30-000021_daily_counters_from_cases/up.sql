-- The daily case counters go (issue #12, the database's size on disk). Keep in step with
-- ../../postgres/2026-11-30-000021_daily_counters_from_cases/up.sql.
--
-- They took 153 MB of 792 per 100,000 cases (the table, its key and the (unit_path, day) index)
-- and an upsert into those B-trees in every case write, to answer the one kind of period the
-- monthly rollups cannot: a range of days that is not whole months. Such a period is rare (a
-- report's cut-off is a month's end; dashboards ask for months, quarters and years) and is now
-- counted from the cases themselves by the same rule (stats::store::case_events). The monthly
-- rollups stay, checked against the cases as before (hoagiai stats check).
DROP INDEX case_counters_path;
DROP TABLE case_counters;
