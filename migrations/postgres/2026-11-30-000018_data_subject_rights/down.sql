ALTER TABLE memberships DROP COLUMN removal_reason;
ALTER TABLE memberships DROP COLUMN removal_requested_on;
ALTER TABLE memberships DROP COLUMN removal_requested_by;
ALTER TABLE cases DROP COLUMN pseudonymised_on;
DROP TABLE subject_request_parties;
DROP TABLE subject_requests;
