-- Monthly changes of the roster for every unit above a team (village, commune, district,
-- province): +1 in the month a team is founded or a mediator starts serving in a working team,
-- −1 in the month that ends, per kind (teams, mediators, women, ethnic_minority,
-- with_legal_training). The roster at the end of a month is the sum of the changes up to that
-- month: a national figure reads a few hundred rows instead of every membership. Kept in the same
-- transaction as every team, mediator and membership write; filled from the roster on the first
-- start after this migration (`hoagiai stats check` verifies).
-- Keep in step with ../../postgres/2026-11-27-000008_roster_rollups/up.sql.

CREATE TABLE roster_rollups (
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    -- The first day of the month.
    month DATE NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, kind, month)
);
