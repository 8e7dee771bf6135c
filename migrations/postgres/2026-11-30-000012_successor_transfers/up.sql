-- Successors carry on: an open case moves to a successor team (its first log-book line kept),
-- and a mediator's membership moves to a successor team (ended here as 'transferred').
ALTER TABLE cases ADD COLUMN transferred_from_team_id TEXT REFERENCES teams (id);
ALTER TABLE cases ADD COLUMN transferred_from_line INTEGER;
ALTER TABLE cases ADD COLUMN transferred_on DATE;

ALTER TABLE memberships DROP CONSTRAINT memberships_end_reason_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_end_reason_check
    CHECK (end_reason IN ('own_wish', 'no_longer_meets_criteria', 'violation', 'transferred'));
