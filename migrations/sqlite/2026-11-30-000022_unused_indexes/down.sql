CREATE INDEX audit_log_unit_path ON audit_log (unit_path);
CREATE INDEX cases_unit_path ON cases (unit_path);
