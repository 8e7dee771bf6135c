DROP TABLE case_rollup_years_filled;
DROP TABLE case_rollup_years;
