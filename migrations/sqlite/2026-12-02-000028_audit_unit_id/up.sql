-- An audit row names the unit its record belongs to by the unit's id, not by its path (issue #12,
-- the bytes of a case). Keep in step with ../../postgres/2026-12-02-000028_audit_unit_id/up.sql.
--
-- The path was 112 bytes in each of ~465,000 rows per 100,000 cases (52 MB); the id is 36. A
-- unit's path never changes (a unit is made under its parent and keeps it; the 2025 reform made
-- new units and recorded the successions), and a path ends with its unit's own id
-- (units::rules::child_path), so the id says the same: the audit list of a scope now finds the
-- units inside the scope by their paths and keeps the rows of those units.
--
-- The id is the path's last segment: rtrim by every character that is not a slash cuts the last
-- segment off, and what follows the rest is it.
ALTER TABLE audit_log ADD COLUMN unit_id TEXT;
UPDATE audit_log SET unit_id = NULLIF(
    substr(rtrim(unit_path, '/'), length(rtrim(rtrim(unit_path, '/'), replace(rtrim(unit_path, '/'), '/', ''))) + 1), '')
WHERE unit_path IS NOT NULL;
ALTER TABLE audit_log DROP COLUMN unit_path;
