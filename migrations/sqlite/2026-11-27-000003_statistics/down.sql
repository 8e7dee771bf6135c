DROP TABLE stat_reports;
DROP TABLE case_counters;
