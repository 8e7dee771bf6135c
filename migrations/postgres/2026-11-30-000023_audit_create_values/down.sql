-- The nulls dropped from create and removal rows meant null: nothing to restore.
SELECT 1;
