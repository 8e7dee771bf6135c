-- A create's audit row keeps the record's first version without its empty fields (issue #12, the
-- database's size on disk): a field it does not name was null. The same for a removal's row and
-- its values before. Edits already keep only the fields that changed. Nothing is lost: an absent
-- field of such a row can only have been null (audit::store::kept_values, which now writes them
-- so). Keep in step with ../../postgres/2026-11-30-000023_audit_create_values/up.sql.
--
-- Every top-level null dropped from the one side's object; each value kept as JSON (json_each
-- gives true and false as 1 and 0, and objects and arrays as text, so they are made JSON again).
UPDATE audit_log SET new_values = (
    SELECT json_group_object(key, CASE type WHEN 'true' THEN json('true') WHEN 'false' THEN json('false')
                                          WHEN 'object' THEN json(value) WHEN 'array' THEN json(value) ELSE value END)
    FROM json_each(audit_log.new_values) WHERE type <> 'null')
WHERE old_values IS NULL AND new_values LIKE '{%' AND new_values LIKE '%:null%' AND json_valid(new_values);
UPDATE audit_log SET old_values = (
    SELECT json_group_object(key, CASE type WHEN 'true' THEN json('true') WHEN 'false' THEN json('false')
                                          WHEN 'object' THEN json(value) WHEN 'array' THEN json(value) ELSE value END)
    FROM json_each(audit_log.old_values) WHERE type <> 'null')
WHERE new_values IS NULL AND old_values LIKE '{%' AND old_values LIKE '%:null%' AND json_valid(old_values);
