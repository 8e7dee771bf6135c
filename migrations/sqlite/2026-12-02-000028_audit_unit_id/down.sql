ALTER TABLE audit_log ADD COLUMN unit_path TEXT;
UPDATE audit_log SET unit_path = (SELECT path FROM units WHERE units.id = audit_log.unit_id) WHERE unit_id IS NOT NULL;
ALTER TABLE audit_log DROP COLUMN unit_id;
