-- An audit row names the unit its record belongs to by the unit's id, not by its path (issue #12,
-- the bytes of a case). Keep in step with ../../sqlite/2026-12-02-000028_audit_unit_id/up.sql,
-- which says why the id says the same. PostgreSQL frees the old column's bytes only when the
-- table is rewritten (VACUUM FULL).
ALTER TABLE audit_log ADD COLUMN unit_id TEXT;
UPDATE audit_log SET unit_id = NULLIF(substring(unit_path FROM '([^/]+)/*$'), '') WHERE unit_path IS NOT NULL;
ALTER TABLE audit_log DROP COLUMN unit_path;
