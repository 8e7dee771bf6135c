-- Two indexes that cost bytes and a B-tree write per row but serve no query alone (issue #12, the
-- database's size on disk). Keep in step with ../../postgres/2026-11-30-000022_unused_indexes/up.sql.
--
-- cases_unit_path (unit_path) is a prefix of cases_unit_path_id (unit_path, id): every look-up it
-- could serve (a path, a path's prefix) the longer one serves the same way. 13 MB per 100,000
-- cases.
DROP INDEX cases_unit_path;
-- audit_log_unit_path (unit_path): 61 MB per 100,000 cases, more than the rest of the audit
-- log's indexes together, written with every audit row (and every audited read). Its one reader,
-- the audit list of a scope, is newest first and a page at a time: it walks the key (ids are
-- time-ordered) backwards and keeps the rows inside the scope, instead of reading every row of
-- the subtree through this index and sorting them. A record's history is read through
-- audit_log_entity.
DROP INDEX audit_log_unit_path;
