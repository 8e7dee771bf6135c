DROP TABLE case_rollup_years;
