DROP INDEX cases_awaiting_start;
CREATE INDEX cases_awaiting_start ON cases (start_deadline) WHERE status = 'in_progress' AND started_on IS NULL AND deadline_exception IS NULL;
