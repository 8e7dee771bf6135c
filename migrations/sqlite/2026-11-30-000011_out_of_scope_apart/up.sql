-- Out-of-scope cases are no longer counted as received (received = successful + unsuccessful +
-- in progress, out of scope apart): the counters written by the old rule are dropped here, and the
-- next start (`serve`, `migrate`, `stats check`) rebuilds them from the cases under the new one,
-- as it fills empty rollups whenever cases exist (stats::fill_empty_rollups).
DELETE FROM case_counters;
DELETE FROM case_rollups;
