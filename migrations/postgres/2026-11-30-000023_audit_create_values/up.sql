-- A create's audit row keeps the record's first version without its empty fields (issue #12, the
-- database's size on disk): a field it does not name was null. The same for a removal's row and
-- its values before. Edits already keep only the fields that changed. Nothing is lost: an absent
-- field of such a row can only have been null (audit::store::kept_values, which now writes them
-- so). Keep in step with ../../sqlite/2026-11-30-000023_audit_create_values/up.sql.
--
-- Every top-level null dropped from the one side's object (jsonb_strip_nulls would reach into
-- nested objects too; the server drops the top level only).
UPDATE audit_log SET new_values = (
    SELECT COALESCE(jsonb_object_agg(key, value), '{}'::jsonb)::text
    FROM jsonb_each(audit_log.new_values::jsonb) WHERE jsonb_typeof(value) <> 'null')
WHERE old_values IS NULL AND new_values LIKE '{%' AND new_values LIKE '%:null%';
UPDATE audit_log SET old_values = (
    SELECT COALESCE(jsonb_object_agg(key, value), '{}'::jsonb)::text
    FROM jsonb_each(audit_log.old_values::jsonb) WHERE jsonb_typeof(value) <> 'null')
WHERE new_values IS NULL AND old_values LIKE '{%' AND old_values LIKE '%:null%';
