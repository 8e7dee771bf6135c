-- Back to the rule that counted out-of-scope cases as received: the counters are dropped, and the
-- older program rebuilds them from the cases under its own rule on its next start.
DELETE FROM case_counters;
DELETE FROM case_rollups;
