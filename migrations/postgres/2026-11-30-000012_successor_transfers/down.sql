UPDATE memberships SET end_reason = 'own_wish' WHERE end_reason = 'transferred';
ALTER TABLE memberships DROP CONSTRAINT memberships_end_reason_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_end_reason_check
    CHECK (end_reason IN ('own_wish', 'no_longer_meets_criteria', 'violation'));
ALTER TABLE cases DROP COLUMN transferred_on;
ALTER TABLE cases DROP COLUMN transferred_from_line;
ALTER TABLE cases DROP COLUMN transferred_from_team_id;
